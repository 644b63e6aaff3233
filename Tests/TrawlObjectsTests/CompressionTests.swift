import Testing

@testable import TrawlObjects

@Suite struct CompressionTests {
    @Test func deflateRoundTrips() throws {
        let text = [UInt8](String(repeating: "The quick brown fox 123-45-6789\n", count: 5000))
        for container in [Inflate.Container.gzip, .raw, .zlib] {
            let packed = Deflate.compress(text, container: container)
            #expect(packed.count < text.count / 10)
            #expect(try Inflate.inflate(packed, container: container) == text)
        }
        #expect(try Inflate.inflate(Deflate.compress([], container: .gzip), container: .gzip) == [])
        #expect([UInt8]("123456789").withUnsafeBytes { Deflate.crc32($0) } == 0xCBF4_3926)
    }

    @Test func truncatedGzipKeepsWhatWasRead() {
        let text = [UInt8]((0..<20000).map { "line \($0) of the log\n" }.joined())
        let gzip = Deflate.compress(text, container: .gzip)
        let truncated = Array(gzip[0..<(gzip.count / 2)])
        var produced: [UInt8] = []
        #expect(throws: InflateError.self) {
            try truncated.withUnsafeBytes { raw in
                try Inflate.inflate(raw, container: .gzip) { produced.append(contentsOf: $0) }
            }
        }
        // Partial output is a true prefix, so the runner can report PARTIAL with findings.
        #expect(produced.count > 0)
        #expect(Array(text[0..<produced.count]) == produced)
        do {
            _ = try Inflate.inflate(truncated, container: .gzip)
        } catch let error as InflateError {
            #expect(FormatError(error).reason == .malformedFile)
        } catch {
            Issue.record("unexpected \(error)")
        }
        // Cut inside the header or the trailer.
        #expect(throws: InflateError.self) { try Inflate.inflate(Array(gzip[0..<5]), container: .gzip) }
        #expect(throws: InflateError.self) { try Inflate.inflate(Array(gzip.dropLast(4)), container: .gzip) }
    }

    @Test func gzipBombIsBounded() {
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let bomb = Deflate.compress(zeros, container: .gzip, level: 9)
        #expect(bomb.count < 64 << 10)
        var total = 0
        do {
            try bomb.withUnsafeBytes { raw in
                try Inflate.inflate(raw, container: .gzip, maxOutput: 1 << 20) { total += $0.count }
            }
            Issue.record("no limit")
        } catch let error as InflateError {
            #expect(error == .outputLimit(1 << 20))
            #expect(FormatError(error).reason == .archiveTotalBytesExtractedOverLimit)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(total == 1 << 20)
    }

    @Test func gzipHeaderNamesTheInnerFile() {
        // FNAME and FCOMMENT set, as `gzip` writes them.
        var gzip: [UInt8] = [0x1F, 0x8B, 8, 0x08 | 0x10, 0x10, 0x32, 0x47, 0x66, 0, 3]
        gzip += [UInt8]("customers.csv") + [0] + [UInt8]("nightly") + [0]
        let body = Array(Deflate.compress([UInt8]("a,b\n"), container: .raw))
        gzip += body + [0, 0, 0, 0, 4, 0, 0, 0]
        let header = GzipHeader.parse(gzip)
        #expect(header?.originalName == "customers.csv")
        #expect(header?.comment == "nightly")
        #expect(header?.modified == 0x6647_3210)
        #expect(header?.headerLength == 10 + 14 + 8)
        #expect(GzipHeader.parse([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3, 0x61]) == nil)  // name cut off
        #expect(GzipHeader.parse([UInt8]("not gzip at all")) == nil)

        #expect(GzipHeader.innerName(objectName: "logs/app.json.gz", header: nil) == "logs/app.json")
        #expect(GzipHeader.innerName(objectName: "dump.GZIP", header: nil) == "dump")
        #expect(GzipHeader.innerName(objectName: "backup.tgz", header: nil) == "backup.tar")
        #expect(GzipHeader.innerName(objectName: "data.gz", header: header) == "customers.csv")
        #expect(
            ContentKind.fileExtension(of: GzipHeader.innerName(objectName: "a/b.jsonl.gz", header: header)) == "jsonl")
    }

    @Test func streamingDeflaterMatchesOneShot() throws {
        let deflater = Deflater(container: .gzip)
        var out: [UInt8] = []
        var expected: [UInt8] = []
        for i in 0..<200 {
            let line = [UInt8]("{\"record\": \(i)}\n")
            expected += line
            line.withUnsafeBytes { deflater.compress($0) { out.append(contentsOf: $0) } }
        }
        deflater.finish { out.append(contentsOf: $0) }
        #expect(try Inflate.inflate(out, container: .gzip) == expected)
    }
}
