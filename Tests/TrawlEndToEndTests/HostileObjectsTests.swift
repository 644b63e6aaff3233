import Foundation
import Testing
import TrawlTestSupport

/// Objects built to stop, blind or leak a scan (scripts/make-hostile-corpus.py writes them byte
/// by byte): headers whose numbers lie, a shared string referenced 20,000 times, values where
/// column and member names belong, an object slow to match. Through the built binary: the scan
/// completes, each object has its status and reason, the next object of its bucket is still
/// scanned, and no output holds a value.
@Suite struct HostileObjectsTests {
    /// Values the corpus holds; none may appear in any output.
    static let values = ["4532015112830366", "234-56-7891", "4916338506082832", "456-78-9123", "345-67-8912"]

    static func corpus() throws -> URL {
        let root = try TemporaryDirectory.make("hostile")
        let tree = root.appendingPathComponent("tree")
        let made = try Subprocess.run(
            "/usr/bin/env", ["python3", Repository.url("scripts/make-hostile-corpus.py").path, tree.path])
        #expect(made.status == 0, "\(made.output)")
        return root
    }

    /// `bucket/key` → (status, reason) from a discovery-results file.
    static func statuses(_ results: URL) throws -> [String: [String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: results.path).filter {
            $0.hasSuffix(".jsonl.gz")
        }
        var out: [String: [String: Any]] = [:]
        for file in files {
            for record in try JSONLines.gunzip(results.appendingPathComponent(file).path) {
                let object = (record["resourcesAffected"] as? [String: Any])?["s3Object"] as? [String: Any]
                let result = (record["classificationDetails"] as? [String: Any])?["result"] as? [String: Any]
                if let path = object?["path"] as? String { out[path] = result }
            }
        }
        return out
    }

    static func code(_ result: [String: Any]?) -> String {
        let status = result?["status"] as? [String: Any]
        return "\(status?["code"] as? String ?? "-") \(status?["reason"] as? String ?? "-")"
    }

    @Test func lyingHeadersGetAReasonAndTheScanGoesOn() throws {
        let root = try Self.corpus()
        defer { TemporaryDirectory.remove(root) }
        let results = root.appendingPathComponent("results")
        let findings = root.appendingPathComponent("findings.jsonl")
        let run = try TrawlBinary.run([
            "scan", root.appendingPathComponent("tree").path, "--identifiers", "all", "--yes", "--workers", "2",
            "--format", "json", "-o", findings.path, "--results", results.path,
        ])
        #expect(run.terminationReason == .exit && run.status == 1, "\(run.output)")
        let statuses = try Self.statuses(results)
        let expected = [
            "archives/zip64-extra.zip": "SKIPPED MALFORMED_FILE",
            "archives/no-directory.zip": "SKIPPED MALFORMED_FILE",
            "archives/pax-huge.tar": "SKIPPED MALFORMED_FILE",
            "archives/pax-negative.tar": "SKIPPED MALFORMED_FILE",
            "archives/base256.tar": "SKIPPED MALFORMED_FILE",
            "office/row-overflow.xlsx": "SKIPPED MALFORMED_FILE",
            "office/shared-string-bomb.xlsx": "SKIPPED OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT",
            "exports/headerless.csv": "COMPLETE -",
            "exports/member-name.json": "COMPLETE -",
        ]
        for (path, want) in expected { #expect(Self.code(statuses[path]) == want, "\(path)") }
        // Entries that GNU tools extract as files are scanned, never passed over.
        for path in ["archives/folder-member.zip", "archives/unknown-type.tar"] {
            #expect(Self.code(statuses[path]) == "COMPLETE -", "\(path)")
            #expect((statuses[path]?["sensitiveData"] as? [Any])?.isEmpty == false, "\(path)")
        }
        // The 72-byte zip whose ZIP64 locator points at 2^64-1 has no readable structure at all.
        #expect(Self.code(statuses["archives/zip64-locator.zip"]).hasPrefix("SKIPPED "))
        // Every bucket's last object was still read, and found.
        for bucket in ["archives", "office", "exports", "slow"] {
            let canary = statuses["\(bucket)/zz-canary.txt"]
            #expect(Self.code(canary) == "COMPLETE -", "\(bucket)")
            #expect((canary?["sensitiveData"] as? [Any])?.isEmpty == false, "\(bucket)")
        }
        // Values never become names: no column name and no path holds a value.
        let findingsText = try String(contentsOf: findings, encoding: .utf8)
        #expect(findingsText.contains("\"columnName\":null"))
        #expect(findingsText.contains("\"jsonPath\":\"$.*.card\""))
        let resultsText = try FileManager.default.contentsOfDirectory(atPath: results.path).map {
            try JSONLines.gunzip(results.appendingPathComponent($0).path).map { "\($0)" }.joined()
        }.joined()
        for value in Self.values {
            for (name, text) in [
                "stdout": run.stdout, "stderr": run.stderr, "findings": findingsText, "results": resultsText,
            ] {
                #expect(!text.contains(value), "\(name) holds a value")
            }
        }
    }

    @Test func everyOutputFormatKeepsValuesOutOfNames() throws {
        let root = try Self.corpus()
        defer { TemporaryDirectory.remove(root) }
        for format in ["csv", "sarif", "html"] {
            let output = root.appendingPathComponent("out.\(format)")
            let run = try TrawlBinary.run([
                "scan", root.appendingPathComponent("tree").path, "--identifiers", "all", "--yes", "--format", format,
                "-o", output.path,
            ])
            #expect(run.status == 1, "\(format): \(run.output)")
            let text = try String(contentsOf: output, encoding: .utf8)
            #expect(!text.isEmpty)
            for value in Self.values { #expect(!text.contains(value), "\(format) holds a value") }
        }
    }

    @Test func aPatternSlowOnAnObjectStopsAtTheDeadline() throws {
        let root = try Self.corpus()
        defer { TemporaryDirectory.remove(root) }
        // Every digit starts a match whose look-ahead reads the rest of the object: quadratic.
        let custom = root.appendingPathComponent("slow.json")
        try #"[{"name": "slow", "regex": "\\d(?=.*Z)"}]"#.write(to: custom, atomically: true, encoding: .utf8)
        let results = root.appendingPathComponent("results")
        let started = Date()
        let run = try TrawlBinary.run(
            [
                "scan", root.appendingPathComponent("tree").path, "--include-bucket", "slow", "--custom", custom.path,
                "--yes",
                "--object-time-limit", "2", "--results", results.path,
            ], timeout: 300)
        #expect(run.terminationReason == .exit && run.status == 1, "\(run.output)")
        #expect(Date().timeIntervalSince(started) < 120)
        let statuses = try Self.statuses(results)
        #expect(Self.code(statuses["slow/digits.txt"]) == "PARTIAL TIME_CUT_OFF_REACHED")
        #expect(Self.code(statuses["slow/zz-canary.txt"]) == "COMPLETE -")
        #expect(run.stdout.contains("TIME_CUT_OFF_REACHED: 1"))
    }

    @Test func aFIFOInABucketIsSkippedWithAReasonNotWaitedOn() throws {
        let root = try TemporaryDirectory.make("fifo")
        defer { TemporaryDirectory.remove(root) }
        let bucket = root.appendingPathComponent("tree/b")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        #expect(mkfifo(bucket.appendingPathComponent("pipe").path, 0o644) == 0)
        try "ssn 345-67-8912\n".write(
            to: bucket.appendingPathComponent("zz-canary.txt"), atomically: true, encoding: .utf8)
        let results = root.appendingPathComponent("results")
        let run = try TrawlBinary.run(
            ["scan", root.appendingPathComponent("tree").path, "--yes", "--results", results.path], timeout: 60)
        #expect(run.status == 1, "\(run.output)")
        let statuses = try Self.statuses(results)
        #expect(Self.code(statuses["b/pipe"]) == "SKIPPED UNSUPPORTED_FILE_TYPE_EXCEPTION")
        #expect(Self.code(statuses["b/zz-canary.txt"]) == "COMPLETE -")
    }

    @Test func utf16TextIsDecodedAndScanned() throws {
        let root = try TemporaryDirectory.make("utf16")
        defer { TemporaryDirectory.remove(root) }
        let bucket = root.appendingPathComponent("tree/b")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        var little = Data([0xFF, 0xFE])
        little.append("hello\nssn: 234-56-7891\n".data(using: .utf16LittleEndian)!)
        try little.write(to: bucket.appendingPathComponent("notes.txt"))
        var big = Data([0xFE, 0xFF])
        big.append("name,ssn\nJane,234-56-7891\n".data(using: .utf16BigEndian)!)
        try big.write(to: bucket.appendingPathComponent("people.csv"))
        let run = try TrawlBinary.run(["scan", root.appendingPathComponent("tree").path, "--yes", "--format", "json"])
        #expect(run.status == 1, "\(run.output)")
        let findings = try JSONLines.parse(run.stdout)
        #expect(findings.count == 2)
        #expect(run.stdout.contains(#""lineRanges":[{"end":2,"start":2,"startColumn":6}]"#))
        #expect(run.stdout.contains(#""columnName":"ssn""#))
    }
}
