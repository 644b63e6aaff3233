import Foundation
import Testing
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport
import TrawlTestSupport

@testable import TrawlCore

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input gets a clear per-object status and never stops the analysis.
@Suite struct AnalyzerEdgeCaseTests {
    static let detector: Detector = {
        let ids = ["USA_SOCIAL_SECURITY_NUMBER", "TRAWL_EMAIL_ADDRESS", "CREDIT_CARD_NUMBER"]
        return try! Detector(identifiers: Catalog.builtin.identifiers.filter { ids.contains($0.id) })
    }()

    static func analyze(_ path: String, key: String? = nil) -> ObjectResult {
        let name = key ?? URL(fileURLWithPath: path).lastPathComponent
        var status = stat()
        stat(path, &status)
        let object = ObjectRef(
            bucket: "b", key: name, size: Int64(status.st_size), lastModified: Date(), eTag: "x",
            location: .file(path: path))
        return Analyzer(detector: detector, settings: AnalyzerSettings()).analyze(object, bytes: FileBytes(path: path))
    }

    /// Runs a python3 snippet (zipfile/gzip make real archives) with `dir` as argv[1].
    static func python(_ script: String, _ dir: URL) throws {
        let run = try Subprocess.python(script, [dir.path])
        #expect(run.status == 0, "\(run.stderr)")
    }

    static func count(_ result: ObjectResult, _ id: String) -> Int {
        result.detections.first { $0.info.id == id }?.count ?? 0
    }

    @Test func truncatedGzipIsPartialWithWhatWasRead() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        try Self.python(
            """
            import gzip, sys
            data = gzip.compress(b''.join(b'line %d ssn 536-22-%04d\\n' % (i, 1000 + i) for i in range(20000)))
            open(sys.argv[1] + '/cut.log.gz', 'wb').write(data[: len(data) // 2])
            """, dir)
        let result = Self.analyze(dir.appendingPathComponent("cut.log.gz").path)
        #expect(result.status == .partial)
        #expect(result.reason == .malformedFile)
        #expect(Self.count(result, "USA_SOCIAL_SECURITY_NUMBER") > 1000)
    }

    @Test func zipBombIsRefusedFromItsDirectory() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        // A real bomb, built fast: one full-flushed deflate segment of 64 MiB of zeros is
        // repeated 56 times (segments are independent), so the member inflates to 3.5 GiB,
        // over Macie's 3 GB per-file limit, from about 3.6 MB.
        try Self.python(
            """
            import struct, sys, zlib
            chunk = 64 << 20
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            segment = c.compress(bytes(chunk)) + c.flush(zlib.Z_FULL_FLUSH)
            repeats = 56
            data = segment * repeats + b'\\x03\\x00'
            crc = 0
            zero = bytes(chunk)
            for _ in range(repeats): crc = zlib.crc32(zero, crc)
            size = chunk * repeats
            name = b'zeros.txt'
            extra = struct.pack('<HHQQ', 1, 16, size, len(data))
            local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra)) + name + extra
            cextra = struct.pack('<HHQQ', 1, 16, size, len(data))
            central = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(cextra), 0, 0, 0, 0, 0) + name + cextra
            cd_offset = len(local) + len(data)
            z64 = struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, 1, 1, len(central), cd_offset)
            loc = struct.pack('<IIQI', 0x07064b50, 0, cd_offset + len(central), 1)
            end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
            open(sys.argv[1] + '/bomb.zip', 'wb').write(local + data + central + z64 + loc + end)
            """, dir)
        let result = Self.analyze(dir.appendingPathComponent("bomb.zip").path)
        #expect(result.status == .skipped)
        #expect(result.reason?.rawValue.hasPrefix("ARCHIVE_") == true, "\(String(describing: result.reason))")
        #expect(result.sizeClassified == 0)
    }

    @Test func tenNestedArchivesAreReadElevenAreNot() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        try Self.python(
            """
            import io, sys, zipfile
            def nest(levels):
                data = b'ssn 536-22-1734\\n'
                name = 'inner.txt'
                for level in range(levels):
                    buffer = io.BytesIO()
                    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z: z.writestr(name, data)
                    data, name = buffer.getvalue(), 'level%d.zip' % level
                return data
            open(sys.argv[1] + '/ten.zip', 'wb').write(nest(10))
            open(sys.argv[1] + '/eleven.zip', 'wb').write(nest(11))
            """, dir)
        let ten = Self.analyze(dir.appendingPathComponent("ten.zip").path)
        #expect(ten.status == .complete)
        #expect(Self.count(ten, "USA_SOCIAL_SECURITY_NUMBER") == 1)
        let eleven = Self.analyze(dir.appendingPathComponent("eleven.zip").path)
        #expect(eleven.status == .partial || eleven.status == .skipped)
        #expect(eleven.reason == .archiveNestingLevelOverLimit)
        #expect(Self.count(eleven, "USA_SOCIAL_SECURITY_NUMBER") == 0)
    }

    @Test func oneGigabyteSingleLineFileStreamsInBoundedMemory() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir.appendingPathComponent("one-line.txt").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let filler = Data(repeating: 0x61, count: 1 << 20)
        for _ in 0..<1024 { handle.write(filler) }
        handle.write(Data(" ssn 536-22-1734 end".utf8))
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = Self.analyze(path)
        #expect(result.status == .complete)
        #expect(result.sizeClassified == Int64(1 << 30) + 20)
        #expect(Self.count(result, "USA_SOCIAL_SECURITY_NUMBER") == 1)
        if case .lineRange(let start, _, let column, _)? = result.detections.first?.occurrences.first {
            #expect(start == 1)
            #expect(column == (1 << 30) + 6)
        } else {
            Issue.record("expected a line range")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #expect(usage.ru_maxrss < 400 * 1024, "peak RSS \(usage.ru_maxrss) KiB: the file must be streamed, not loaded")
    }

    @Test func invalidUTF8IsStillScanned() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir.appendingPathComponent("latin1.txt").path
        var bytes: [UInt8] =
            Array("caf".utf8) + [0xE9, 0xFF, 0xFE, 0xC3, 0x28] + Array(" ssn 536-22-1734 mail bob@example.com\n".utf8)
        bytes += [0xF0, 0x28, 0x8C, 0xBC]
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let result = Self.analyze(path)
        #expect(result.status == .complete)
        #expect(Self.count(result, "USA_SOCIAL_SECURITY_NUMBER") == 1)
        #expect(Self.count(result, "TRAWL_EMAIL_ADDRESS") == 1)
    }

    @Test func vanishedFileIsReported() throws {
        let result = Self.analyze("/nonexistent/trawl/\(UUID().uuidString).txt", key: "gone.txt")
        #expect(result.status == .skipped)
        #expect(result.reason == .sourceObjectNoLongerAvailable)
    }

    // Root reads anything: as root, the end-to-end test that drops privileges covers this.
    @Test(
        .disabled(
            if: TestEnvironment.isRoot,
            "root reads every file; as root BadInputTests covers this by dropping privileges"))
    func unreadableFileIsPermissionDenied() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir.appendingPathComponent("secret.txt").path
        FileManager.default.createFile(atPath: path, contents: Data("ssn 536-22-1734".utf8))
        chmod(path, 0)
        let result = Self.analyze(path)
        #expect(result.status == .skipped)
        #expect(result.reason == .permissionDenied)
    }

    @Test func malformedJSONFallsBackToText() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir.appendingPathComponent("broken.json").path
        FileManager.default.createFile(
            atPath: path, contents: Data(#"{"note": "ssn 536-22-1734", "list": [1, 2,"#.utf8))
        let result = Self.analyze(path)
        #expect(result.status == .partial)
        #expect(result.reason == .malformedFile)
        #expect(Self.count(result, "USA_SOCIAL_SECURITY_NUMBER") == 1)
    }

    @Test func jsonPathsAndKeysCountAsKeywords() throws {
        let dir = try TemporaryDirectory.make("core")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir.appendingPathComponent("people.json").path
        FileManager.default.createFile(
            atPath: path,
            contents: Data(
                #"{"people": [{"name": "a", "ssn": "536221734"}, {"social_security": {"value": "482713390"}}]}"#.utf8))
        let result = Self.analyze(path)
        #expect(result.status == .complete)
        let ssn = try #require(result.detections.first { $0.info.id == "USA_SOCIAL_SECURITY_NUMBER" })
        #expect(ssn.count == 2)
        #expect(
            ssn.occurrences == [
                .record(recordIndex: 0, jsonPath: "$.people[0].ssn", embeddedFile: nil),
                .record(recordIndex: 0, jsonPath: "$.people[1].social_security.value", embeddedFile: nil),
            ])
    }
}

@Suite struct PathologicalPatternTests {
    @Test func matchLimitMarksTheObjectAndTheScanGoesOn() throws {
        let detector = try Detector(identifiers: [], custom: [CustomIdentifier(name: "catastrophic", regex: "(a+)+$")])
        let bytes = Array(String(repeating: "a", count: 30_000).utf8) + Array("!\n".utf8)
        let object = ObjectRef(
            bucket: "b", key: "evil.txt", size: Int64(bytes.count), lastModified: Date(), eTag: "x",
            location: .file(path: ""))
        let start = Date()
        let result = Analyzer(detector: detector, settings: AnalyzerSettings()).analyze(
            object, bytes: MemoryBytes(bytes))
        #expect(result.status == .partial)
        #expect(result.reason == .timeCutOffReached)
        #expect(Date().timeIntervalSince(start) < 30, "the limit must stop the match, not the clock")
    }
}
