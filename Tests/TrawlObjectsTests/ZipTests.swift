import Testing

@testable import TrawlObjects

@Suite struct ZipTests {
    @Test func readsTheCentralDirectory() throws {
        let members: [ZipBuilder.Member] = [
            .init(name: "docs/", data: [], deflate: false),
            .init(name: "docs/customers.csv", data: [UInt8](String(repeating: "Jane,123-45-6789\n", count: 100))),
            .init(name: "docs/stored.txt", data: [UInt8]("stored as is"), deflate: false),
            .init(name: "../../etc/passwd", data: [UInt8]("just a name")),
            .init(name: "résumé.txt", data: [UInt8]("unicode name")),
        ]
        let bytes = ZipBuilder.build(members)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.error == nil)
            #expect(archive.entries.map(\.path) == members.map(\.name))
            #expect(archive.entries[0].isDirectory)
            let csv = archive.entries[1]
            #expect(csv.method == 8 && csv.isReadable && !csv.isEncrypted)
            #expect(csv.uncompressedSize == 1700)
            #expect(csv.compressedSize < 200)
            #expect(csv.modified == 1_715_947_200)  // 2024-05-17 12:00:00 UTC
            for (entry, member) in zip(archive.entries, members) where !entry.isDirectory {
                #expect(try archive.extract(entry, maxBytes: 1 << 20) == member.data)
            }
            var budget = ArchiveBudget()
            try archive.checkDeclaredLimits(budget)
            for entry in archive.entries where !entry.isDirectory {
                try budget.admit(declaredSize: entry.uncompressedSize)
                budget.record(extractedBytes: Int(entry.uncompressedSize))
            }
            #expect(budget.documents == 4)
        }
    }

    @Test func zip64AndPrefixedArchives() throws {
        let members: [ZipBuilder.Member] = [
            .init(name: "a.txt", data: [UInt8]("alpha")), .init(name: "b.txt", data: [UInt8]("beta"), deflate: false),
        ]
        for zip in [
            ZipBuilder.build(members, zip64: true),
            ZipBuilder.build(members, prefix: [UInt8]("#!/bin/sh\nexec unzip \"$0\"\n")),
            ZipBuilder.build(members, zip64: true, prefix: [UInt8](repeating: 0x90, count: 100)),
        ] {
            try zip.withUnsafeBytes { raw in
                let archive = try ZipArchive(raw)
                #expect(archive.entries.map(\.path) == ["a.txt", "b.txt"])
                #expect(archive.entries.map(\.uncompressedSize) == [5, 4])
                #expect(try archive.extract(archive.entries[0], maxBytes: 100) == [UInt8]("alpha"))
                #expect(try archive.extract(archive.entries[1], maxBytes: 100) == [UInt8]("beta"))
            }
        }
    }

    @Test func pythonZipWithDataDescriptors() throws {
        let zip = try fixture("descriptors.zip")
        try zip.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries.map(\.path) == ["notes/readme.txt", "notes/empty.txt"])
            #expect(archive.entries[0].flags & 0x08 != 0)
            let text = try archive.extract(archive.entries[0], maxBytes: 10_000)
            #expect(text == [UInt8](String(repeating: "hello from a streamed zip\n", count: 20)))
            #expect(try archive.extract(archive.entries[1], maxBytes: 10) == [])
        }
    }

    @Test func bombDetectedFromTheCentralDirectory() throws {
        var limits = FormatLimits()
        limits.maxExtractedBytesPerFile = 4 << 20
        limits.maxExtractedBytesTotal = 6 << 20
        limits.ratioCheckMinimumBytes = 1 << 20
        let zeros = [UInt8](repeating: 0, count: 5 << 20)
        // Per-file limit.
        try ZipBuilder.build([.init(name: "zeros.bin", data: zeros)]).withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries[0].declaredRatio > 500)
            #expect(
                failureReason { try archive.checkDeclaredLimits(ArchiveBudget(limits: limits)) }
                    == .archiveTotalBytesExtractedOverLimit)
        }
        // Total limit over several members.
        let three = (0..<3).map { ZipBuilder.Member(name: "z\($0)", data: [UInt8](repeating: 0, count: 3 << 20)) }
        try ZipBuilder.build(three).withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(
                failureReason { try archive.checkDeclaredLimits(ArchiveBudget(limits: limits)) }
                    == .archiveTotalBytesExtractedOverLimit)
        }
        // A ratio deflate cannot produce: the declared size is a lie or a bomb.
        let ratio = ZipBuilder.build([
            .init(name: "r", data: [UInt8](repeating: 7, count: 1 << 20), declaredSize: 3 << 30)
        ])
        try ratio.withUnsafeBytes { raw in
            var huge = FormatLimits()
            huge.maxExtractedBytesPerFile = 1 << 40
            huge.maxExtractedBytesTotal = 1 << 40
            let error = formatError { try ZipArchive(raw).checkDeclaredLimits(ArchiveBudget(limits: huge)) }
            #expect(error?.reason == .archiveTotalBytesExtractedOverLimit)
            #expect(error?.message.contains("ratio") == true)
        }
        // Too many members.
        var few = FormatLimits()
        few.maxArchiveEntries = 2
        try ZipBuilder.build(three).withUnsafeBytes { raw in
            #expect(
                failureReason { try ZipArchive(raw).checkDeclaredLimits(ArchiveBudget(limits: few)) }
                    == .archiveTotalDocumentsProcessedOverLimit)
        }
    }

    @Test func bombThatLiesAboutItsSizeIsStillBounded() throws {
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        let zip = ZipBuilder.build([.init(name: "small.txt", data: zeros, declaredSize: 1000)])
        try zip.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            try archive.checkDeclaredLimits(ArchiveBudget())  // the directory looks harmless
            var produced = 0
            do {
                try archive.extract(archive.entries[0], maxBytes: 1 << 30) { produced += $0.count }
                Issue.record("no error")
            } catch let error as FormatError {
                #expect(error.reason == .malformedFile)
            }
            #expect(produced <= 1001)
            // And a member that is honest but over the caller's limit.
            let honest = ZipBuilder.build([.init(name: "z", data: zeros)])
            try honest.withUnsafeBytes { raw in
                let archive = try ZipArchive(raw)
                var produced = 0
                do {
                    try archive.extract(archive.entries[0], maxBytes: 1 << 20) { produced += $0.count }
                    Issue.record("no error")
                } catch let error as FormatError {
                    #expect(error.reason == .archiveTotalBytesExtractedOverLimit)
                }
                #expect(produced == 1 << 20)
            }
        }
    }

    @Test func corruptTruncatedAndUnsupported() throws {
        let members: [ZipBuilder.Member] = [
            .init(name: "one.txt", data: [UInt8](String(repeating: "first ", count: 50))),
            .init(name: "two.txt", data: [UInt8](String(repeating: "second ", count: 50))),
        ]
        let zip = ZipBuilder.build(members)
        // No central directory: members recovered from local headers.
        let cut = Array(zip[0..<(zip.count - 60)])
        try cut.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.error?.reason == .malformedFile)
            #expect(archive.entries.map(\.path) == ["one.txt", "two.txt"])
            #expect(try archive.extract(archive.entries[1], maxBytes: 1000) == members[1].data)
        }
        // Not a zip.
        [UInt8]("hello").withUnsafeBytes { raw in
            #expect(throws: FormatError.self) { try ZipArchive(raw) }
        }
        // A flipped data byte fails the CRC or the inflate.
        var corrupt = zip
        corrupt[40] ^= 0xFF
        try corrupt.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(throws: FormatError.self) { try archive.extract(archive.entries[0], maxBytes: 1000) }
        }
        // Encrypted members are not read.
        let locked = ZipBuilder.build([.init(name: "secret.txt", data: [UInt8]("x"), encrypted: true)])
        try locked.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.entries[0].isEncrypted && !archive.entries[0].isReadable)
            do {
                _ = try archive.extract(archive.entries[0], maxBytes: 10)
            } catch let error as FormatError {
                #expect(error.reason == .unsupportedFileTypeException)
            }
        }
    }

    /// The nesting walk the runner does: extract, sniff, recurse, with one budget per object.
    func walk(_ bytes: [UInt8], depth: Int, budget: inout ArchiveBudget, found: inout [String]) throws {
        try budget.checkNesting(depth: depth)
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            try archive.checkDeclaredLimits(budget)
            for entry in archive.entries where !entry.isDirectory {
                try budget.admit(declaredSize: entry.uncompressedSize)
                let data = try archive.extract(entry, maxBytes: budget.nextMemberByteLimit)
                budget.record(extractedBytes: data.count)
                let kind = ContentKind.sniff(
                    fileExtension: ContentKind.fileExtension(of: entry.path),
                    head: Array(data.prefix(ContentKind.sniffLength)))
                if kind == .zip {
                    try walk(data, depth: depth + 1, budget: &budget, found: &found)
                } else {
                    found.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
    }

    func nested(levels: Int) -> [UInt8] {
        var bytes = ZipBuilder.build([.init(name: "secret.txt", data: [UInt8]("AKIAIOSFODNN7EXAMPLE"))])
        for level in 1..<levels {
            bytes = ZipBuilder.build([.init(name: "level\(levels - level).dat", data: bytes)])
        }
        return bytes
    }

    @Test func tenLevelsAreReadElevenAreNot() throws {
        var budget = ArchiveBudget()
        var found: [String] = []
        try walk(nested(levels: 10), depth: 1, budget: &budget, found: &found)
        #expect(found == ["AKIAIOSFODNN7EXAMPLE"])
        #expect(budget.documents == 10)

        budget = ArchiveBudget()
        found = []
        do {
            try walk(nested(levels: 11), depth: 1, budget: &budget, found: &found)
            Issue.record("no error")
        } catch let error as FormatError {
            #expect(error.reason == .archiveNestingLevelOverLimit)
        }
        #expect(found.isEmpty)
    }
}

@Suite struct ZipDamageTests {
    @Test func wrongDirectoryOffsetFallsBackToLocalHeaders() throws {
        var zip = ZipBuilder.build([.init(name: "a.txt", data: [UInt8]("alpha alpha alpha"))])
        // Point the end record's directory offset past the end of the file.
        let eocd = zip.count - 22
        zip[eocd + 16] = 0xFF
        zip[eocd + 17] = 0xFF
        try zip.withUnsafeBytes { raw in
            let archive = try ZipArchive(raw)
            #expect(archive.error?.reason == .malformedFile)
            #expect(archive.entries.map(\.path) == ["a.txt"])
            #expect(try archive.extract(archive.entries[0], maxBytes: 100) == [UInt8]("alpha alpha alpha"))
        }
    }
}
