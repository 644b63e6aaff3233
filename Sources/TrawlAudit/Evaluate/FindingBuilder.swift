import Foundation

/// Turns a bucket's verdicts into Macie policy findings describing its current state.
enum FindingBuilder {
    static func findings(
        for bucket: BucketMetadata, sharing: SharingAnalysis, bucketBPA: Aspect<BlockPublicAccess>,
        accountBPA: Aspect<BlockPublicAccess>, aclOwner: AccessControlList?, options: AuditOptions
    ) -> [PolicyFinding] {
        var found: [(PolicyFindingType, String, [Evidence])] = []

        if bucket.publicAccess.effectivePermission == .public {
            let evidence = bucket.evidence.filter { $0.aspect == "publicAccess" && $0.verdict.hasPrefix("PUBLIC_") }
            found.append(
                (
                    .bucketPublic,
                    "The bucket policy or ACL of \(bucket.bucketName) allows access by anyone, and Block Public Access does not stop it.",
                    evidence
                ))
        }
        if !sharing.externalGrants.isEmpty || sharing.cloudFrontByCanonicalID {
            found.append(
                (
                    .sharedExternally, "\(bucket.bucketName) is shared with an AWS account outside the organization.",
                    sharing.externalGrants + sharing.cloudFrontGrants
                ))
        } else if !sharing.cloudFrontGrants.isEmpty {
            found.append(
                (
                    .sharedWithCloudFront,
                    "\(bucket.bucketName) is shared with a CloudFront origin access identity or origin access control.",
                    sharing.cloudFrontGrants
                ))
        }
        if bucket.replicationDetails.replicatedExternally == true {
            let evidence = bucket.evidence.filter { $0.aspect == "replicationDetails" && $0.verdict == "EXTERNAL" }
            found.append(
                (
                    .replicatedExternally,
                    "\(bucket.bucketName) replicates objects to an account outside the organization.", evidence
                ))
        }
        let encryption = bucket.serverSideEncryption.type
        if encryption == .none || (encryption == .aes256 && options.sseS3CountsAsEncryptionDisabled) {
            let evidence = bucket.evidence.filter { $0.aspect == "serverSideEncryption" }
            found.append(
                (.encryptionDisabled, "\(bucket.bucketName) has no default encryption beyond the S3 default.", evidence)
            )
        }
        let bucketFlagsOff: Bool =
            switch bucketBPA {
            case .present(let flags): flags.isAllOff
            case .absent: true
            case .unknown: false
            }
        if bucketFlagsOff {
            let accountText: String =
                switch accountBPA {
                case .present(let flags) where !flags.isAllOff:
                    "account-level settings still apply (BlockPublicAcls \(flags.blockPublicAcls), IgnorePublicAcls \(flags.ignorePublicAcls), BlockPublicPolicy \(flags.blockPublicPolicy), RestrictPublicBuckets \(flags.restrictPublicBuckets))"
                case .unknown: "account-level settings are unknown"
                default: "account-level settings are off too"
                }
            let detail =
                bucketBPA == .absent
                ? "the bucket has no Block Public Access configuration; \(accountText)"
                : "all four bucket-level Block Public Access settings are off; \(accountText)"
            found.append(
                (
                    .blockPublicAccessDisabled,
                    "All bucket-level Block Public Access settings are off for \(bucket.bucketName).",
                    [
                        Evidence(
                            aspect: "blockPublicAccess", source: "bucketBlockPublicAccess",
                            location: "PublicAccessBlockConfiguration", verdict: "DISABLED", detail: detail)
                    ]
                ))
        }

        return found.map { type, description, evidence in
            PolicyFinding(
                accountId: bucket.accountId, archived: false, category: "POLICY", count: 1,
                createdAt: options.now, updatedAt: options.now, description: description, title: type.title,
                id: findingID(account: bucket.accountId, bucket: bucket.bucketName, type: type),
                partition: options.partition, region: bucket.region, sample: false, schemaVersion: "1.0",
                severity: type.severity, type: type,
                resourcesAffected: .init(
                    s3Bucket: .init(
                        arn: bucket.bucketArn, name: bucket.bucketName, createdAt: bucket.bucketCreatedAt,
                        owner: aclOwner.map { .init(displayName: $0.ownerDisplayName, id: $0.ownerID) },
                        tags: bucket.tags, allowsUnencryptedObjectUploads: bucket.allowsUnencryptedObjectUploads,
                        defaultServerSideEncryption: .init(
                            encryptionType: bucket.serverSideEncryption.type,
                            kmsMasterKeyId: bucket.serverSideEncryption.kmsMasterKeyId),
                        publicAccess: bucket.publicAccess)),
                evidence: evidence)
        }
    }

    /// A stable 32-hex-digit ID (FNV-1a over account, bucket and type, two seeds), so the same
    /// issue keeps its ID across runs.
    static func findingID(account: String?, bucket: String, type: PolicyFindingType) -> String {
        let text = "\(account ?? "")/\(bucket)/\(type.rawValue)"
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        let high = String(fnv(0xcbf2_9ce4_8422_2325), radix: 16)
        let low = String(fnv(0x8422_2325_cbf2_9ce4), radix: 16)
        return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count)
            + low
    }
}
