import Foundation
import TrawlObjects

/// Builds an `AuditInput` from answers fetched live from the S3 API, so that a live audit and a
/// file audit go through the same parsers and the same `Auditor` (one evaluator, two inputs).
///
/// The fetcher (TrawlS3's `S3ConfigurationFetcher`) turns each XML answer into the JSON the AWS
/// CLI prints for the same call; from there on, nothing tells the two inputs apart but `origin`.
public enum LiveInputBuilder {
    /// The answers for one bucket, keyed by the AWS CLI command that gives the same document
    /// (`get-bucket-policy`...).
    public struct BucketAnswers: Sendable {
        public var name: String
        public var createdAt: Date?
        public var answers: [String: Answer]
        public init(name: String, createdAt: Date?, answers: [String: Answer]) {
            self.name = name
            self.createdAt = createdAt
            self.answers = answers
        }
    }

    /// The whole input of a live audit: the account's answers and each bucket's.
    public static func input(
        callerIdentity: Answer, accountBlockPublicAccess: Answer?, buckets: [BucketAnswers],
        organizationAccounts: Set<String>?, warnings: [String]
    ) -> AuditInput {
        var warnings = warnings
        let account = account(
            callerIdentity: callerIdentity, blockPublicAccess: accountBlockPublicAccess,
            organizationAccounts: organizationAccounts, warnings: &warnings)
        let configurations = buckets.map { bucket in
            var keyed: [AuditSource.CLIFile: Answer] = [:]
            for (command, answer) in bucket.answers {
                if let file = AuditSource.CLIFile(rawValue: command) { keyed[file] = answer }
            }
            return self.bucket(name: bucket.name, answers: keyed, createdAt: bucket.createdAt)
        }
        return AuditInput(account: account, buckets: configurations, warnings: warnings)
    }

    /// What one API call answered.
    public typealias Answer = ConfigurationAnswer

    /// One bucket from its answers, keyed by the call they answer. A call not made counts as a
    /// missing file does in the CLI layout.
    public static func bucket(
        name: String, answers: [AuditSource.CLIFile: Answer], createdAt: Date? = nil, origin: String = "s3-api"
    ) -> BucketConfiguration {
        typealias File = AuditSource.CLIFile
        func aspect<T>(_ file: File, missing: Aspect<T>, parse: (JSONValue) throws(InputError) -> T?) -> Aspect<T> {
            switch answers[file] {
            case nil: return missing
            case .notConfigured: return .absent
            case .failed(let reason): return .unknown(reason: "\(file.rawValue) failed: \(reason)")
            case .json(let json):
                do {
                    guard let value = try parse(json) else { return .absent }
                    return .present(value)
                } catch {
                    return .unknown(reason: "\(file.rawValue): \(error.message)")
                }
            }
        }
        var bucket = BucketConfiguration(name: name, origin: origin)
        bucket.createdAt = createdAt
        bucket.policy = aspect(.policy, missing: .absent, parse: ConfigurationParsers.policyText)
        bucket.acl = aspect(
            .acl, missing: .unknown(reason: "GetBucketAcl was not called"),
            parse: ConfigurationParsers.accessControlList)
        bucket.encryption = aspect(.encryption, missing: .absent, parse: ConfigurationParsers.defaultEncryption)
        bucket.blockPublicAccess = aspect(
            .publicAccessBlock, missing: .absent, parse: ConfigurationParsers.blockPublicAccess)
        bucket.objectOwnership = aspect(
            .ownershipControls, missing: .absent, parse: ConfigurationParsers.objectOwnership)
        bucket.replication = aspect(.replication, missing: .absent, parse: ConfigurationParsers.replication)
        bucket.versioning = aspect(
            .versioning, missing: .unknown(reason: "GetBucketVersioning was not called"),
            parse: ConfigurationParsers.versioning)
        bucket.tags = aspect(.tagging, missing: .absent, parse: ConfigurationParsers.tags)
        bucket.region = aspect(
            .location, missing: .unknown(reason: "GetBucketLocation was not called"), parse: ConfigurationParsers.region
        )
        return bucket
    }

    /// The account from `sts get-caller-identity` and `s3control get-public-access-block`
    /// answers; `organizationAccounts` when known from elsewhere (a `list-accounts` file).
    public static func account(
        callerIdentity: Answer, blockPublicAccess: Answer?, organizationAccounts: Set<String>? = nil,
        warnings: inout [String]
    ) -> AccountConfiguration {
        var account = AccountConfiguration(accountId: nil, organizationAccounts: organizationAccounts)
        switch callerIdentity {
        case .json(let json):
            if let id = json["Account"]?.stringValue {
                account.accountId = id
            } else {
                account.accountIdUnknownReason = "GetCallerIdentity answered no Account"
            }
        case .notConfigured(let code): account.accountIdUnknownReason = code
        case .failed(let reason): account.accountIdUnknownReason = "GetCallerIdentity failed: \(reason)"
        }
        if let reason = account.accountIdUnknownReason {
            warnings.append(
                "owner account unknown (\(reason)): every account that is not the organization's counts as external")
        }
        switch blockPublicAccess {
        case nil, .notConfigured: account.blockPublicAccess = .absent
        case .failed(let reason): account.blockPublicAccess = .unknown(reason: "account level: \(reason)")
        case .json(let json):
            do {
                account.blockPublicAccess = .present(try ConfigurationParsers.blockPublicAccess(json))
            } catch {
                account.blockPublicAccess = .unknown(reason: "account level: \(error.message)")
            }
        }
        return account
    }
}
