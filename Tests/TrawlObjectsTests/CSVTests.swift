import Testing

@testable import TrawlObjects

@Suite struct CSVTests {
    func offset(of needle: String, in bytes: [UInt8], occurrence: Int = 0) -> Int {
        let n = [UInt8](needle)
        var seen = 0
        for i in 0...(bytes.count - n.count) where Array(bytes[i..<i + n.count]) == n {
            if seen == occurrence { return i }
            seen += 1
        }
        Issue.record("\(needle) not found")
        return -1
    }

    @Test func quotesNewlinesCRLFAndBOM() {
        let csv =
            [0xEF, 0xBB, 0xBF]
            + [UInt8](
                "name,\"home, address\",ssn\r\n"
                    + "Jane,\"1 Main St\r\nSpringfield\",123-45-6789\r\n"
                    + "\"Bob \"\"The\"\" Builder\",,987-65-4321\r\n"
                    + "short\r\n"
                    + "a,b,c,extra-9\r\n")
        csv.withUnsafeBytes { raw in
            let table = CSVTable(raw)
            #expect(table.headers == ["name", "home, address", "ssn"])
            #expect(table.malformed == nil)
            #expect(table.rowCount == 5)
            #expect(table.maxColumns == 4)

            let ssn = table.locate(offset(of: "123-45", in: csv))
            #expect(ssn?.row == 2)
            #expect(ssn?.column == 3)
            #expect(ssn?.columnName == "ssn")
            #expect(ssn?.isHeader == false)

            let springfield = table.locate(offset(of: "Springfield", in: csv))
            #expect(springfield?.row == 2)
            #expect(springfield?.column == 2)
            #expect(springfield.map { table.string(of: $0) } == "1 Main St\r\nSpringfield")

            let bob = table.locate(offset(of: "Builder", in: csv))!
            #expect(bob.row == 3 && bob.column == 1)
            #expect(table.string(of: bob) == "Bob \"The\" Builder")
            #expect(table.locate(offset(of: "987", in: csv))?.column == 3)

            // Ragged rows: a column the header does not have has no name.
            let extra = table.locate(offset(of: "extra-9", in: csv))!
            #expect(extra.row == 5 && extra.column == 4 && extra.columnName == nil)

            // Header hits are header hits.
            let header = table.locate(offset(of: "address", in: csv))!
            #expect(header.isHeader && header.row == 1 && header.column == 2)
            #expect(table.isHeader(offset(of: "ssn", in: csv)))
            #expect(!table.isHeader(offset(of: "Jane", in: csv)))
            #expect(table.locate(0) == nil)  // the BOM
            #expect(table.locate(csv.count) == nil)
        }
    }

    @Test func everyOffsetMapsToTheSameCellAsARowScan() {
        let csv = [UInt8]("h1,h2\n\"x\ny\",2\n,\n\"q\"\"\",last")
        csv.withUnsafeBytes { raw in
            let table = CSVTable(raw)
            var cells: [(Range<Int>, Int, Int)] = []
            table.forEachField { cells.append(($0, $1, $2)) }
            #expect(cells.map { "\($0.1):\($0.2)" } == ["1:1", "1:2", "2:1", "2:2", "3:1", "3:2", "4:1", "4:2"])
            for (range, row, column) in cells where !range.isEmpty {
                for o in range {
                    let cell = table.locate(o)
                    #expect(cell?.row == row && cell?.column == column && cell?.fieldRange == range)
                }
            }
        }
    }

    @Test func selectedColumnsAndManyRows() {
        var text = "id,secret\n"
        for i in 0..<1000 { text += "\(i),\"s\(i)\"\n" }
        let csv = [UInt8](text)
        csv.withUnsafeBytes { raw in
            let table = CSVTable(raw)
            #expect(table.rowCount == 1001)
            var seen = 0
            table.forEachField(inColumns: [2], includeHeader: false) { range, row, column in
                #expect(column == 2)
                #expect(table.string(of: range, quoted: true) == "s\(row - 2)")
                seen += 1
            }
            #expect(seen == 1000)
            let cell = table.locate(offset(of: "s777", in: csv))
            #expect(cell?.row == 779 && cell?.columnName == "secret")
        }
    }

    @Test func tsvAndUnterminatedQuote() {
        let tsv = [UInt8]("a\tb\nx\ty\"z\n")
        tsv.withUnsafeBytes { raw in
            let table = CSVTable(raw, delimiter: 0x09)
            #expect(table.headers == ["a", "b"])
            #expect(table.locate(7)?.column == 2)  // quote mid-field is literal
            #expect(table.malformed == nil)
        }
        let broken = [UInt8]("a,b\n1,\"never closed\n3,4\n")
        broken.withUnsafeBytes { raw in
            let table = CSVTable(raw)
            #expect(table.malformed?.reason == .malformedFile)
            #expect(table.malformed?.offset == 6)
        }
        #expect([UInt8]("a\tb,c\td\n").withUnsafeBytes { CSVTable.guessDelimiter($0) } == 0x09)
    }

    @Test func invalidUTF8NeverCrashes() {
        let csv: [UInt8] = [0xFF, 0xFE, 0x2C, 0xC3, 0x0A, 0x80, 0x2C, 0x22, 0xE2, 0x82, 0x22, 0x0A, 0xF0]
        csv.withUnsafeBytes { raw in
            let table = CSVTable(raw)
            #expect(table.headers.count == 2)
            for o in 0..<csv.count { _ = table.locate(o) }
            #expect(table.locate(8)?.row == 2)
        }
        // Empty and blank inputs.
        [UInt8]().withUnsafeBytes { #expect(CSVTable($0).rowCount == 0) }
        [UInt8]("\n\n").withUnsafeBytes { raw in
            let table = CSVTable(raw)
            #expect(table.rowCount == 2)
            #expect(table.locate(1)?.row == 2)
        }
    }
}
