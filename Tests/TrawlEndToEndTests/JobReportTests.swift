import Foundation
import Testing
import TrawlTestSupport

/// `trawl report JOB` renders a job's latest run as HTML with the trend over its runs.
@Suite struct JobReportTests {
    @Test func reportShowsTheLatestRunAndTheTrend() throws {
        let state = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(state) }
        let corpus = Repository.url("Corpus/buckets").path
        #expect(
            try TrawlBinary.run(["job", "create", "demo", corpus, "--schedule", "daily", "--state", state.path]).status
                == 0)
        #expect(try TrawlBinary.run(["job", "run", "demo", "--state", state.path]).status == 1)
        #expect(try TrawlBinary.run(["job", "run", "demo", "--full", "--state", state.path]).status == 1)
        let output = state.appendingPathComponent("report.html")
        let report = try TrawlBinary.run(["report", "demo", "--state", state.path, "-o", output.path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: output, encoding: .utf8)
        #expect(html.contains("trawl job demo, run #2"))
        #expect(html.contains("run #1") && html.contains("<svg"))
        #expect(!html.contains("536-22-1734"), "values never appear")
        let older = try TrawlBinary.run(["report", "demo", "--run", "1", "--state", state.path])
        #expect(older.stdout.contains("trawl job demo, run #1"))
        let missing = try TrawlBinary.run(["report", "demo", "--run", "9", "--state", state.path])
        #expect(missing.status == 64)
        // `trawl findings --format html`: the stored findings as one page, escaped, no values.
        let findings = try TrawlBinary.run([
            "findings", "--state", state.path, "--format", "html", "--severity", "High",
        ])
        #expect(findings.status == 0)
        #expect(findings.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(findings.stdout.contains("customers.csv") && findings.stdout.contains("USA_SOCIAL_SECURITY_NUMBER"))
        #expect(!findings.stdout.contains("536-22-1734"))
    }
}
