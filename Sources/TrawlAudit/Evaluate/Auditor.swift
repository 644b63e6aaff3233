import Foundation
import TrawlObjects

/// Knobs for an audit run.
public struct AuditOptions: Sendable {
    /// The time stamped on records and findings (`lastUpdated`, `createdAt`).
    public var now: Date
    /// Also report `S3BucketEncryptionDisabled` for buckets whose default is SSE-S3 (Macie's
    /// post-2023 meaning: "reset to the S3 default"). Off by default: offline, an explicit SSE-S3
    /// default cannot be told from the automatic one.
    public var sseS3CountsAsEncryptionDisabled: Bool
    /// ARN partition for bucket ARNs.
    public var partition: String

    public init(now: Date = Date(), sseS3CountsAsEncryptionDisabled: Bool = false, partition: String = "aws") {
        self.now = now
        self.sseS3CountsAsEncryptionDisabled = sseS3CountsAsEncryptionDisabled
        self.partition = partition
    }
}

/// The result of an audit: one record per bucket, the policy findings, and source warnings.
public struct AuditReport: Codable, Sendable, Equatable {
    public var buckets: [BucketMetadata]
    public var findings: [PolicyFinding]
    public var warnings: [String]

    /// True when any finding is High: the CLI exits 1.
    public var hasHighFinding: Bool { findings.contains { $0.severity == .high } }

    public func findings(for bucket: String) -> [PolicyFinding] {
        findings.filter { $0.resourcesAffected.s3Bucket.name == bucket }
    }
}

/// Three-valued logic for verdicts that may rest on missing input.
enum Tri: Equatable {
    case yes, no, unknown

    init(_ flag: Bool) { self = flag ? .yes : .no }

    static func || (lhs: Tri, rhs: Tri) -> Tri {
        if lhs == .yes || rhs == .yes { return .yes }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .no
    }

    static func && (lhs: Tri, rhs: Tri) -> Tri {
        if lhs == .no || rhs == .no { return .no }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .yes
    }

    static prefix func ! (value: Tri) -> Tri {
        switch value {
        case .yes: .no
        case .no: .yes
        case .unknown: .unknown
        }
    }
}

/// Evaluates bucket configuration the way Macie's bucket inventory does, with evidence.
public enum Auditor {
    /// Audits every bucket of `input`.
    public static func audit(_ input: AuditInput, options: AuditOptions = AuditOptions()) -> AuditReport {
        var buckets: [BucketMetadata] = []
        var findings: [PolicyFinding] = []
        let names = Set(input.buckets.map(\.name))
        for bucket in input.buckets {
            let (metadata, bucketFindings) = evaluate(
                bucket, account: input.account, auditedBuckets: names, options: options)
            buckets.append(metadata)
            findings += bucketFindings
        }
        return AuditReport(buckets: buckets, findings: findings, warnings: input.warnings)
    }

    /// Evaluates one bucket. `auditedBuckets` are the owner's buckets (a replication destination
    /// among them is in the owner account).
    public static func evaluate(
        _ bucket: BucketConfiguration, account: AccountConfiguration, auditedBuckets: Set<String> = [],
        options: AuditOptions = AuditOptions()
    ) -> (BucketMetadata, [PolicyFinding]) {
        var evidence: [Evidence] = []
        var errors: [String] = []
        let arn = "arn:\(options.partition):s3:::\(bucket.name)"

        // Policy.
        var analysis: PolicyAnalysis?
        var policyReadable = true
        switch bucket.policy {
        case .absent:
            evidence.append(
                Evidence(
                    aspect: "publicAccess", source: "bucketPolicy", verdict: "NONE",
                    detail: "the bucket has no bucket policy"))
        case .unknown(let reason):
            policyReadable = false
            errors.append(reason)
            evidence.append(
                Evidence(
                    aspect: "publicAccess", source: "bucketPolicy", verdict: "UNKNOWN",
                    detail: "bucket policy unknown: \(reason)"))
        case .present(let text):
            do {
                let document = try PolicyDocument.parse(text.text)
                analysis = PolicyAnalysis.analyse(document, bucket: bucket.name, ownerAccount: account.accountId)
            } catch {
                policyReadable = false
                errors.append("bucket policy: \(error.message)")
                evidence.append(
                    Evidence(
                        aspect: "publicAccess", source: "bucketPolicy", verdict: "UNKNOWN",
                        detail: "the bucket policy cannot be evaluated: \(error.message)"))
            }
        }

        // ACL (disabled when Object Ownership is BucketOwnerEnforced).
        let aclDisabled = bucket.objectOwnership.value == "BucketOwnerEnforced"
        let aclAnalysis: ACLAnalysis?
        if aclDisabled {
            aclAnalysis = ACLAnalysis(publicRead: [], publicWrite: [], grantees: [])
            evidence.append(
                Evidence(
                    aspect: "publicAccess", source: "objectOwnership", location: "ObjectOwnership",
                    verdict: "ACL_DISABLED",
                    detail: "Object Ownership is BucketOwnerEnforced: ACLs are disabled and grant nothing"))
        } else if let acl = bucket.acl.value {
            aclAnalysis = ACLAnalysis.analyse(acl)
        } else {
            aclAnalysis = nil
            let reason = bucket.acl.unknownReason ?? "no ACL"
            errors.append(reason)
            evidence.append(
                Evidence(
                    aspect: "publicAccess", source: "accessControlList", verdict: "UNKNOWN",
                    detail: "ACL unknown: \(reason)"))
        }

        // Block Public Access at both levels.
        let accountBPA = account.blockPublicAccess
        let bucketBPA = bucket.blockPublicAccess
        func flag(_ aspect: Aspect<BlockPublicAccess>, _ path: KeyPath<BlockPublicAccess, Bool>) -> Tri {
            switch aspect {
            case .present(let value): Tri(value[keyPath: path])
            case .absent: .no
            case .unknown: .unknown
            }
        }
        let ignoreACLs = flag(accountBPA, \.ignorePublicAcls) || flag(bucketBPA, \.ignorePublicAcls)
        let restrictPolicy = flag(accountBPA, \.restrictPublicBuckets) || flag(bucketBPA, \.restrictPublicBuckets)
        for (aspect, level) in [(accountBPA, "account"), (bucketBPA, "bucket")] {
            if let reason = aspect.unknownReason {
                errors.append(reason)
                evidence.append(
                    Evidence(
                        aspect: "publicAccess", source: "\(level)BlockPublicAccess", verdict: "UNKNOWN",
                        detail: "\(level)-level Block Public Access unknown: \(reason)"))
            }
        }
        func neutraliser(_ path: KeyPath<BlockPublicAccess, Bool>, _ name: String) -> String? {
            if accountBPA.value?[keyPath: path] == true { return "account-level \(name)" }
            if bucketBPA.value?[keyPath: path] == true { return "bucket-level \(name)" }
            return nil
        }

        // Policy verdicts.
        let policyPublicRead: Tri = analysis.map { Tri($0.allowsPublicRead) } ?? (policyReadable ? .no : .unknown)
        let policyPublicWrite: Tri = analysis.map { Tri($0.allowsPublicWrite) } ?? (policyReadable ? .no : .unknown)
        if let analysis {
            let blockedBy = neutraliser(\.restrictPublicBuckets, "RestrictPublicBuckets")
            for statement in analysis.statements {
                if let ignored = statement.ignoredBecause {
                    if statement.everyonePrincipal {
                        evidence.append(
                            Evidence(
                                aspect: "publicAccess", source: "bucketPolicy", location: statement.label,
                                verdict: "NOT_PUBLIC", detail: "allows everyone, but \(ignored)"))
                    }
                } else if statement.isPublic {
                    let kinds = [
                        statement.readActions.isEmpty ? nil : "read", statement.writeActions.isEmpty ? nil : "write",
                    ].compactMap { $0 }
                    let actions = (statement.readActions + statement.writeActions).prefix(4).joined(separator: ", ")
                    let more = statement.readActions.count + statement.writeActions.count > 4 ? ", ..." : ""
                    for kind in kinds {
                        evidence.append(
                            Evidence(
                                aspect: "publicAccess", source: "bucketPolicy", location: statement.label,
                                verdict: "PUBLIC_\(kind.uppercased())",
                                detail:
                                    "allows everyone (Principal \"*\") public \(kind) access (\(actions)\(more)) with no condition that pins it to fixed accounts, networks or sources"
                            ))
                    }
                    if let blockedBy {
                        evidence.append(
                            Evidence(
                                aspect: "publicAccess",
                                source: blockedBy.hasPrefix("account")
                                    ? "accountBlockPublicAccess" : "bucketBlockPublicAccess",
                                location: "RestrictPublicBuckets", verdict: "NEUTRALISED",
                                detail:
                                    "\(blockedBy) is on: only AWS service principals and the owner account can use the public policy (\(statement.label))"
                            ))
                    }
                } else if let neutralised = statement.neutralisedBy {
                    evidence.append(
                        Evidence(
                            aspect: "publicAccess", source: "bucketPolicy", location: statement.label,
                            verdict: "NOT_PUBLIC",
                            detail: "allows everyone, but \(neutralised) pins access to fixed values"))
                }
            }
        }

        // ACL verdicts.
        let aclPublicRead: Tri = aclAnalysis.map { Tri(!$0.publicRead.isEmpty) } ?? .unknown
        let aclPublicWrite: Tri = aclAnalysis.map { Tri(!$0.publicWrite.isEmpty) } ?? .unknown
        if let aclAnalysis {
            let blockedBy = neutraliser(\.ignorePublicAcls, "IgnorePublicAcls")
            for (grant, kind) in aclAnalysis.publicRead.map({ ($0, "READ") })
                + aclAnalysis.publicWrite.map({ ($0, "WRITE") })
            {
                evidence.append(
                    Evidence(
                        aspect: "publicAccess", source: "accessControlList", location: grant.location,
                        verdict: "PUBLIC_\(kind)", detail: "grants \(grant.permission) to \(grant.groupName)"))
            }
            if let blockedBy, !(aclAnalysis.publicRead.isEmpty && aclAnalysis.publicWrite.isEmpty) {
                evidence.append(
                    Evidence(
                        aspect: "publicAccess",
                        source: blockedBy.hasPrefix("account") ? "accountBlockPublicAccess" : "bucketBlockPublicAccess",
                        location: "IgnorePublicAcls", verdict: "NEUTRALISED",
                        detail: "\(blockedBy) is on: S3 ignores the public ACL grants"))
            }
        }

        let policyEffective = (policyPublicRead || policyPublicWrite) && !restrictPolicy
        let aclEffective = (aclPublicRead || aclPublicWrite) && !ignoreACLs
        let effective: EffectivePermission =
            switch policyEffective || aclEffective {
            case .yes: .public
            case .no: .notPublic
            case .unknown: .unknown
            }
        if effective == .notPublic,
            !evidence.contains(where: {
                $0.aspect == "publicAccess" && ($0.verdict == "NEUTRALISED" || $0.verdict == "NOT_PUBLIC")
            })
        {
            evidence.append(
                Evidence(
                    aspect: "publicAccess", source: "input", verdict: "NOT_PUBLIC",
                    detail: "neither the bucket policy nor the ACL grants access to everyone"))
        }

        let publicAccess = BucketPublicAccess(
            effectivePermission: effective,
            permissionConfiguration: .init(
                accountLevelPermissions: .init(blockPublicAccess: BlockPublicAccessState(accountBPA)),
                bucketLevelPermissions: .init(
                    accessControlList: PublicPermissions(
                        allowsPublicReadAccess: aclPublicRead.bool, allowsPublicWriteAccess: aclPublicWrite.bool),
                    blockPublicAccess: BlockPublicAccessState(bucketBPA),
                    bucketPolicy: PublicPermissions(
                        allowsPublicReadAccess: policyPublicRead.bool, allowsPublicWriteAccess: policyPublicWrite.bool))
            ))

        // Shared access.
        let sharing = SharingAnalysis.analyse(
            policy: analysis, policyReadable: policyReadable, acl: aclAnalysis, aclOwner: bucket.acl.value?.ownerID,
            account: account)
        evidence += sharing.evidence

        // Encryption.
        let encryption: BucketServerSideEncryption
        switch bucket.encryption {
        case .absent:
            encryption = BucketServerSideEncryption(type: .none, kmsMasterKeyId: nil)
            evidence.append(
                Evidence(
                    aspect: "serverSideEncryption", source: "defaultEncryption", verdict: "NONE",
                    detail: "the bucket has no default encryption configuration"))
        case .unknown(let reason):
            encryption = BucketServerSideEncryption(type: .unknown, kmsMasterKeyId: nil)
            errors.append(reason)
            evidence.append(
                Evidence(
                    aspect: "serverSideEncryption", source: "defaultEncryption", verdict: "UNKNOWN",
                    detail: "default encryption unknown: \(reason)"))
        case .present(let value):
            let type = EncryptionType(rawValue: value.algorithm) ?? .unknown
            encryption = BucketServerSideEncryption(type: type, kmsMasterKeyId: value.kmsMasterKeyId)
            evidence.append(
                Evidence(
                    aspect: "serverSideEncryption", source: "defaultEncryption", location: "SSEAlgorithm",
                    verdict: type.rawValue,
                    detail: type == .unknown
                        ? "unrecognised SSEAlgorithm \"\(value.algorithm)\""
                        : "default encryption is \(value.algorithm)"
                            + (value.kmsMasterKeyId.map { " with key \($0)" } ?? "")))
        }

        let uploads: UnencryptedUploads
        if let analysis {
            if let statement = analysis.encryptionRequiredBy {
                uploads = .false
                evidence.append(
                    Evidence(
                        aspect: "allowsUnencryptedObjectUploads", source: "bucketPolicy", location: statement,
                        verdict: "FALSE",
                        detail: "denies s3:PutObject requests that carry no server-side encryption header"))
            } else {
                uploads = .true
                evidence.append(
                    Evidence(
                        aspect: "allowsUnencryptedObjectUploads", source: "bucketPolicy", verdict: "TRUE",
                        detail: "no statement denies s3:PutObject without a server-side encryption header"))
            }
        } else if policyReadable {
            uploads = .true
            evidence.append(
                Evidence(
                    aspect: "allowsUnencryptedObjectUploads", source: "bucketPolicy", verdict: "TRUE",
                    detail: "there is no bucket policy to require encrypted uploads"))
        } else {
            uploads = .unknown
        }

        // Replication.
        var replication = ReplicationDetails(replicated: false, replicatedExternally: false, replicationAccounts: [])
        switch bucket.replication {
        case .absent: break
        case .unknown(let reason):
            replication = ReplicationDetails(replicated: nil, replicatedExternally: nil, replicationAccounts: [])
            errors.append(reason)
            evidence.append(
                Evidence(
                    aspect: "replicationDetails", source: "replication", verdict: "UNKNOWN",
                    detail: "replication configuration unknown: \(reason)"))
        case .present(let rules):
            let internalAccounts = account.internalAccounts
            var accounts: [String] = []
            for rule in rules where rule.enabled {
                replication.replicated = true
                let location = "Rules[\(rule.id ?? "?")]"
                let destinationName =
                    rule.destinationBucket.split(separator: ":").last.map(String.init) ?? rule.destinationBucket
                let destinationAccount =
                    rule.destinationAccount ?? (auditedBuckets.contains(destinationName) ? account.accountId : nil)
                if let destinationAccount {
                    if !accounts.contains(destinationAccount) { accounts.append(destinationAccount) }
                    let external = !internalAccounts.contains(destinationAccount)
                    if external { replication.replicatedExternally = true }
                    evidence.append(
                        Evidence(
                            aspect: "replicationDetails", source: "replication", location: location,
                            verdict: external ? "EXTERNAL" : "INTERNAL",
                            detail: "replicates to \(rule.destinationBucket) in account \(destinationAccount)"
                                + (external ? ", outside the organization" : "")))
                } else {
                    evidence.append(
                        Evidence(
                            aspect: "replicationDetails", source: "replication", location: location,
                            verdict: "ASSUMED_INTERNAL",
                            detail:
                                "replicates to \(rule.destinationBucket); the rule names no Destination.Account, so the destination is taken to be in the owner account"
                        ))
                }
            }
            replication.replicationAccounts = accounts
        }

        // Inventory statistics.
        var statistics: InventoryStatistics?
        for result in bucket.inventory {
            switch result {
            case .success(let report):
                do {
                    statistics = try InventoryStatistics.compute(report)
                    evidence.append(
                        Evidence(
                            aspect: "objectStatistics", source: "inventory",
                            location: report.manifestURL.lastPathComponent, verdict: "COMPLETE",
                            detail:
                                "counts from the S3 Inventory report of \(report.manifest.creationDate.map { ISO8601DateFormatter().string(from: $0) } ?? "unknown date")"
                        ))
                } catch {
                    errors.append("\(error)")
                    evidence.append(
                        Evidence(
                            aspect: "objectStatistics", source: "inventory", verdict: "UNKNOWN", detail: "\(error)"))
                }
            case .failure(let error):
                errors.append(error.description)
                evidence.append(
                    Evidence(
                        aspect: "objectStatistics", source: "inventory", verdict: "UNKNOWN", detail: error.description))
            }
        }

        let versioning: Bool? =
            switch bucket.versioning {
            case .present(let status): status.lowercased() == "enabled"
            case .absent: false
            case .unknown: nil
            }
        let tags = (bucket.tags.value ?? [:]).sorted { $0.key < $1.key }.map {
            KeyValuePair(key: $0.key, value: $0.value)
        }
        var uniqueErrors: [String] = []
        for error in errors where !uniqueErrors.contains(error) { uniqueErrors.append(error) }

        let metadata = BucketMetadata(
            accountId: account.accountId, bucketArn: arn, bucketName: bucket.name, bucketCreatedAt: bucket.createdAt,
            region: bucket.region.value, lastUpdated: options.now, publicAccess: publicAccess,
            sharedAccess: sharing.verdict, serverSideEncryption: encryption, allowsUnencryptedObjectUploads: uploads,
            replicationDetails: replication, versioning: versioning, tags: tags,
            objectCount: statistics?.objectCount, sizeInBytes: statistics?.sizeInBytes,
            sizeInBytesCompressed: statistics?.sizeInBytesCompressed,
            objectCountByEncryptionType: statistics?.byEncryption,
            objectCountByStorageClass: statistics?.countByStorageClass,
            sizeInBytesByStorageClass: statistics?.sizeByStorageClass,
            classifiableObjectCount: statistics?.classifiableCount,
            classifiableSizeInBytes: statistics?.classifiableSize,
            unclassifiableObjectCount: statistics?.unclassifiableCount,
            unclassifiableObjectSizeInBytes: statistics?.unclassifiableSize,
            errorCode: uniqueErrors.isEmpty ? nil : "INCOMPLETE_CONFIGURATION",
            errorMessage: uniqueErrors.isEmpty ? nil : uniqueErrors.joined(separator: "; "),
            evidence: evidence)

        let findings = FindingBuilder.findings(
            for: metadata, sharing: sharing, bucketBPA: bucketBPA, accountBPA: accountBPA, aclOwner: bucket.acl.value,
            options: options)
        return (metadata, findings)
    }
}

extension Tri {
    var bool: Bool? {
        switch self {
        case .yes: true
        case .no: false
        case .unknown: nil
        }
    }
}
