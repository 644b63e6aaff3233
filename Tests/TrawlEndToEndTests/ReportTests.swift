import Foundation
import Testing
import TrawlCore
import TrawlTestSupport

/// `trawl scan --format html|sarif` and `--buckets` on Corpus/buckets, as a user runs them.
@Suite(.serialized) struct ReportTests {
    static let corpus = Repository.url("Corpus/buckets").path
    static let demoAccount = Repository.fixtures("TrawlReportTests/Resources/demo-account").path
    static let schema = Repository.fixtures("TrawlReportTests/Resources/sarif-schema-2.1.0.json").path

    @Test func htmlReportOfTheCorpus() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        let output = directory.appendingPathComponent("report.html").path
        // SOURCE relative, as a user in the repository types it: the report names it as given.
        let run = try TrawlBinary.run(["scan", "Corpus/buckets", "--format", "html", "--yes", "--output", output])
        #expect(run.status == 1, "findings: exit 1 (stderr: \(run.stderr))")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("</html>"))
        for bucket in ["acme-app-logs", "acme-config", "acme-customer-exports", "acme-docs"] {
            #expect(html.contains(bucket))
        }
        #expect(html.contains("UNSUPPORTED_FILE_TYPE_EXCEPTION"), "skipped images are listed by reason")
        #expect(html.contains("id=\"estimate-table\""), "the estimate is shown against the scan")
        #expect(!html.contains("src=\"http") && !html.contains("<link"), "nothing is fetched")
        #expect(html.contains("<code>Corpus/buckets</code>"))
        #expect(!html.contains(Repository.root.path), "no machine paths in the report")
    }

    @Test func sarifOfTheCorpusValidatesAndKeepsFingerprints() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        var fingerprints: [[String]] = []
        for job in ["first", "second"] {
            let output = directory.appendingPathComponent("\(job).sarif").path
            let run = try TrawlBinary.run([
                "scan", Self.corpus, "--identifiers", "all", "--format", "sarif", "--yes", "--output", output,
                "--job-id", job,
            ])
            #expect(run.status == 1, "stderr: \(run.stderr)")
            let validation = try JSONSchema.validate(document: output, schema: Self.schema)
            #expect(validation.status == 0, "SARIF must validate against the 2.1.0 schema: \(validation.output)")
            let log =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as! [String: Any]
            let results = ((log["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]])
            #expect(results.count >= 10)
            fingerprints.append(
                results.map { ($0["partialFingerprints"] as! [String: String])["trawlOccurrence/v1"]! }.sorted())
        }
        #expect(fingerprints[0] == fingerprints[1], "two runs over the same data give the same fingerprints")
    }

    @Test func bucketRecordsWithScoresAndExposure() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        let records = directory.appendingPathComponent("buckets.jsonl").path
        let run = try TrawlBinary.run([
            "scan", Self.corpus, "--yes", "--format", "json", "--buckets", records, "--audit", Self.demoAccount,
        ])
        #expect(run.status == 1, "stderr: \(run.stderr)")
        // The findings stream stays Macie-shaped: no bucket records in it.
        #expect(
            try JSONLines.parse(run.stdout).allSatisfy { $0["type"] as? String != nil && $0["sensitivityScore"] == nil }
        )
        let lines = try JSONLines.parse(try String(contentsOfFile: records, encoding: .utf8))
        #expect(lines.count == 4)
        var byName: [String: [String: Any]] = [:]
        for line in lines { byName[line["bucketName"] as! String] = line }
        for (name, line) in byName {
            let score = line["sensitivityScore"] as! Int
            #expect((51...99).contains(score), "\(name) holds sensitive data: \(score)")
            #expect(line["sensitivityScoreLabel"] as? String == "Sensitive")
            #expect(line["statistics"] is [String: Any])
        }
        #expect(
            (byName["acme-customer-exports"]?["publicAccess"] as? [String: Any])?["effectivePermission"] as? String
                == "PUBLIC")
        #expect(byName["acme-docs"]?["sharedAccess"] as? String == "EXTERNAL")
        #expect(byName["acme-config"]?["sharedAccess"] as? String == "NOT_SHARED")
    }

    @Test func unreadableAuditSourceIsAUsageError() throws {
        let run = try TrawlBinary.run([
            "scan", Self.corpus, "--yes", "--format", "html", "--audit", "/nonexistent-audit-source",
        ])
        #expect(run.status == 64)
        #expect(run.stderr.contains("does not exist"))
    }
}
