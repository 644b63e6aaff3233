import Foundation

/// Macie's policy finding types, with their severities.
public enum PolicyFindingType: String, Codable, Sendable, CaseIterable {
    case blockPublicAccessDisabled = "Policy:IAMUser/S3BlockPublicAccessDisabled"
    case encryptionDisabled = "Policy:IAMUser/S3BucketEncryptionDisabled"
    case bucketPublic = "Policy:IAMUser/S3BucketPublic"
    case replicatedExternally = "Policy:IAMUser/S3BucketReplicatedExternally"
    case sharedExternally = "Policy:IAMUser/S3BucketSharedExternally"
    case sharedWithCloudFront = "Policy:IAMUser/S3BucketSharedWithCloudFront"

    public var severity: Severity {
        switch self {
        case .encryptionDisabled: .low
        case .sharedWithCloudFront: .medium
        default: .high
        }
    }

    var title: String {
        switch self {
        case .blockPublicAccessDisabled: "Block Public Access settings are disabled for the S3 bucket"
        case .encryptionDisabled: "Default encryption is disabled for the S3 bucket"
        case .bucketPublic: "The S3 bucket is publicly accessible"
        case .replicatedExternally: "The S3 bucket is replicated to an external AWS account"
        case .sharedExternally: "The S3 bucket is shared with an external AWS account"
        case .sharedWithCloudFront: "The S3 bucket is shared with a CloudFront distribution"
        }
    }
}

/// Macie's `Severity`: `description` Low/Medium/High and `score` 1/2/3.
public struct Severity: Codable, Sendable, Equatable, Comparable {
    public var description: String
    public var score: Int

    public static let low = Severity(description: "Low", score: 1)
    public static let medium = Severity(description: "Medium", score: 2)
    public static let high = Severity(description: "High", score: 3)

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.score < rhs.score }
}

/// A policy finding in the shape of Macie's `Finding` (category POLICY), reporting the current
/// state rather than a change, with the evidence behind it.
public struct PolicyFinding: Codable, Sendable, Equatable {
    public struct Owner: Codable, Sendable, Equatable {
        public var displayName: String?
        public var id: String?
    }

    public struct DefaultServerSideEncryption: Codable, Sendable, Equatable {
        public var encryptionType: EncryptionType
        public var kmsMasterKeyId: String?
    }

    public struct S3Bucket: Codable, Sendable, Equatable {
        public var arn: String
        public var name: String
        public var createdAt: Date?
        public var owner: Owner?
        public var tags: [KeyValuePair]
        public var allowsUnencryptedObjectUploads: UnencryptedUploads
        public var defaultServerSideEncryption: DefaultServerSideEncryption
        public var publicAccess: BucketPublicAccess
    }

    public struct ResourcesAffected: Codable, Sendable, Equatable {
        public var s3Bucket: S3Bucket
    }

    public var accountId: String?
    public var archived: Bool
    public var category: String
    public var count: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var description: String
    public var title: String
    public var id: String
    public var partition: String
    public var region: String?
    public var sample: Bool
    public var schemaVersion: String
    public var severity: Severity
    public var type: PolicyFindingType
    public var resourcesAffected: ResourcesAffected
    /// trawl: the statements, grants or settings behind the finding.
    public var evidence: [Evidence]
}
