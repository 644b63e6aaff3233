import Foundation
import Testing
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C stops a scan cleanly: exit 130, and what was found so far is written.
@Suite struct InterruptTests {
    @Test func interruptedScanWritesWhatItFound() throws {
        let root = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(root) }
        let bucket = root.appendingPathComponent("bucket")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        for index in 0..<40 {
            try "customer \(index) ssn 536-22-\(String(format: "%04d", 1000 + index))\n"
                .write(to: bucket.appendingPathComponent("file-\(index).txt"), atomically: true, encoding: .utf8)
        }
        let results = root.appendingPathComponent("results")
        let process = try TrawlBinary.start(
            ["scan", root.path, "--yes", "-j", "1", "--format", "json", "--results", results.path, "--job-id", "int"],
            environment: ["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS": "100"])
        Thread.sleep(forTimeInterval: 1.0)
        process.send(SIGINT)
        let scan = process.wait(timeout: 600)
        #expect(scan.status == 130)
        let findings = try JSONLines.parse(scan.stdout)
        let records = try JSONLines.gunzip(results.appendingPathComponent("int.jsonl.gz").path)
        #expect(records.count > 0 && records.count < 40, "\(records.count) results written before the interrupt")
        #expect(findings.count == records.count, "every object analysed before the interrupt has its finding")
    }
}
