import Foundation
import Testing

/// Ctrl-C stops a scan cleanly: exit 130, and what was found so far is written.
@Suite struct InterruptTests {
    @Test func interruptedScanWritesWhatItFound() throws {
        let root = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let bucket = root.appendingPathComponent("bucket")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        for index in 0..<40 {
            try "customer \(index) ssn 536-22-\(String(format: "%04d", 1000 + index))\n"
                .write(to: bucket.appendingPathComponent("file-\(index).txt"), atomically: true, encoding: .utf8)
        }
        let results = root.appendingPathComponent("results")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["scan", root.path, "--yes", "-j", "1", "--format", "json", "--results", results.path, "--job-id", "int"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS": "100"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        process.interrupt()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let findings = try Binary.jsonLines(stdout)
        let records = try Binary.gunzipLines(results.appendingPathComponent("int.jsonl.gz").path)
        #expect(records.count > 0 && records.count < 40, "\(records.count) results written before the interrupt")
        #expect(findings.count == records.count, "every object analysed before the interrupt has its finding")
    }
}
