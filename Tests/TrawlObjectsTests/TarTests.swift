import Testing

@testable import TrawlObjects

@Suite struct TarTests {
    @Test func gnuLongNames() throws {
        let tar = try fixture("gnu_longname.tar")
        tar.withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.error == nil)
            #expect(archive.entries.count == 3)
            #expect(archive.entries[0].kind == .directory)
            let csv = archive.entries[1]
            #expect(
                csv.path == "deep/" + String(repeating: "d", count: 120) + "/customers-export-"
                    + String(repeating: "x", count: 40) + ".csv")
            #expect(csv.kind == .file && csv.modified == 1_715_949_000)
            #expect(Array(raw[csv.dataRange]) == [UInt8]("name,ssn\nJane,123-45-6789\n"))
            #expect(archive.entries[2].path == "short.txt")
            #expect(Array(raw[archive.entries[2].dataRange]) == [UInt8]("hello"))
        }
    }

    @Test func paxPaths() throws {
        let tar = try fixture("pax.tar")
        tar.withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.error == nil)
            #expect(
                archive.entries.map(\.path) == [
                    "deep", "résumés/" + String(repeating: "p", count: 110) + ".txt", "short.txt",
                ])
            #expect(archive.entries[1].size == 26)
        }
    }

    @Test func truncatedArchiveKeepsEarlierEntries() throws {
        let tar = try fixture("gnu_longname.tar")
        // Cut inside the second file's data: the first entries survive, the cut one is partial.
        let csvHeaderEnd = tar.withUnsafeBytes { TarArchive($0).entries[1].dataRange.lowerBound }
        let cut = Array(tar[0..<(csvHeaderEnd + 10)])
        cut.withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.error?.reason == .malformedFile)
            #expect(archive.entries.count == 2)
            #expect(archive.entries[1].isTruncated)
            #expect(archive.entries[1].dataRange.count == 10)
        }
        // Cut inside a header.
        Array(tar[0..<700]).withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.entries.count == 1)
            #expect(archive.error?.offset == 512)
        }
        // A damaged header stops at that entry.
        var damaged = tar
        damaged[csvHeaderEnd - 512 + 10] ^= 0x55
        damaged.withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.error?.reason == .malformedFile)
            #expect(archive.entries.count == 1)
        }
        // Text is not a tar.
        [UInt8](String(repeating: "x", count: 600)).withUnsafeBytes { raw in
            #expect(TarArchive(raw).error != nil)
        }
    }

    @Test func numericFields() {
        var field = [UInt8](repeating: 0, count: 12)
        field[0] = 0x80
        field[11] = 0x10
        field[10] = 0x01
        #expect(field.withUnsafeBytes { TarArchive.number($0, 0, 12) } == 0x0110)
        #expect([UInt8]("00000000017 ").withUnsafeBytes { TarArchive.number($0, 0, 12) } == 15)
        #expect([UInt8]("   17\0      ").withUnsafeBytes { TarArchive.number($0, 0, 12) } == 15)
        #expect([UInt8]("0000000001x ").withUnsafeBytes { TarArchive.number($0, 0, 12) } == nil)
    }
}
