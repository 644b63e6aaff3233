import Foundation
import TrawlObjects

/// One piece of configuration as read from the input files: present, known to be absent (S3
/// said "no such configuration"), or unknown with the reason (file missing when it is required,
/// unreadable, malformed, or the collector recorded an error).
public enum Aspect<Value: Sendable & Equatable>: Sendable, Equatable {
    case present(Value)
    case absent
    case unknown(reason: String)

    public var value: Value? {
        if case .present(let value) = self { return value }
        return nil
    }

    public var unknownReason: String? {
        if case .unknown(let reason) = self { return reason }
        return nil
    }

    func map<Other>(_ transform: (Value) throws(InputError) -> Other) -> Aspect<Other> {
        switch self {
        case .present(let value):
            do { return .present(try transform(value)) } catch { return .unknown(reason: error.message) }
        case .absent: return .absent
        case .unknown(let reason): return .unknown(reason: reason)
        }
    }
}

/// A configuration value that could not be understood (wrong shape, bad value).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The four Block Public Access flags (account or bucket level).
public struct BlockPublicAccess: Sendable, Equatable, Codable {
    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool

    public init(
        blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false,
        blockPublicPolicy: Bool = false, restrictPublicBuckets: Bool = false
    ) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    public static let allOff = BlockPublicAccess()
    public static let allOn = BlockPublicAccess(
        blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true)

    public var isAllOff: Bool {
        !blockPublicAcls && !ignorePublicAcls && !blockPublicPolicy && !restrictPublicBuckets
    }
}

/// A grant in a bucket ACL.
public struct ACLGrant: Sendable, Equatable {
    public enum Grantee: Sendable, Equatable {
        /// A canonical user ID.
        case canonicalUser(id: String, displayName: String?)
        /// A predefined group, by URI (`http://acs.amazonaws.com/groups/global/AllUsers`).
        case group(uri: String)
        /// A grantee by e-mail address (legacy).
        case email(String)
    }

    public var grantee: Grantee
    /// `FULL_CONTROL`, `READ`, `WRITE`, `READ_ACP` or `WRITE_ACP` (AWS Config's `FullControl`,
    /// `Read`, ... are normalised to these).
    public var permission: String

    public init(grantee: Grantee, permission: String) {
        self.grantee = grantee
        self.permission = permission
    }
}

/// A bucket ACL (`get-bucket-acl`).
public struct AccessControlList: Sendable, Equatable {
    public var ownerID: String?
    public var ownerDisplayName: String?
    public var grants: [ACLGrant]

    public init(ownerID: String? = nil, ownerDisplayName: String? = nil, grants: [ACLGrant]) {
        self.ownerID = ownerID
        self.ownerDisplayName = ownerDisplayName
        self.grants = grants
    }
}

/// The bucket's default encryption (`get-bucket-encryption`), first rule.
public struct DefaultEncryption: Sendable, Equatable {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    public var algorithm: String
    public var kmsMasterKeyId: String?
    public var bucketKeyEnabled: Bool?

    public init(algorithm: String, kmsMasterKeyId: String? = nil, bucketKeyEnabled: Bool? = nil) {
        self.algorithm = algorithm
        self.kmsMasterKeyId = kmsMasterKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
    }
}

/// A replication rule's destination (`get-bucket-replication`).
public struct ReplicationRule: Sendable, Equatable {
    public var id: String?
    public var enabled: Bool
    /// The destination bucket ARN.
    public var destinationBucket: String
    /// The destination account when the rule states it (`Destination.Account`).
    public var destinationAccount: String?

    public init(id: String?, enabled: Bool, destinationBucket: String, destinationAccount: String?) {
        self.id = id
        self.enabled = enabled
        self.destinationBucket = destinationBucket
        self.destinationAccount = destinationAccount
    }
}

/// A bucket policy document as text (parsed during evaluation so a malformed policy becomes
/// an explained UNKNOWN, not a load failure).
public struct BucketPolicyText: Sendable, Equatable {
    public var text: String
    public init(_ text: String) { self.text = text }
}

/// Everything read for one bucket.
public struct BucketConfiguration: Sendable {
    public var name: String
    public var region: Aspect<String>
    public var createdAt: Date?
    public var policy: Aspect<BucketPolicyText>
    public var acl: Aspect<AccessControlList>
    public var encryption: Aspect<DefaultEncryption>
    public var blockPublicAccess: Aspect<BlockPublicAccess>
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.
    public var objectOwnership: Aspect<String>
    public var replication: Aspect<[ReplicationRule]>
    /// `Enabled`, `Suspended`; absent when versioning was never enabled.
    public var versioning: Aspect<String>
    public var tags: Aspect<[String: String]>
    /// S3 Inventory reports for this bucket (errors make object statistics UNKNOWN).
    public var inventory: [Result<InventoryReport, InventoryError>]
    /// Where the configuration came from, for messages (`aws-cli`, `aws-config`).
    public var origin: String

    public init(name: String, origin: String) {
        self.name = name
        self.origin = origin
        region = .unknown(reason: "no location recorded")
        createdAt = nil
        policy = .unknown(reason: "no policy recorded")
        acl = .unknown(reason: "no ACL recorded")
        encryption = .unknown(reason: "no encryption configuration recorded")
        blockPublicAccess = .unknown(reason: "no bucket Block Public Access recorded")
        objectOwnership = .absent
        replication = .absent
        versioning = .absent
        tags = .absent
        inventory = []
    }
}

/// The owner account and its organization.
public struct AccountConfiguration: Sendable {
    /// The account that owns the buckets (`get-caller-identity`); nil when unknown.
    public var accountId: String?
    public var accountIdUnknownReason: String?
    /// Account-level Block Public Access (`s3control get-public-access-block`).
    public var blockPublicAccess: Aspect<BlockPublicAccess>
    /// Member accounts of the organization (`organizations list-accounts`); nil when not given
    /// (then only the owner account is internal).
    public var organizationAccounts: Set<String>?
    /// The organization ID (`o-...`), taken from the account ARNs when listed.
    public var organizationId: String?

    public init(
        accountId: String?, blockPublicAccess: Aspect<BlockPublicAccess> = .absent,
        organizationAccounts: Set<String>? = nil, organizationId: String? = nil
    ) {
        self.accountId = accountId
        self.blockPublicAccess = blockPublicAccess
        self.organizationAccounts = organizationAccounts
        self.organizationId = organizationId
    }

    /// The owner plus the organization's accounts.
    public var internalAccounts: Set<String> {
        var accounts = organizationAccounts ?? []
        if let accountId { accounts.insert(accountId) }
        return accounts
    }
}

/// Everything the audit reads: one account and its buckets.
public struct AuditInput: Sendable {
    public var account: AccountConfiguration
    public var buckets: [BucketConfiguration]
    /// Problems with the source as a whole (unreadable folders, stray files), for the report.
    public var warnings: [String]

    public init(account: AccountConfiguration, buckets: [BucketConfiguration], warnings: [String] = []) {
        self.account = account
        self.buckets = buckets
        self.warnings = warnings
    }
}
