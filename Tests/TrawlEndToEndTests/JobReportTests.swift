import Foundation
import Testing

/// `trawl report JOB` renders a job's latest run as HTML with the trend over its runs.
@Suite struct JobReportTests {
    @Test func reportShowsTheLatestRunAndTheTrend() throws {
        let state = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let corpus = Binary.repository.appendingPathComponent("Corpus/buckets").path
        #expect(try Binary.run(["job", "create", "demo", corpus, "--schedule", "daily", "--state", state.path]).status == 0)
        #expect(try Binary.run(["job", "run", "demo", "--state", state.path]).status == 1)
        #expect(try Binary.run(["job", "run", "demo", "--full", "--state", state.path]).status == 1)
        let output = state.appendingPathComponent("report.html")
        let report = try Binary.run(["report", "demo", "--state", state.path, "-o", output.path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: output, encoding: .utf8)
        #expect(html.contains("trawl job demo, run #2"))
        #expect(html.contains("run #1") && html.contains("<svg"))
        #expect(!html.contains("536-22-1734"), "values never appear")
        let older = try Binary.run(["report", "demo", "--run", "1", "--state", state.path])
        #expect(older.stdout.contains("trawl job demo, run #1"))
        let missing = try Binary.run(["report", "demo", "--run", "9", "--state", state.path])
        #expect(missing.status == 64)
        // `trawl findings --format html`: the stored findings as one page, escaped, no values.
        let findings = try Binary.run(["findings", "--state", state.path, "--format", "html", "--severity", "High"])
        #expect(findings.status == 0)
        #expect(findings.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(findings.stdout.contains("customers.csv") && findings.stdout.contains("USA_SOCIAL_SECURITY_NUMBER"))
        #expect(!findings.stdout.contains("536-22-1734"))
    }
}
