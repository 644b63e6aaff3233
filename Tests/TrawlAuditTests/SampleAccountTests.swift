import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlAudit

/// A sample account in the corpus.
func corpusURL(_ relative: String) -> URL {
    Repository.corpus.appendingPathComponent("accounts").appendingPathComponent(relative)
}

let fixedNow = Date(timeIntervalSince1970: 1_793_500_000)

func sampleReport() throws -> AuditReport {
    let input = try AuditSource.load(path: corpusURL("sample").path)
    return Auditor.audit(input, options: AuditOptions(now: fixedNow))
}

extension AuditReport {
    func bucket(_ name: String) -> BucketMetadata? { buckets.first { $0.bucketName == name } }
    func types(_ name: String) -> Set<PolicyFindingType> { Set(findings(for: name).map(\.type)) }
}

@Suite struct SampleAccountTests {
    @Test func everyBucketIsLoaded() throws {
        let report = try sampleReport()
        #expect(
            report.buckets.map(\.bucketName) == [
                "acme-acl-denied", "acme-broken-policy", "acme-cdn-assets", "acme-org-only", "acme-private",
                "acme-public-acl", "acme-public-policy", "acme-public-policy-blocked", "acme-replicated",
                "acme-shared-partner", "acme-unencrypted", "acme-vpce-only",
            ])
        #expect(report.warnings.isEmpty)
        #expect(report.hasHighFinding)
        #expect(report.buckets.allSatisfy { $0.accountId == "111122223333" })
    }

    @Test func privateBucket() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-private"))
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(bucket.sharedAccess == .notShared)
        #expect(bucket.serverSideEncryption.type == .kms)
        #expect(
            bucket.serverSideEncryption.kmsMasterKeyId?.hasSuffix(":key/1234abcd-12ab-34cd-56ef-1234567890ab") == true)
        #expect(bucket.allowsUnencryptedObjectUploads == .true)
        #expect(bucket.versioning == true)
        #expect(bucket.region == "eu-west-1")
        #expect(bucket.tags == [KeyValuePair(key: "env", value: "prod"), KeyValuePair(key: "team", value: "finance")])
        #expect(report.types("acme-private").isEmpty)
        #expect(bucket.errorCode == nil)
        // Inventory statistics: current versions only, delete markers excluded.
        #expect(bucket.objectCount == 6)
        #expect(bucket.sizeInBytes == 57_654)
        #expect(bucket.sizeInBytesCompressed == 4096)
        #expect(
            bucket.objectCountByEncryptionType
                == ObjectCountByEncryptionType(
                    customerManaged: 1, kmsManaged: 3, s3Managed: 1, unencrypted: 1, unknown: 0))
        #expect(bucket.objectCountByStorageClass == ["STANDARD": 4, "GLACIER": 1, "STANDARD_IA": 1])
        #expect(bucket.sizeInBytesByStorageClass == ["STANDARD": 7354, "GLACIER": 50_000, "STANDARD_IA": 300])
        #expect(bucket.classifiableObjectCount == 4)
        #expect(bucket.classifiableSizeInBytes == 5606)
        #expect(bucket.unclassifiableObjectCount == ObjectLevelStatistics(fileType: 1, storageClass: 1, total: 2))
        #expect(
            bucket.unclassifiableObjectSizeInBytes
                == ObjectLevelStatistics(fileType: 2048, storageClass: 50_000, total: 52_048))
        #expect(bucket.evidence.contains { $0.aspect == "publicAccess" && $0.verdict == "ACL_DISABLED" })
    }

    @Test func publicByACL() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-public-acl"))
        #expect(bucket.publicAccess.effectivePermission == .public)
        let acl = bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.accessControlList
        #expect(acl.allowsPublicReadAccess == true)
        #expect(acl.allowsPublicWriteAccess == false)
        #expect(report.types("acme-public-acl") == [.bucketPublic, .blockPublicAccessDisabled])
        let finding = try #require(report.findings(for: "acme-public-acl").first { $0.type == .bucketPublic })
        #expect(finding.severity == .high)
        #expect(
            finding.evidence.contains {
                $0.source == "accessControlList" && $0.location == "Grants[1]" && $0.verdict == "PUBLIC_READ"
                    && $0.detail.contains("AllUsers")
            })
        // Account-level BlockPublicAcls stops new public ACLs only; the existing one stays.
        #expect(
            bucket.publicAccess.permissionConfiguration.accountLevelPermissions.blockPublicAccess.blockPublicAcls
                == true)
    }

    @Test func publicByPolicy() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-public-policy"))
        #expect(bucket.publicAccess.effectivePermission == .public)
        let policy = bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy
        #expect(policy.allowsPublicReadAccess == true)
        #expect(policy.allowsPublicWriteAccess == false)
        #expect(report.types("acme-public-policy") == [.bucketPublic, .blockPublicAccessDisabled])
        #expect(
            bucket.evidence.contains {
                $0.location == "Statement[0] (Sid \"PublicRead\")" && $0.verdict == "PUBLIC_READ"
            })
        #expect(bucket.sharedAccess == .notShared)
    }

    @Test func publicPolicyBlockedByBucketRestrictPublicBuckets() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-public-policy-blocked"))
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy.allowsPublicReadAccess
                == true)
        #expect(
            bucket.evidence.contains {
                $0.verdict == "NEUTRALISED" && $0.location == "RestrictPublicBuckets"
                    && $0.source == "bucketBlockPublicAccess"
            })
        #expect(report.types("acme-public-policy-blocked").isEmpty)
    }

    @Test func publicPolicyBlockedByAccountRestrictPublicBuckets() throws {
        let input = try AuditSource.load(path: corpusURL("sample-account-bpa").path)
        let report = Auditor.audit(input, options: AuditOptions(now: fixedNow))
        let bucket = try #require(report.bucket("analytics-public-policy"))
        #expect(bucket.accountId == "444455556666")
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy.allowsPublicReadAccess
                == true)
        #expect(
            bucket.evidence.contains {
                $0.verdict == "NEUTRALISED" && $0.source == "accountBlockPublicAccess"
                    && $0.detail.contains("account-level RestrictPublicBuckets")
            })
        // Bucket-level flags are all off: Macie's S3BlockPublicAccessDisabled, with the account level in evidence.
        let finding = try #require(report.findings.first { $0.type == .blockPublicAccessDisabled })
        #expect(finding.evidence.first?.detail.contains("account-level settings still apply") == true)
        #expect(!report.types("analytics-public-policy").contains(.bucketPublic))
    }

    @Test func restrictedBySourceVpce() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-vpce-only"))
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy.allowsPublicReadAccess
                == false)
        #expect(
            bucket.evidence.contains {
                $0.verdict == "NOT_PUBLIC" && $0.location == "Statement[0] (Sid \"ReadWriteThroughEndpoint\")"
                    && $0.detail.contains("StringEquals aws:SourceVpce \"vpce-0a1b2c3d4e5f67890\"")
            })
        #expect(bucket.sharedAccess == .notShared)
        #expect(report.types("acme-vpce-only") == [.blockPublicAccessDisabled])
    }

    @Test func restrictedByPrincipalOrgID() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-org-only"))
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(bucket.sharedAccess == .internal)
        #expect(
            bucket.evidence.contains {
                $0.aspect == "sharedAccess" && $0.verdict == "INTERNAL" && $0.detail.contains("o-exampleorg1")
            })
        #expect(
            bucket.evidence.contains {
                $0.aspect == "publicAccess" && $0.verdict == "NOT_PUBLIC" && $0.detail.contains("aws:PrincipalOrgID")
            })
    }

    @Test func sharedWithExternalAccount() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-shared-partner"))
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(bucket.sharedAccess == .external)
        let finding = try #require(report.findings(for: "acme-shared-partner").first { $0.type == .sharedExternally })
        #expect(finding.severity == .high)
        #expect(finding.evidence.count == 1)
        #expect(finding.evidence[0].location == "Statement[0] (Sid \"PartnerRead\")")
        #expect(finding.evidence[0].detail.contains("999988887777"))
        #expect(bucket.evidence.contains { $0.verdict == "INTERNAL" && $0.detail.contains("444455556666") })
    }

    @Test func servedThroughCloudFrontOAC() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-cdn-assets"))
        #expect(bucket.sharedAccess == .external)
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(report.types("acme-cdn-assets") == [.sharedWithCloudFront])
        let finding = try #require(report.findings(for: "acme-cdn-assets").first)
        #expect(finding.severity == .medium)
        #expect(finding.evidence.first?.location == "Statement[0] (Sid \"AllowCloudFrontServicePrincipalReadOnly\")")
        #expect(bucket.allowsUnencryptedObjectUploads == .false)
        #expect(
            bucket.evidence.contains {
                $0.aspect == "allowsUnencryptedObjectUploads"
                    && $0.location == "Statement[1] (Sid \"DenyUnencryptedUploads\")"
            })
    }

    @Test func unencrypted() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-unencrypted"))
        #expect(bucket.serverSideEncryption.type == .none)
        #expect(report.types("acme-unencrypted") == [.encryptionDisabled])
        #expect(report.findings(for: "acme-unencrypted").first?.severity == .low)
        #expect(bucket.versioning == false)
        #expect(bucket.objectCount == 3)
        #expect(bucket.sizeInBytes == 600)
        #expect(bucket.objectCountByEncryptionType?.unencrypted == 3)
    }

    @Test func replicatedExternally() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-replicated"))
        #expect(
            bucket.replicationDetails
                == ReplicationDetails(
                    replicated: true, replicatedExternally: true, replicationAccounts: ["999988887777", "111122223333"])
        )
        let finding = try #require(report.findings(for: "acme-replicated").first { $0.type == .replicatedExternally })
        #expect(finding.severity == .high)
        #expect(finding.evidence.map(\.location) == ["Rules[to-partner-dr]"])
        #expect(bucket.evidence.contains { $0.location == "Rules[to-private-copy]" && $0.verdict == "INTERNAL" })
    }

    @Test func malformedPolicyIsUnknownWithReason() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-broken-policy"))
        #expect(bucket.publicAccess.effectivePermission == .unknown)
        #expect(bucket.sharedAccess == .unknown)
        #expect(bucket.allowsUnencryptedObjectUploads == .unknown)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy.allowsPublicReadAccess
                == nil)
        #expect(bucket.errorMessage?.contains("not valid JSON") == true)
        #expect(bucket.evidence.contains { $0.source == "bucketPolicy" && $0.verdict == "UNKNOWN" })
        #expect(!report.types("acme-broken-policy").contains(.bucketPublic))
    }

    @Test func aclCollectionErrorIsUnknownWithReason() throws {
        let report = try sampleReport()
        let bucket = try #require(report.bucket("acme-acl-denied"))
        #expect(bucket.publicAccess.effectivePermission == .unknown)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.accessControlList.allowsPublicReadAccess
                == nil)
        #expect(bucket.errorMessage?.contains("AccessDenied") == true)
        #expect(bucket.sharedAccess == .unknown)
    }

    @Test func configSnapshotGivesTheSameVerdicts() throws {
        let input = try AuditSource.load(path: corpusURL("sample-config/config-snapshot.json").path)
        let report = Auditor.audit(input, options: AuditOptions(now: fixedNow))
        #expect(report.buckets.map(\.bucketName) == ["acme-public-acl", "acme-vpce-only"])
        let acl = try #require(report.bucket("acme-public-acl"))
        #expect(acl.accountId == "111122223333")
        #expect(acl.publicAccess.effectivePermission == .public)
        #expect(acl.serverSideEncryption.type == .aes256)
        #expect(acl.bucketCreatedAt != nil)
        #expect(report.types("acme-public-acl").contains(.bucketPublic))
        let vpce = try #require(report.bucket("acme-vpce-only"))
        #expect(vpce.publicAccess.effectivePermission == .notPublic)
        // No organization list here: the destination account is not stated, so it is assumed internal.
        #expect(vpce.replicationDetails.replicated == true)
        #expect(vpce.replicationDetails.replicatedExternally == false)
    }

    @Test func renderers() throws {
        let report = try sampleReport()
        let table = AuditRenderer.render(report, format: .table)
        #expect(table.hasPrefix("BUCKET"))
        #expect(table.contains("acme-public-acl"))
        let lines = AuditRenderer.render(report, format: .json).split(separator: "\n")
        #expect(lines.count == report.buckets.count + report.findings.count)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["type"] as? String == "bucket")
        let data = first?["data"] as? [String: Any]
        #expect(data?["bucketName"] as? String == "acme-acl-denied")
        #expect((data?["publicAccess"] as? [String: Any])?["effectivePermission"] as? String == "UNKNOWN")
        let findingLine = try #require(lines.first { $0.contains("\"type\":\"finding\"") })
        let finding = try JSONSerialization.jsonObject(with: Data(findingLine.utf8)) as? [String: Any]
        let body = finding?["data"] as? [String: Any]
        #expect(body?["category"] as? String == "POLICY")
        #expect((body?["type"] as? String)?.hasPrefix("Policy:IAMUser/") == true)
        #expect(((body?["resourcesAffected"] as? [String: Any])?["s3Bucket"] as? [String: Any])?["name"] != nil)
        let csv = AuditRenderer.render(report, format: .csv)
        #expect(csv.split(separator: "\r\n").count == report.buckets.count + 1)
        #expect(csv.hasPrefix("bucketName,accountId,region,effectivePermission"))
    }
}
