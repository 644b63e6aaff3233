import Foundation
import Testing
import TrawlAudit
import TrawlReport
import TrawlTestSupport

@Suite struct HTMLReportTests {
    let report = Fixture.report()

    @Test func collectorTotalsAndBuckets() throws {
        let t = report.totals
        #expect(t.objects == 7)
        #expect(t.findings == 3)
        #expect(t.skipped == 2)
        #expect(t.errors == 1)
        #expect(t.skippedByReason == ["UNSUPPORTED_FILE_TYPE_EXCEPTION": 1, "PERMISSION_DENIED": 1])
        let byName = Dictionary(uniqueKeysWithValues: report.buckets.map { ($0.name, $0) })
        #expect(byName["clean"]?.score.value == 1, "all analysed, nothing found")
        #expect(byName["locked"]?.score.value == -1, "nothing analysed, permission denied")
        let finance = try #require(byName["finance"])
        #expect(finance.score.value > 50)
        #expect(finance.objectsWithFindings == 2 && finance.analysed == 2 && finance.skipped == 1)
        #expect(report.buckets.first?.score.value ?? 0 >= report.buckets.last?.score.value ?? 0, "most sensitive first")
        #expect(report.objects.count == 3)
        #expect(report.objects.first?.severity == .high)
        #expect(report.notAnalysed.map(\.reason).sorted() == ["PERMISSION_DENIED", "UNSUPPORTED_FILE_TYPE_EXCEPTION"])
    }

    @Test func selfContained() {
        let html = HTMLReport.scan(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("default-src 'none'"))
        // No fetches: nothing loads from anywhere (the SVG namespace is a name, not a fetch).
        for pattern in ["src=\"http", "href=\"http", "url(", "@import", "<link", "<img", "<iframe"] {
            #expect(!html.contains(pattern), "\(pattern)")
        }
        #expect(html.components(separatedBy: "<script").count == 2, "exactly one script, ours")
        #expect(html.components(separatedBy: "<svg class=\"chart").count - 1 >= 3)
        #expect(html.contains("class=\"tile"))
        #expect(html.contains("class=\"data sortable\""))
    }

    @Test func hostileNamesAreEscaped() {
        let html = HTMLReport.scan(report)
        for raw in [Fixture.hostileKey, Fixture.hostileBucket, Fixture.hostileColumn, Fixture.hostilePath, "<b>x</b>"] {
            #expect(!html.contains(raw), "\(raw) must not appear unescaped")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("&lt;i onmouseover=alert(3)&gt;email&lt;/i&gt;"))
        #expect(html.contains("$.&lt;svg onload=alert(4)&gt;"))
        #expect(!html.contains("onerror=alert(2)>"))
        #expect(htmlEscaped("a\"b'c&\u{0}") == "a&quot;b&#39;c&amp;\u{FFFD}")
    }

    @Test func valuesAndSamplesNeverAppear() {
        let html = HTMLReport.scan(report)
        #expect(!html.contains(Fixture.sample))
        #expect(!html.contains("redacted"))
    }

    @Test func locationsAreShown() {
        let html = HTMLReport.scan(report)
        #expect(html.contains("line 3:7"))
        #expect(html.contains("row 2, column 3 (card)"))
        #expect(html.contains("record 0 $.&lt;svg"))
        #expect(html.contains("inner/&lt;b&gt;x&lt;/b&gt;.txt: line 1:1"))
    }

    @Test func exposureMarksSensitiveAndExposedBuckets() throws {
        let exposed = Fixture.report(exposure: [
            "finance": BucketExposure(effectivePermission: "PUBLIC", sharedAccess: "NOT_SHARED", encryption: "NONE"),
            "clean": BucketExposure(effectivePermission: "NOT_PUBLIC", sharedAccess: "EXTERNAL", encryption: "AES256"),
            "audited-only": BucketExposure(
                effectivePermission: "NOT_PUBLIC", sharedAccess: "NOT_SHARED", encryption: "AES256"),
        ])
        let finance = try #require(exposed.buckets.first { $0.name == "finance" })
        #expect(finance.isSensitiveAndExposed)
        #expect(
            exposed.buckets.first { $0.name == "clean" }?.isSensitiveAndExposed == false, "exposed but not sensitive")
        #expect(exposed.buckets.first { $0.name == "audited-only" }?.score == .notAnalysed)
        let html = HTMLReport.scan(exposed)
        #expect(html.contains("SENSITIVE &amp; EXPOSED"))
        #expect(html.contains("class=\"flag public\">PUBLIC"))
        #expect(html.contains("SHARED EXTERNALLY"))
    }

    @Test func trendAndCodableRoundTrip() throws {
        let runs = [
            RunSummary(
                runId: "r1", startedAt: Date(timeIntervalSince1970: 1_700_000_000), objects: 10, classifiedBytes: 1000,
                findings: 4, high: 2, medium: 1, low: 1, skipped: 0, errors: 0),
            RunSummary(
                runId: "r2", startedAt: Date(timeIntervalSince1970: 1_700_086_400), objects: 12, classifiedBytes: 1200,
                findings: 3, high: 1, medium: 1, low: 1, skipped: 1, errors: 0),
        ]
        let withTrend = Fixture.report(runs: runs)
        let data = try JSONEncoder().encode(withTrend)
        let decoded = try JSONDecoder().decode(ScanReport.self, from: data)
        #expect(decoded.runs == runs)
        #expect(decoded.buckets == withTrend.buckets)
        let html = HTMLReport.scan(decoded)
        #expect(html.contains("id=\"trend\""))
        #expect(html.contains("svg class=\"chart trend\""))
        #expect(RunSummary(runId: "x", report: withTrend).findings == 3)
        #expect(!HTMLReport.scan(report).contains("id=\"trend\""), "no trend for a one-off scan")
    }

    @Test func bucketRecords() throws {
        let finance = try #require(report.buckets.first { $0.name == "finance" })
        let record = finance.profileJSON(updatedAt: Date(timeIntervalSince1970: 0))
        #expect(record["sensitivityScore"] as? Int == finance.score.value)
        #expect(record["sensitivityScoreLabel"] as? String == "Sensitive")
        let statistics = try #require(record["statistics"] as? [String: Any])
        #expect(statistics["totalItemsSensitive"] as? Int == 2)
        #expect(statistics["totalItemsClassified"] as? Int == 2)
        #expect((record["detections"] as? [[String: Any]])?.count == 3)
    }

    @Test func auditReportOfTheSampleAccount() throws {
        let input = try AuditSource.load(path: Repository.url("Corpus/accounts/sample").path)
        let audit = Auditor.audit(input, options: AuditOptions(now: Date(timeIntervalSince1970: 1_700_000_000)))
        let html = HTMLReport.audit(
            audit, source: "Corpus/accounts/sample", generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(html.contains("trawl audit report"))
        #expect(html.contains("acme-public-policy"))
        #expect(html.contains("class=\"flag public\">PUBLIC"))
        #expect(html.contains("S3BucketPublic"))
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.components(separatedBy: "<a class=\"tile").count - 1 == audit.buckets.count)
        let exposure = BucketExposure.byBucket(audit)
        #expect(exposure["acme-public-policy"]?.isPublic == true)
        #expect(exposure["acme-shared-partner"]?.isSharedExternally == true)
        #expect(exposure["acme-private"]?.isExposed == false)
    }
}

/// The escaping function, through the public surface: a bucket named with the characters.
func htmlEscaped(_ text: String) -> String {
    var report = ScanReport(source: "s", jobId: "j")
    report.title = "T" + text + "T"
    let html = HTMLReport.scan(report)
    let start = html.range(of: "<title>T")!.upperBound
    let end = html.range(of: "T</title>")!.lowerBound
    return String(html[start..<end])
}
