import Testing

@testable import TrawlObjects

/// Zip archives that lie about offsets and sizes: each must become a FormatError (or a
/// listing with `error` set), never a trap or a read outside the bytes.
@Suite struct HostileZipTests {
    /// A classic end record (22 bytes) whose fields all say "see ZIP64".
    static func endRecord(entries: Int = 0xFFFF, size: Int = 0xFFFF_FFFF, offset: Int = 0xFFFF_FFFF) -> [UInt8] {
        var w = ByteWriter()
        w.u32(0x0605_4B50)
        w.u16(0)
        w.u16(0)
        w.u16(entries)
        w.u16(entries)
        w.u32(size)
        w.u32(offset)
        w.u16(0)
        return w.bytes
    }

    static func zip64Locator(recordOffset: Int) -> [UInt8] {
        var w = ByteWriter()
        w.u32(0x0706_4B50)
        w.u32(0)
        w.u64(recordOffset)
        w.u32(1)
        return w.bytes
    }

    /// A local header (no extra field unless given) followed by `data`, stored.
    static func localHeader(
        name: String, data: [UInt8], compressed: Int? = nil, uncompressed: Int? = nil, extra: [UInt8] = []
    ) -> [UInt8] {
        var w = ByteWriter()
        w.u32(0x0403_4B50)
        w.u16(20)
        w.u16(0x0800)
        w.u16(0)  // stored
        w.u16(0)
        w.u16(0x21)
        w.u32(data.withUnsafeBytes { Int(Deflate.crc32($0)) })
        w.u32(compressed ?? data.count)
        w.u32(uncompressed ?? data.count)
        w.u16(name.utf8.count)
        w.u16(extra.count)
        w.raw([UInt8](name))
        w.raw(extra)
        w.raw(data)
        return w.bytes
    }

    static func centralHeader(
        name: String, data: [UInt8], compressed: Int, uncompressed: Int, localOffset: Int = 0, extra: [UInt8] = []
    ) -> [UInt8] {
        var w = ByteWriter()
        w.u32(0x0201_4B50)
        w.u16(0x031E)
        w.u16(45)
        w.u16(0x0800)
        w.u16(0)
        w.u16(0)
        w.u16(0x21)
        w.u32(data.withUnsafeBytes { Int(Deflate.crc32($0)) })
        w.u32(compressed)
        w.u32(uncompressed)
        w.u16(name.utf8.count)
        w.u16(extra.count)
        w.u16(0)
        w.u16(0)
        w.u16(0)
        w.u32(0)
        w.u32(localOffset)
        w.raw([UInt8](name))
        w.raw(extra)
        return w.bytes
    }

    @Test func zip64LocatorPointingAtTheLastByteOfTheAddressSpace() {
        // 30 bytes of nothing, a ZIP64 locator naming offset 2^64-1, a classic end record: 72 bytes.
        let bytes = [UInt8](repeating: 0x41, count: 30) + Self.zip64Locator(recordOffset: -1) + Self.endRecord()
        #expect(bytes.count == 72)
        #expect(bytes.withUnsafeBytes { raw in failureReason { _ = try ZipArchive(raw) } } == .malformedFile)
    }

    @Test func zip64EndRecordWhoseNumbersDoNotFitInt64() {
        var record = ByteWriter()
        record.u32(0x0606_4B50)
        record.u64(44)
        record.u16(45)
        record.u16(45)
        record.u32(0)
        record.u32(0)
        record.u64(-1)  // entries on this disk
        record.u64(-1)  // entries
        record.u64(-1)  // directory size
        record.u64(Int.max)  // directory offset
        let bytes = record.bytes + Self.zip64Locator(recordOffset: 0) + Self.endRecord()
        #expect(bytes.withUnsafeBytes { raw in failureReason { _ = try ZipArchive(raw) } } == .malformedFile)
    }

    /// A directory whose one entry says its data is 2^63-1 bytes long.
    static func archive(zip64CompressedSize: Int) -> [UInt8] {
        let data = [UInt8]("hello")
        let local = Self.localHeader(name: "a.txt", data: data)
        var extra = ByteWriter()
        extra.u16(1)
        extra.u16(8)
        extra.u64(zip64CompressedSize)
        let central = Self.centralHeader(
            name: "a.txt", data: data, compressed: 0xFFFF_FFFF, uncompressed: data.count, extra: extra.bytes)
        return local + central + Self.endRecord(entries: 1, size: central.count, offset: local.count)
    }

    @Test func centralDirectoryZip64CompressedSizeOfInt64Max() throws {
        let bytes = Self.archive(zip64CompressedSize: Int.max)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.count == 1)
            #expect(archive.entries[0].compressedSize == Int64.max)
            let entry = archive.entries[0]
            #expect(failureReason { _ = try archive.dataRange(of: entry) } == .malformedFile)
            #expect(failureReason { _ = try archive.extract(entry, maxBytes: 1 << 20) } == .malformedFile)
            _ = archive.totalUncompressedSize
            _ = entry.declaredRatio
            try archive.checkDeclaredLimits(ArchiveBudget())
        }
    }

    @Test func centralDirectoryZip64SizeBeyondInt64() throws {
        let bytes = Self.archive(zip64CompressedSize: -1)  // 2^64-1
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.isEmpty)
            #expect(archive.error?.reason == .malformedFile)
        }
    }

    @Test func declaredTotalsSaturateInsteadOfOverflowing() throws {
        // Two members that each declare 2^63-1 uncompressed bytes: the sum is over any limit.
        let data = [UInt8]("x")
        var bytes: [UInt8] = []
        var central: [UInt8] = []
        for name in ["a", "b"] {
            var extra = ByteWriter()
            extra.u16(1)
            extra.u16(8)
            extra.u64(Int.max)
            central += Self.centralHeader(
                name: name, data: data, compressed: 1, uncompressed: 0xFFFF_FFFF, localOffset: bytes.count,
                extra: extra.bytes)
            bytes += Self.localHeader(name: name, data: data)
        }
        let directoryOffset = bytes.count
        bytes += central + Self.endRecord(entries: 2, size: central.count, offset: directoryOffset)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.map(\.uncompressedSize) == [Int64.max, Int64.max])
            #expect(archive.totalUncompressedSize == Int64.max)
            var limits = FormatLimits()
            limits.maxExtractedBytesPerFile = .max
            limits.maxCompressionRatio = .infinity
            #expect(
                failureReason { try archive.checkDeclaredLimits(ArchiveBudget(limits: limits)) }
                    == .archiveTotalBytesExtractedOverLimit)
            #expect(failureReason { try OOXML.checkLimits(archive) } == .ooxmlUncompressedRatioExceedsLimit)
            // Extraction stops at the real bytes: one stored byte is not 2^63-1.
            #expect(failureReason { _ = try archive.extract(archive.entries[0], maxBytes: 1 << 20) } == .malformedFile)
        }
    }

    @Test func noCentralDirectoryAndALocalHeaderDeclaringFourGiB() throws {
        // Sizes 0xFFFFFFFF without ZIP64 (4 GiB - 1), and a ZIP64 local field of exactly 4 GiB.
        var zip64 = ByteWriter()
        zip64.u16(1)
        zip64.u16(16)
        zip64.u64(1 << 32)
        zip64.u64(1 << 32)
        let liars = [
            Self.localHeader(
                name: "big.bin", data: [UInt8]("tiny"), compressed: 0xFFFF_FFFF, uncompressed: 0xFFFF_FFFF),
            Self.localHeader(
                name: "big.bin", data: [UInt8]("tiny"), compressed: 0xFFFF_FFFF, uncompressed: 0xFFFF_FFFF,
                extra: zip64.bytes),
        ]
        for liar in liars {
            #expect(liar.withUnsafeBytes { raw in failureReason { _ = try ZipArchive(raw) } } == .malformedFile)
            // After an honest member the honest one is kept, and the damage reported.
            let honest = Self.localHeader(name: "ok.txt", data: [UInt8]("fine"))
            try (honest + liar).withUnsafeBytes { raw in
                let archive = try ZipArchive(raw)
                #expect(archive.entries.map(\.path) == ["ok.txt"])
                #expect(archive.error?.reason == .malformedFile)
                #expect(try archive.extract(archive.entries[0], maxBytes: 100) == [UInt8]("fine"))
            }
        }
    }

    @Test func aMemberThatDeclaresFourGiBButHoldsFiveBytes() throws {
        // The declared size must not be allocated up front; the lie is found when bytes run out.
        let local = Self.localHeader(name: "a.txt", data: [UInt8]("hello"), uncompressed: 0xFFFF_FFFF)
        try local.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.first?.uncompressedSize == 0xFFFF_FFFF)
            #expect(failureReason { _ = try archive.extract(archive.entries[0], maxBytes: .max) } == .malformedFile)
        }
    }

    @Test func extraFieldsThatOverrunTheirBlock() throws {
        // A field claiming 0xFFFF bytes inside a 12-byte block, then a truncated field header.
        var extra = ByteWriter()
        extra.u16(0x5455)
        extra.u16(0xFFFF)
        extra.raw([1, 2, 3, 4, 5, 6, 7, 8])
        let data = [UInt8]("data")
        let local = Self.localHeader(name: "a", data: data)
        let central = Self.centralHeader(
            name: "a", data: data, compressed: data.count, uncompressed: data.count, extra: extra.bytes + [0x01])
        let bytes = local + central + Self.endRecord(entries: 1, size: central.count, offset: local.count)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(try archive.extract(archive.entries[0], maxBytes: 100) == data)
        }
    }

    @Test func aSlashNamedMemberThatHoldsDataIsAFile() throws {
        let secret = [UInt8]("ssn 123-45-6789\n")
        let members: [ZipBuilder.Member] = [
            .init(name: "empty/", data: [], deflate: false),
            .init(name: "notes/", data: secret, deflate: false),
            .init(name: "packed/", data: secret),
        ]
        let bytes = ZipBuilder.build(members)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.map(\.isDirectory) == [true, false, false])
            #expect(try archive.extract(archive.entries[1], maxBytes: 100) == secret)
            #expect(try archive.extract(archive.entries[2], maxBytes: 100) == secret)
        }
        // The same from local headers alone (directory cut off).
        let directoryStart = bytes.withUnsafeBytes { raw in
            (0..<(raw.count - 4)).first {
                raw[$0] == 0x50 && raw[$0 + 1] == 0x4B && raw[$0 + 2] == 1 && raw[$0 + 3] == 2
            }!
        }
        try Array(bytes[0..<directoryStart]).withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.map(\.isDirectory) == [true, false, false])
        }
    }
}
