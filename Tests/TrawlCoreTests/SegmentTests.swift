import Foundation
import Testing
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport
import TrawlTestSupport

@testable import TrawlCore

/// A large text file scanned in segments by several workers gives exactly the result of
/// one scan of the whole file: the same counts and the same line/column locations.
@Suite struct SegmentTests {
    static func file() throws -> (URL, ObjectRef) {
        let dir = try TemporaryDirectory.make("seg")
        let url = dir.appendingPathComponent("big.log")
        var text = [UInt8]()
        var serial = 1000
        // Short lines with values, then one 3 MB line with values inside it (columns matter),
        // with values placed right across the 1 MiB segment boundaries.
        while text.count < (5 << 20) / 2 {
            text += Array(
                "2024-03-11 user é=\(serial) ssn 536-22-\(String(format: "%04d", serial % 9000 + 1000)) ok\n".utf8)
            serial += 1
        }
        var long = [UInt8]()
        while long.count < 3 << 20 {
            long +=
                Array(String(repeating: "x", count: 997).utf8)
                + Array(" ssn 536-22-\(String(format: "%04d", serial % 9000 + 1000)) ".utf8)
            serial += 1
        }
        text += long + [0x0A]
        for boundary in stride(from: 1 << 20, to: text.count, by: 1 << 20) {
            let value = Array(" ssn 536-22-7777 ".utf8)
            text.replaceSubrange((boundary - 8)..<(boundary - 8 + value.count), with: value)
        }
        FileManager.default.createFile(atPath: url.path, contents: Data(text))
        let object = ObjectRef(
            bucket: "b", key: "big.log", size: Int64(text.count), lastModified: Date(), eTag: "e",
            location: .file(path: url.path))
        return (dir, object)
    }

    @Test func splitScanEqualsWholeScan() throws {
        let (dir, object) = try Self.file()
        defer { TemporaryDirectory.remove(dir) }
        let detector = try Detector(
            identifiers: Catalog.builtin.identifiers.filter { $0.id == "USA_SOCIAL_SECURITY_NUMBER" })
        var settings = AnalyzerSettings()
        settings.occurrenceLimit = 1_000_000  // compare every location, the long line's too
        guard case .file(let path) = object.location else {
            Issue.record("a local file")
            return
        }
        let whole = Analyzer(detector: detector, settings: settings).analyze(object, bytes: FileBytes(path: path))
        settings.splitThreshold = 1 << 20
        settings.segmentSize = 1 << 20
        let sink = CollectingSink()
        try Runner(detector: detector, settings: settings, workers: 2, bytes: { _ in FileBytes(path: path) }).run(
            [object], sink: sink)
        let split = try #require(sink.results.first)
        #expect(sink.results.count == 1)
        #expect(split.status == whole.status)
        #expect(split.sizeClassified == whole.sizeClassified)
        let a = try #require(whole.detections.first)
        let b = try #require(split.detections.first)
        #expect(a.count > 1000)
        #expect(a.occurrences.count == a.count)
        #expect(
            a.occurrences.contains {
                if case .lineRange(_, _, let column, _) = $0 { column > 1_000_000 } else { false }
            })
        #expect(b.count == a.count, "no value lost or counted twice at a segment boundary")
        #expect(b.occurrences == a.occurrences, "the same line and column for every recorded location")
    }
}
