import Foundation

/// Macie's `effectivePermission`.
public enum EffectivePermission: String, Codable, Sendable {
    case `public` = "PUBLIC"
    case notPublic = "NOT_PUBLIC"
    case unknown = "UNKNOWN"
}

/// Macie's `sharedAccess`.
public enum SharedAccess: String, Codable, Sendable {
    case external = "EXTERNAL"
    case `internal` = "INTERNAL"
    case notShared = "NOT_SHARED"
    case unknown = "UNKNOWN"
}

/// Macie's `allowsUnencryptedObjectUploads`.
public enum UnencryptedUploads: String, Codable, Sendable {
    case `true` = "TRUE"
    case `false` = "FALSE"
    case unknown = "UNKNOWN"
}

/// Macie's `serverSideEncryption.type`, plus UNKNOWN when the configuration could not be read.
public enum EncryptionType: String, Codable, Sendable {
    case none = "NONE"
    case aes256 = "AES256"
    case kms = "aws:kms"
    case dsseKms = "aws:kms:dsse"
    case unknown = "UNKNOWN"
}

/// Why a verdict is what it is: the statement, grant or setting, and what it did.
public struct Evidence: Codable, Sendable, Equatable {
    /// The verdict this supports: `publicAccess`, `sharedAccess`, `serverSideEncryption`,
    /// `allowsUnencryptedObjectUploads`, `replicationDetails`, `blockPublicAccess`, `objectStatistics`.
    public var aspect: String
    /// Where it comes from: `bucketPolicy`, `accessControlList`, `accountBlockPublicAccess`,
    /// `bucketBlockPublicAccess`, `objectOwnership`, `defaultEncryption`, `replication`, `inventory`, `input`.
    public var source: String
    /// The statement (`Statement[1] (Sid "PublicRead")`), grant (`Grants[2]`), setting
    /// (`RestrictPublicBuckets`) or file.
    public var location: String?
    /// Short machine-readable outcome: `PUBLIC_READ`, `PUBLIC_WRITE`, `NEUTRALISED`, `EXTERNAL`,
    /// `INTERNAL`, `NOT_SHARED`, `UNKNOWN`, `NOT_PUBLIC`, `ENABLED`, `DISABLED`, ...
    public var verdict: String
    /// One sentence for people.
    public var detail: String

    public init(aspect: String, source: String, location: String? = nil, verdict: String, detail: String) {
        self.aspect = aspect
        self.source = source
        self.location = location
        self.verdict = verdict
        self.detail = detail
    }
}

/// Macie's `BlockPublicAccess` (nil members when unknown).
public struct BlockPublicAccessState: Codable, Sendable, Equatable {
    public var blockPublicAcls: Bool?
    public var blockPublicPolicy: Bool?
    public var ignorePublicAcls: Bool?
    public var restrictPublicBuckets: Bool?

    init(_ aspect: Aspect<BlockPublicAccess>) {
        let flags: BlockPublicAccess? =
            switch aspect {
            case .present(let value): value
            case .absent: .allOff
            case .unknown: nil
            }
        blockPublicAcls = flags?.blockPublicAcls
        blockPublicPolicy = flags?.blockPublicPolicy
        ignorePublicAcls = flags?.ignorePublicAcls
        restrictPublicBuckets = flags?.restrictPublicBuckets
    }
}

/// Macie's `AccessControlList` / `BucketPolicy` permission pair (nil when unknown).
public struct PublicPermissions: Codable, Sendable, Equatable {
    public var allowsPublicReadAccess: Bool?
    public var allowsPublicWriteAccess: Bool?
}

public struct BucketPublicAccess: Codable, Sendable, Equatable {
    public struct PermissionConfiguration: Codable, Sendable, Equatable {
        public struct AccountLevel: Codable, Sendable, Equatable {
            public var blockPublicAccess: BlockPublicAccessState
        }
        public struct BucketLevel: Codable, Sendable, Equatable {
            public var accessControlList: PublicPermissions
            public var blockPublicAccess: BlockPublicAccessState
            public var bucketPolicy: PublicPermissions
        }
        public var accountLevelPermissions: AccountLevel
        public var bucketLevelPermissions: BucketLevel
    }

    public var effectivePermission: EffectivePermission
    public var permissionConfiguration: PermissionConfiguration
}

public struct BucketServerSideEncryption: Codable, Sendable, Equatable {
    public var type: EncryptionType
    public var kmsMasterKeyId: String?
}

public struct ReplicationDetails: Codable, Sendable, Equatable {
    public var replicated: Bool?
    public var replicatedExternally: Bool?
    public var replicationAccounts: [String]
}

public struct ObjectCountByEncryptionType: Codable, Sendable, Equatable {
    public var customerManaged: Int64 = 0
    public var kmsManaged: Int64 = 0
    public var s3Managed: Int64 = 0
    public var unencrypted: Int64 = 0
    public var unknown: Int64 = 0
}

/// Macie's `ObjectLevelStatistics`: unclassifiable objects by cause.
public struct ObjectLevelStatistics: Codable, Sendable, Equatable {
    public var fileType: Int64 = 0
    public var storageClass: Int64 = 0
    public var total: Int64 = 0
}

public struct KeyValuePair: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
}

/// One bucket, in the shape of Macie's `BucketMetadata`, plus `evidence` (trawl's addition).
/// Counts and sizes are present only when an S3 Inventory report was read.
public struct BucketMetadata: Codable, Sendable, Equatable {
    public var accountId: String?
    public var bucketArn: String
    public var bucketName: String
    public var bucketCreatedAt: Date?
    public var region: String?
    public var lastUpdated: Date
    public var publicAccess: BucketPublicAccess
    public var sharedAccess: SharedAccess
    public var serverSideEncryption: BucketServerSideEncryption
    public var allowsUnencryptedObjectUploads: UnencryptedUploads
    public var replicationDetails: ReplicationDetails
    public var versioning: Bool?
    public var tags: [KeyValuePair]
    public var objectCount: Int64?
    public var sizeInBytes: Int64?
    public var sizeInBytesCompressed: Int64?
    public var objectCountByEncryptionType: ObjectCountByEncryptionType?
    /// trawl: current objects per storage class (from S3 Inventory).
    public var objectCountByStorageClass: [String: Int64]?
    /// trawl: bytes per storage class (from S3 Inventory).
    public var sizeInBytesByStorageClass: [String: Int64]?
    public var classifiableObjectCount: Int64?
    public var classifiableSizeInBytes: Int64?
    public var unclassifiableObjectCount: ObjectLevelStatistics?
    public var unclassifiableObjectSizeInBytes: ObjectLevelStatistics?
    /// Macie's `errorCode`: set when part of the configuration could not be read.
    public var errorCode: String?
    public var errorMessage: String?
    /// trawl: why each verdict is what it is.
    public var evidence: [Evidence]
}
