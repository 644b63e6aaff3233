import Testing

@testable import TrawlObjects

@Suite struct TextEncodingTests {
    static let sample = "SSN: 123-45-6789\r\nnaïve café 😀 €\n"

    static func encode(_ text: String, _ encoding: TextEncoding, bom: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        switch encoding {
        case .utf8:
            if bom { out += [0xEF, 0xBB, 0xBF] }
            out += Array(text.utf8)
        case .utf16LittleEndian, .utf16BigEndian:
            let little = encoding == .utf16LittleEndian
            if bom { out += little ? [0xFF, 0xFE] : [0xFE, 0xFF] }
            for unit in text.utf16 {
                let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
                out += little ? pair : pair.reversed()
            }
        case .utf32LittleEndian, .utf32BigEndian:
            let little = encoding == .utf32LittleEndian
            if bom { out += little ? [0xFF, 0xFE, 0, 0] : [0, 0, 0xFE, 0xFF] }
            for scalar in text.unicodeScalars {
                let v = scalar.value
                let quad = [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
                out += little ? quad : quad.reversed()
            }
        }
        return out
    }

    @Test func detectsByteOrderMarks() {
        #expect(TextEncoding.detect(head: Self.encode("x", .utf16LittleEndian))! == (.utf16LittleEndian, 2))
        #expect(TextEncoding.detect(head: Self.encode("x", .utf16BigEndian))! == (.utf16BigEndian, 2))
        #expect(TextEncoding.detect(head: Self.encode("x", .utf32LittleEndian))! == (.utf32LittleEndian, 4))
        #expect(TextEncoding.detect(head: Self.encode("x", .utf32BigEndian))! == (.utf32BigEndian, 4))
        #expect(TextEncoding.detect(head: Self.encode("x", .utf8))! == (.utf8, 3))
        #expect(TextEncoding.detect(head: [UInt8]("plain")) == nil)
        #expect(TextEncoding.detect(head: [0xFF]) == nil)
        #expect(TextEncoding.detect(head: []) == nil)
        // An empty UTF-16 LE file is just its mark (and not mistaken for UTF-32 without its zeros).
        #expect(TextEncoding.detect(head: [0xFF, 0xFE, 0x41, 0x00])! == (.utf16LittleEndian, 2))
    }

    @Test func transcodesWholeObjects() {
        for encoding in [TextEncoding.utf16LittleEndian, .utf16BigEndian, .utf32LittleEndian, .utf32BigEndian] {
            let bytes = Self.encode(Self.sample, encoding)
            let utf8 = bytes.withUnsafeBytes { TextEncoding.utf8(from: $0) }
            #expect(utf8 == Array(Self.sample.utf8), "\(encoding)")
        }
        // UTF-8 (with or without a mark) needs nothing.
        #expect(Self.encode("x", .utf8).withUnsafeBytes { TextEncoding.utf8(from: $0) } == nil)
    }

    @Test func streamsAcrossEveryChunkBoundary() {
        for encoding in [TextEncoding.utf16LittleEndian, .utf16BigEndian, .utf32LittleEndian, .utf32BigEndian] {
            let bytes = Array(Self.encode(Self.sample, encoding).dropFirst(encoding.unitSize))
            for chunkSize in 1...7 {
                var transcoder = UTF8Transcoder(from: encoding)
                var out: [UInt8] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + chunkSize)
                    bytes[start..<end].withUnsafeBytes { transcoder.feed($0) { out += $0 } }
                    start = end
                }
                transcoder.finish { out += $0 }
                #expect(out == Array(Self.sample.utf8), "\(encoding) in chunks of \(chunkSize)")
            }
        }
    }

    @Test func invalidInputBecomesReplacementCharacters() {
        let replacement = Array("\u{FFFD}".utf8)
        // A lone high surrogate, a lone low surrogate, then a dangling odd byte.
        let utf16: [UInt8] = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x42, 0x00, 0x43]
        #expect(
            utf16.withUnsafeBytes { TextEncoding.utf8(from: $0) } == replacement + [0x41] + replacement + [0x42]
                + replacement)
        // A high surrogate at the very end.
        #expect(
            [UInt8]([0xFF, 0xFE, 0x41, 0x00, 0x3D, 0xD8]).withUnsafeBytes { TextEncoding.utf8(from: $0) } == [0x41]
                + replacement)
        // UTF-32 values past U+10FFFF and surrogates.
        let utf32: [UInt8] = [0, 0, 0xFE, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0xD8, 0x00, 0, 0, 0, 0x41]
        #expect(utf32.withUnsafeBytes { TextEncoding.utf8(from: $0) } == replacement + replacement + [0x41])
    }

    @Test func outputLimitCutsAtACharacterBoundary() {
        let bytes = Self.encode("ab€€€", .utf16LittleEndian)
        let cut = bytes.withUnsafeBytes { TextEncoding.utf8(from: $0, maxOutput: 6) }
        #expect(cut == Array("ab€".utf8))
        var transcoder = UTF8Transcoder(from: .utf16LittleEndian)
        var out: [UInt8] = []
        bytes.dropFirst(2).withUnsafeBytes { transcoder.feed($0, maxOutput: 4) { out += $0 } }
        #expect(out == Array("ab".utf8) && transcoder.isTruncated && transcoder.produced == 2)
    }
}
