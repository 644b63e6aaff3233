import Foundation
import Testing
import TrawlCore
import TrawlTestSupport

/// `trawl scan` on Corpus/buckets: every object's status, reason and detections as
/// Corpus/expected-scan.json says, Macie-shaped findings, exit codes, and no value leaked.
@Suite(.serialized) struct ScanCorpusTests {
    static let corpus = Repository.url("Corpus/buckets").path

    @Test func everyObjectMatchesTheExpectedResults() throws {
        let results = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(results) }
        let run = try TrawlBinary.run([
            "scan", Self.corpus, "--identifiers", "all", "--yes", "--format", "json", "--results", results.path,
            "--job-id", "e2e",
        ])
        #expect(run.status == 1, "findings exist: exit 1 (stderr: \(run.stderr))")
        let records = try JSONLines.gunzip(results.appendingPathComponent("e2e.jsonl.gz").path)
        let expectedDocument =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Repository.url("Corpus/expected-scan.json"))) as! [String: Any]
        let expected = expectedDocument["objects"] as! [String: [String: Any]]
        var seen = Set<String>()
        for record in records {
            let resources = record["resourcesAffected"] as! [String: Any]
            let path = (resources["s3Object"] as! [String: Any])["path"] as! String
            seen.insert(path)
            let result = (record["classificationDetails"] as! [String: Any])["result"] as! [String: Any]
            let status = result["status"] as! [String: Any]
            var detections: [String: Int] = [:]
            for group in result["sensitiveData"] as! [[String: Any]] {
                for detection in group["detections"] as! [[String: Any]] {
                    detections[detection["type"] as! String] = detection["count"] as? Int
                }
            }
            guard let want = expected[path] else {
                Issue.record("unexpected object \(path)")
                continue
            }
            #expect(status["code"] as? String == want["status"] as? String, "\(path) status")
            #expect((status["reason"] as? String) == (want["reason"] as? String), "\(path) reason")
            #expect(detections == (want["detections"] as! [String: Int]), "\(path) detections")
        }
        #expect(seen == Set(expected.keys), "one discovery result per object in scope, skipped ones included")
    }

    @Test func findingsHaveMacieShape() throws {
        let run = try TrawlBinary.run(["scan", Self.corpus, "--identifiers", "all", "--yes", "--format", "json"])
        let findings = try JSONLines.parse(run.stdout)
        #expect(findings.count == 10)
        for finding in findings {
            let type = try #require(finding["type"] as? String)
            #expect(type.hasPrefix("SensitiveData:S3Object/"))
            let severity = try #require(finding["severity"] as? [String: Any])
            #expect(["Low", "Medium", "High"].contains(severity["description"] as? String))
            #expect((1...3).contains(severity["score"] as? Int ?? 0))
            #expect(finding["category"] as? String == "CLASSIFICATION")
            let resources = try #require(finding["resourcesAffected"] as? [String: Any])
            let bucket = try #require(resources["s3Bucket"] as? [String: Any])
            #expect(bucket["name"] is String)
            let object = try #require(resources["s3Object"] as? [String: Any])
            for key in ["key", "path", "extension", "size", "eTag", "lastModified"] {
                #expect(object[key] != nil, "s3Object.\(key)")
            }
            let details = try #require(finding["classificationDetails"] as? [String: Any])
            let result = try #require(details["result"] as? [String: Any])
            for key in [
                "status", "mimeType", "sizeClassified", "additionalOccurrences", "sensitiveData",
                "customDataIdentifiers",
            ] {
                #expect(result[key] != nil, "result.\(key)")
            }
            for group in try #require(result["sensitiveData"] as? [[String: Any]]) {
                #expect(
                    ["CREDENTIALS", "FINANCIAL_INFORMATION", "PERSONAL_INFORMATION"].contains(
                        group["category"] as? String))
                #expect(group["totalCount"] is Int)
                for detection in try #require(group["detections"] as? [[String: Any]]) {
                    #expect(detection["type"] is String && detection["count"] is Int)
                    let occurrences = try #require(detection["occurrences"] as? [String: Any])
                    #expect(!occurrences.isEmpty)
                }
            }
        }
        // The CSV export's cells carry row, column and column name.
        let csv = try #require(
            findings.first {
                (($0["resourcesAffected"] as? [String: Any])?["s3Object"] as? [String: Any])?["key"] as? String
                    == "exports/2024/03/customers.csv"
            })
        let groups =
            (((csv["classificationDetails"] as! [String: Any])["result"] as! [String: Any])["sensitiveData"]
                as! [[String: Any]])
        let ssn = groups.flatMap { $0["detections"] as! [[String: Any]] }.first {
            $0["type"] as? String == "USA_SOCIAL_SECURITY_NUMBER"
        }
        let cells = try #require((ssn?["occurrences"] as? [String: Any])?["cells"] as? [[String: Any]])
        #expect(cells.first?["row"] as? Int == 2)
        #expect(cells.first?["column"] as? Int == 4)
        #expect(cells.first?["columnName"] as? String == "ssn")
    }

    @Test func matchedValuesNeverLeak() throws {
        let planted = [
            "536-22-1734", "4556 7375 8689 9855", "4556737586899855", "k7Vd2xQm9Lp3Rt8Wn5Yb1Hc6Jf4Gs0Ze2Uq7Io3N",
            "AB123456C", "FR1420041010050500013M02606", "maria.garcia@example.org", "YWxpY2U6czNjcjN0LXBhc3N3b3Jk",
        ]
        let results = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(results) }
        for format in ["text", "json", "csv"] {
            let run = try TrawlBinary.run([
                "scan", Self.corpus, "--identifiers", "all", "--yes", "--format", format, "--results", results.path,
            ])
            for value in planted {
                #expect(!run.stdout.contains(value), "\(format) output leaks \(value)")
                #expect(!run.stderr.contains(value), "\(format) stderr leaks \(value)")
            }
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: results.path) {
            let records = try JSONLines.gunzip(results.appendingPathComponent(file).path)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: records), as: UTF8.self)
            for value in planted { #expect(!text.contains(value), "results leak \(value)") }
        }
    }

    @Test func redactedSamplesOnlyWhenAsked() throws {
        let run = try TrawlBinary.run([
            "scan", Self.corpus, "--identifiers", "USA_SOCIAL_SECURITY_NUMBER", "--yes", "--format", "json",
            "--show-redacted-samples",
        ])
        #expect(run.stdout.contains("53*******34"))
        #expect(!run.stdout.contains("536-22-1734"))
    }

    @Test func costGateAndExitCodes() throws {
        let notConfirmed = try TrawlBinary.run(["scan", Self.corpus])
        #expect(notConfirmed.status == 3)
        #expect(notConfirmed.stderr.contains("--yes"))
        let withinBudget = try TrawlBinary.run(["scan", Self.corpus, "--max-cost", "5", "--identifiers", "all"])
        #expect(withinBudget.status == 1)
        let overBudget = try TrawlBinary.run(["scan", Self.corpus, "--max-bytes", "1K"])
        #expect(overBudget.status == 3)
        let clean = try TrawlBinary.run([
            "scan", Self.corpus, "--yes", "--include-prefix", "notes/", "--identifiers", "all",
        ])
        #expect(clean.status == 0, "\(clean.stdout)")
        let unknown = try TrawlBinary.run(["scan", Self.corpus, "--yes", "--identifiers", "USA_SOCIAL_SECURITY_NUMBR"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("did you mean USA_SOCIAL_SECURITY_NUMBER"))
        let missing = try TrawlBinary.run(["scan", "no/such/dir", "--yes"])
        #expect(missing.status == 64)
    }

    @Test func estimateAsJSON() throws {
        let run = try TrawlBinary.run(["estimate", Self.corpus, "--format", "json"])
        #expect(run.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let scope = try #require(report["objectsInScope"] as? [String: Any])
        #expect(scope["objects"] as? Int == 16)
        let skipped = try #require(report["notClassifiable"] as? [String: Any])
        #expect((skipped["UNSUPPORTED_FILE_TYPE_EXCEPTION"] as? [String: Any])?["objects"] as? Int == 2)
        #expect(report["compressionMeasured"] as? Int ?? 0 >= 3)
        let macie = try #require(report["macie"] as? [String: Any])
        #expect(macie["usd"] as? Double == 0)
    }

    @Test func samplingIsReproducible() throws {
        let a = try TrawlBinary.run(["estimate", Self.corpus, "--sampling", "50", "--seed", "7", "--format", "json"])
        let b = try TrawlBinary.run(["estimate", Self.corpus, "--sampling", "50", "--seed", "7", "--format", "json"])
        let selectedA = try #require(
            (try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])?["selected"]
                as? [String: Any])
        let selectedB = try #require(
            (try JSONSerialization.jsonObject(with: Data(b.stdout.utf8)) as? [String: Any])?["selected"]
                as? [String: Any])
        #expect(selectedA["objects"] as? Int == selectedB["objects"] as? Int)
        #expect((selectedA["objects"] as? Int ?? 0) < 16)
    }
}
