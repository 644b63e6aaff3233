import Foundation
import Testing
import TrawlTestSupport

@Suite struct AuditCommandTests {
    static let sample = Repository.url("Corpus/accounts/sample").path

    @Test func sampleAccountVerdictsAndExitStatus() throws {
        let run = try TrawlBinary.run(["audit", Self.sample, "--format", "json"])
        #expect(run.status == 1, "High findings exist: exit 1")
        let lines = try JSONLines.parse(run.stdout)
        var buckets: [String: [String: Any]] = [:]
        var findings: [(String, String, String)] = []
        for line in lines {
            let data = try #require(line["data"] as? [String: Any])
            switch line["type"] as? String {
            case "bucket": buckets[data["bucketName"] as! String] = data
            case "finding":
                let severity = (data["severity"] as? [String: Any])?["description"] as? String ?? ""
                let bucket =
                    (((data["resourcesAffected"] as? [String: Any])?["s3Bucket"]) as? [String: Any])?["name"] as? String
                    ?? ""
                findings.append((bucket, data["type"] as? String ?? "", severity))
            default: break
            }
        }
        func permission(_ name: String) -> String? {
            ((buckets[name]?["publicAccess"] as? [String: Any])?["effectivePermission"]) as? String
        }
        #expect(permission("acme-private") == "NOT_PUBLIC")
        #expect(permission("acme-public-acl") == "PUBLIC")
        #expect(permission("acme-public-policy") == "PUBLIC")
        #expect(permission("acme-vpce-only") == "NOT_PUBLIC")
        #expect(permission("acme-org-only") == "NOT_PUBLIC")
        #expect(permission("acme-broken-policy") == "UNKNOWN")
        #expect(buckets["acme-cdn-assets"]?["sharedAccess"] as? String == "EXTERNAL")
        #expect(
            findings.contains {
                $0.0 == "acme-public-policy" && $0.1 == "Policy:IAMUser/S3BucketPublic" && $0.2 == "High"
            })
        #expect(
            findings.contains {
                $0.0 == "acme-cdn-assets" && $0.1 == "Policy:IAMUser/S3BucketSharedWithCloudFront" && $0.2 == "Medium"
            })
        #expect(buckets.values.allSatisfy { $0["evidence"] != nil }, "every bucket carries evidence")
    }

    @Test func unreadableSourceExitsTwo() throws {
        let run = try TrawlBinary.run(["audit", "no/such/folder"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no/such/folder"))
    }

    @Test func estimateFromAnInventoryManifestAlone() throws {
        let manifest = Self.sample + "/_inventory/acme-private/daily/2026-11-01T01-00Z/manifest.json"
        let run = try TrawlBinary.run(["estimate", manifest, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((report["objectsInScope"] as? [String: Any])?["objects"] as? Int == 6)
        let skipped = try #require(report["notClassifiable"] as? [String: Any])
        #expect(skipped["INVALID_OBJECT_STATE"] != nil, "Glacier objects are not classifiable")
        #expect(skipped["INVALID_ENCRYPTION"] != nil, "SSE-C objects are not classifiable")
        let scan = try TrawlBinary.run(["scan", manifest, "--yes"])
        #expect(scan.status == 64)
    }
}
