import Testing

@testable import TrawlObjects

@Suite struct LineIndexTests {
    @Test func linesAndColumnsCountCharacters() {
        let text = [UInt8]("ab\ncé€😀x\r\nlast\rmac")
        var index = LineIndex()
        #expect(index.position(of: 0, in: text) == TextPosition(line: 1, column: 1))
        #expect(index.position(of: 1, in: text) == TextPosition(line: 1, column: 2))
        #expect(index.position(of: 3, in: text) == TextPosition(line: 2, column: 1))
        // c é(2) €(3) 😀(4) x
        #expect(index.position(of: 4, in: text) == TextPosition(line: 2, column: 2))
        #expect(index.position(of: 6, in: text) == TextPosition(line: 2, column: 3))
        #expect(index.position(of: 7, in: text) == TextPosition(line: 2, column: 3))  // inside €
        #expect(index.position(of: 9, in: text) == TextPosition(line: 2, column: 4))
        #expect(index.position(of: 13, in: text) == TextPosition(line: 2, column: 5))
        // \r\n is one break; a lone \r is a break.
        #expect(index.position(of: 16, in: text) == TextPosition(line: 3, column: 1))
        #expect(index.position(of: 21, in: text) == TextPosition(line: 4, column: 1))
        // Backwards works too.
        #expect(index.position(of: 4, in: text) == TextPosition(line: 2, column: 2))
    }

    @Test func invalidBytesCountOneEach() {
        // 0xFF, a stray continuation 0x80, a truncated sequence E2 82 then 'A'.
        let text: [UInt8] = [0xFF, 0x80, 0xE2, 0x82, 0x41, 0x42]
        var index = LineIndex()
        #expect(index.position(of: 1, in: text).column == 2)
        #expect(index.position(of: 2, in: text).column == 3)
        #expect(index.position(of: 4, in: text).column == 4)
        #expect(index.position(of: 5, in: text).column == 5)
    }

    @Test func chunksCarryState() {
        let whole = [UInt8]("one\r\ntwo é\nthree\n" + String(repeating: "x", count: 10) + "\nend")
        var reference = LineIndex()
        let expected = (0...whole.count).map { reference.position(of: $0, in: whole) }
        // Split everywhere, including inside \r\n and inside é, with overlap.
        for cut in 1..<whole.count {
            var index = LineIndex()
            let first = Array(whole[0..<cut])
            let overlapStart = max(0, cut - 3)
            let second = Array(whole[overlapStart...])
            for offset in stride(from: 0, to: cut, by: 2) {
                #expect(first.withUnsafeBytes { index.position(of: offset, in: $0) } == expected[offset])
            }
            first.withUnsafeBytes { index.advance(to: overlapStart, in: $0) }
            for offset in overlapStart..<whole.count {
                let got = second.withUnsafeBytes { index.position(of: offset, in: $0, bufferStart: overlapStart) }
                #expect(got == expected[offset], "cut \(cut) offset \(offset)")
            }
        }
    }
}
