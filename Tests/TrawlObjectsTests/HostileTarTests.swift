import Testing

@testable import TrawlObjects

/// Tar archives that lie about sizes: each ends the listing with MALFORMED_FILE (entries read
/// before the lie kept), never a trap, an overflow or an endless loop.
@Suite struct HostileTarTests {
    /// A ustar header block with a valid checksum. `sizeField` is the 12 raw bytes of the size
    /// (octal text or GNU base-256); by default the octal of `data.count`.
    static func header(name: String, type: UInt8 = UInt8(ascii: "0"), size: Int, sizeField: [UInt8]? = nil) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) { for (i, b) in bytes.enumerated() { h[offset + i] = b } }
        put([UInt8](name), at: 0)
        put([UInt8]("0000644\0"), at: 100)
        put([UInt8]("0000000\0"), at: 108)
        put([UInt8]("0000000\0"), at: 116)
        put(sizeField ?? [UInt8](String(size, radix: 8).leftPadded(to: 11) + "\0"), at: 124)
        put([UInt8]("14615532310\0"), at: 136)
        h[156] = type
        put([UInt8]("ustar\0") + [UInt8]("00"), at: 257)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        let sum = h.reduce(0) { $0 + Int($1) }
        put([UInt8](String(sum, radix: 8).leftPadded(to: 6) + "\0 "), at: 148)
        return h
    }

    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    static func member(_ name: String, _ data: [UInt8], type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        header(name: name, type: type, size: data.count) + padded(data)
    }

    /// A pax extended header carrying `records` ("key=value" each), for the member after it.
    static func pax(_ records: [String]) -> [UInt8] {
        var body: [UInt8] = []
        for record in records {
            // "<length> key=value\n" where the length counts itself.
            let rest = " " + record + "\n"
            var length = rest.utf8.count + 1
            while String(length).utf8.count + rest.utf8.count != length { length += 1 }
            body += [UInt8](String(length) + rest)
        }
        return member("PaxHeader", body, type: UInt8(ascii: "x"))
    }

    static let honest = member("first.txt", [UInt8]("kept"))
    static let end = [UInt8](repeating: 0, count: 1024)

    func expectMalformedAfterHonest(_ liar: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        (Self.honest + liar + Self.end).withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.entries.first?.path == "first.txt", sourceLocation: sourceLocation)
            #expect(archive.error?.reason == .malformedFile, sourceLocation: sourceLocation)
            for entry in archive.entries {
                #expect(
                    entry.dataRange.lowerBound >= 0 && entry.dataRange.upperBound <= raw.count,
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test func paxSizeOfInt64Max() {
        expectMalformedAfterHonest(Self.pax(["size=9223372036854775807"]) + Self.member("big", [UInt8]("x")))
    }

    @Test func paxSizeNegativeOrNotANumber() {
        for size in ["-1024", "-1", "+12", "99999999999999999999999", "12 ", "0x10", ""] {
            expectMalformedAfterHonest(Self.pax(["size=" + size]) + Self.member("odd", [UInt8]("x")))
        }
    }

    @Test func paxSizeLargerThanTheArchiveIsATruncatedMember() {
        (Self.honest + Self.pax(["size=1099511627776"]) + Self.member("big", [UInt8]("abc"))).withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.entries.map(\.path) == ["first.txt", "big"])
            #expect(archive.entries[1].size == 1 << 40 && archive.entries[1].isTruncated)
            #expect(archive.entries[1].dataRange.upperBound == raw.count)
            #expect(archive.error?.reason == .malformedFile)
        }
    }

    /// A GNU base-256 size field: 0x80 (or 0xFF when negative), then big-endian bytes.
    static func base256(_ value: Int64) -> [UInt8] {
        var field = [UInt8](repeating: value < 0 ? 0xFF : 0, count: 12)
        field[0] = value < 0 ? 0xFF : 0x80
        for i in 0..<8 { field[11 - i] = UInt8(truncatingIfNeeded: value >> (8 * Int64(i))) }
        return field
    }

    @Test func gnuBase256Sizes() {
        #expect(Self.base256(1024).withUnsafeBytes { TarArchive.number($0, 0, 12) } == 1024)
        #expect(Self.base256(-1).withUnsafeBytes { TarArchive.number($0, 0, 12) } == -1)
        #expect(Self.base256(-1024).withUnsafeBytes { TarArchive.number($0, 0, 12) } == -1024)
        #expect(Self.base256(.max).withUnsafeBytes { TarArchive.number($0, 0, 12) } == .max)
        var beyond = [UInt8](repeating: 0, count: 12)  // 2^63: does not fit
        beyond[0] = 0x80
        beyond[4] = 0x80
        #expect(beyond.withUnsafeBytes { TarArchive.number($0, 0, 12) } == nil)
        var huge = [UInt8](repeating: 0xFF, count: 12)  // 2^95-1
        huge[0] = 0xBF
        #expect(huge.withUnsafeBytes { TarArchive.number($0, 0, 12) } == nil)

        for field in [
            Self.base256(.max), Self.base256(.max - 100), beyond, huge, Self.base256(-1), Self.base256(-1024),
        ] {
            expectMalformedAfterHonest(
                Self.header(name: "liar", size: 0, sizeField: field) + [UInt8](repeating: 0x78, count: 512))
        }
    }

    @Test func paxRecordsThatLieAboutTheirLength() {
        // "1 " claims a one-byte record; "5 x" and a length past the end; a huge length.
        for body in ["1 ", "2 a", "5 x", "99 size=1\n", "9999999999999999999999 size=1\n", "3 =\n"] {
            let bytes =
                Self.member("PaxHeader", [UInt8](body), type: UInt8(ascii: "x")) + Self.member("after", [UInt8]("y"))
            bytes.withUnsafeBytes { raw in
                let archive = TarArchive(raw)
                #expect(archive.entries.map(\.path) == ["after"])
            }
        }
    }

    @Test func paxMtimeOutOfRange() {
        for mtime in ["1e300", "-9223372036854775809", "nan", "99999999999999999999.5", "1715949000.75"] {
            (Self.pax(["mtime=" + mtime]) + Self.member("t", [UInt8]("x"))).withUnsafeBytes { raw in
                let archive = TarArchive(raw)
                #expect(archive.entries.count == 1)
            }
        }
        (Self.pax(["mtime=1715949000.75"]) + Self.member("t", [UInt8]("x"))).withUnsafeBytes { raw in
            #expect(TarArchive(raw).entries.first?.modified == 1_715_949_000)
        }
    }

    @Test func unknownTypeFlagsAreFilesToScan() {
        let data = [UInt8]("ssn 123-45-6789\n")
        let bytes =
            Self.member("vendor.bin", data, type: UInt8(ascii: "Z"))
            + Self.member("weird", data, type: 0xC3)
            + Self.member("slashed/", data)
            + Self.member("fifo", [], type: UInt8(ascii: "6"))
            + Self.member("dir/", [], type: UInt8(ascii: "5"))
            + Self.end
        bytes.withUnsafeBytes { raw in
            let archive = TarArchive(raw)
            #expect(archive.error == nil)
            #expect(archive.entries.map(\.kind) == [.file, .file, .file, .other, .directory])
            for entry in archive.entries.prefix(3) { #expect(Array(raw[entry.dataRange]) == data) }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
