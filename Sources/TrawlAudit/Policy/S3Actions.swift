/// S3 actions and the "bad actions" that can expose data to public reads or writes
/// (`s3:Get*`, `s3:List*`, `s3:AbortMultipartUpload`, `s3:Delete*`, `s3:Put*`, `s3:RestoreObject`).
public enum S3Actions {
    /// Known S3 actions, used to expand wildcards and `NotAction`.
    public static let catalog: [String] = [
        "s3:AbortMultipartUpload", "s3:BypassGovernanceRetention", "s3:CreateAccessPoint", "s3:CreateBucket",
        "s3:CreateJob", "s3:CreateMultiRegionAccessPoint", "s3:CreateSession", "s3:DeleteAccessPoint",
        "s3:DeleteAccessPointPolicy", "s3:DeleteBucket", "s3:DeleteBucketOwnershipControls",
        "s3:DeleteBucketPolicy", "s3:DeleteBucketWebsite", "s3:DeleteJobTagging", "s3:DeleteObject",
        "s3:DeleteObjectTagging", "s3:DeleteObjectVersion", "s3:DeleteObjectVersionTagging",
        "s3:DeleteStorageLensConfiguration", "s3:DescribeJob", "s3:GetAccelerateConfiguration",
        "s3:GetAccessPoint", "s3:GetAccessPointPolicy", "s3:GetAccountPublicAccessBlock",
        "s3:GetAnalyticsConfiguration",
        "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLocation", "s3:GetBucketLogging",
        "s3:GetBucketNotification", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls",
        "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
        "s3:GetEncryptionConfiguration", "s3:GetIntelligentTieringConfiguration",
        "s3:GetInventoryConfiguration", "s3:GetLifecycleConfiguration", "s3:GetMetricsConfiguration",
        "s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectAttributes", "s3:GetObjectLegalHold",
        "s3:GetObjectRetention", "s3:GetObjectTagging", "s3:GetObjectTorrent", "s3:GetObjectVersion",
        "s3:GetObjectVersionAcl", "s3:GetObjectVersionAttributes", "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging", "s3:GetObjectVersionTorrent", "s3:GetReplicationConfiguration",
        "s3:ListAccessPoints", "s3:ListAllMyBuckets", "s3:ListBucket", "s3:ListBucketMultipartUploads",
        "s3:ListBucketVersions", "s3:ListJobs", "s3:ListMultipartUploadParts", "s3:ObjectOwnerOverrideToBucketOwner",
        "s3:PutAccelerateConfiguration", "s3:PutAccessPointPolicy", "s3:PutAnalyticsConfiguration",
        "s3:PutBucketAcl", "s3:PutBucketCORS", "s3:PutBucketLogging", "s3:PutBucketNotification",
        "s3:PutBucketObjectLockConfiguration", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
        "s3:PutBucketPublicAccessBlock", "s3:PutBucketRequestPayment", "s3:PutBucketTagging",
        "s3:PutBucketVersioning", "s3:PutBucketWebsite", "s3:PutEncryptionConfiguration",
        "s3:PutIntelligentTieringConfiguration", "s3:PutInventoryConfiguration", "s3:PutLifecycleConfiguration",
        "s3:PutMetricsConfiguration", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectLegalHold",
        "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionAcl", "s3:PutObjectVersionTagging",
        "s3:PutReplicationConfiguration", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags",
        "s3:RestoreObject", "s3:UpdateJobPriority", "s3:UpdateJobStatus",
    ]

    /// `s3:Get*` and `s3:List*`.
    public static func isRead(_ action: String) -> Bool {
        let lower = action.lowercased()
        return lower.hasPrefix("s3:get") || lower.hasPrefix("s3:list")
    }

    /// `s3:Put*`, `s3:Delete*`, `s3:AbortMultipartUpload`, `s3:RestoreObject`.
    public static func isWrite(_ action: String) -> Bool {
        let lower = action.lowercased()
        return lower.hasPrefix("s3:put") || lower.hasPrefix("s3:delete") || lower == "s3:abortmultipartupload"
            || lower == "s3:restoreobject"
    }

    /// The S3 actions a statement's `Action` or `NotAction` covers: literal actions as written,
    /// wildcards expanded over the catalog.
    public static func granted(by statement: PolicyStatement) -> [String] {
        if let actions = statement.actions {
            var result: [String] = []
            var seen: Set<String> = []
            for pattern in actions {
                let matcher = Wildcard(pattern, caseSensitive: false)
                let expanded = matcher.hasWildcard ? catalog.filter { matcher.matches($0) } : [pattern]
                for action in expanded where seen.insert(action.lowercased()).inserted { result.append(action) }
            }
            return result
        }
        let excluded = statement.notActions ?? []
        return catalog.filter { action in
            !excluded.contains { Wildcard($0, caseSensitive: false).matches(action) }
        }
    }
}
