import Testing

@testable import TrawlObjects

@Suite struct OOXMLTests {
    @Test func docxParagraphsRunsAndEntities() throws {
        let docx = try fixture("sample.docx")
        let text = try docx.withUnsafeBytes { try OOXML.documentText(bytes: $0) }
        let lines = String(decoding: text.text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Employee record")
        #expect(lines[1] == "Name: Jane Q. Doe\tSSN: 123-45-6789")
        #expect(lines[2] == "")
        #expect(lines[3] == "Card")
        #expect(lines[4] == "4111 1111 1111 1111")
        #expect(lines[5] == "Tom & Jerry <tj@example.com> été")
        #expect(lines[6] == "second lineinserteddeleted")
        #expect(lines[7] == "Confidential header")
        #expect(text.parts.map(\.path) == ["word/document.xml", "word/header1.xml"])
        // Lines for findings come from a LineIndex over the text.
        let ssn = [UInt8]("123-45-6789")
        let at = (0...(text.text.count - ssn.count)).first { Array(text.text[$0..<$0 + ssn.count]) == ssn }!
        var index = LineIndex()
        #expect(index.position(of: at, in: text.text) == TextPosition(line: 2, column: 24))
        #expect(text.part(at: at)?.path == "word/document.xml")
    }

    @Test func xlsxSheetsCellsAndColumnNames() throws {
        let xlsx = try fixture("sample.xlsx")
        let sheets = try xlsx.withUnsafeBytes { try OOXML.workbook(bytes: $0) }
        #expect(sheets.map(\.name) == ["Customers", "Q&A Notes"])
        let customers = sheets[0]
        let values = Dictionary(uniqueKeysWithValues: customers.cells.map { ($0.reference, $0.value) })
        #expect(values["A1"] == "name")
        #expect(values["D1"] == "balance")
        #expect(values["A2"] == "Jane Doe")  // rich text runs joined
        #expect(values["B2"] == "123-45-6789")  // phonetic run left out
        #expect(values["C2"] == "jane@example.com")  // inline string
        #expect(values["D2"] == "1234.5")
        #expect(values["A3"] == "line\rbreak & more")  // _x000D_ escape
        #expect(values["B3"] == nil)  // empty cell
        #expect(values["C3"] == "TRUE")
        #expect(values["AA3"] == "42")
        let ssn = customers.cells.first { $0.value == "123-45-6789" }!
        #expect(ssn.row == 2 && ssn.column == 2)
        #expect(customers.columnName(ssn.column) == "ssn")
        #expect(customers.columnName(27) == nil)
        #expect(customers.cellReference(ssn, includeSheetName: true) == "Customers!B2")
        #expect(customers.cellReference(ssn, includeSheetName: false) == "B2")

        let notes = sheets[1]
        #expect(notes.cells.map(\.reference) == ["B2", "B5"])
        #expect(notes.headerRow == 2)
        #expect(notes.columnName(2) == "key")

        let layout = customers.scanText()
        let offset = layout.starts[customers.cells.firstIndex(of: ssn)!] + 4
        #expect(layout.cellIndex(at: offset).map { customers.cells[$0] } == ssn)
    }

    @Test func ooxmlLimits() throws {
        let xlsx = try fixture("sample.xlsx")
        try xlsx.withUnsafeBytes { raw in
            let zip = try ZipArchive(raw)
            var small = FormatLimits()
            small.maxOOXMLUncompressedBytes = 1000
            do {
                _ = try OOXML.workbook(zip, limits: small)
                Issue.record("no error")
            } catch let error as FormatError {
                #expect(error.reason == .ooxmlUncompressedSizeExceedsLimit)
            }
        }
        // A sheet part that inflates far beyond the ratio limit.
        let padding = [UInt8](String(repeating: "<row/>", count: 100_000))
        let bomb = ZipBuilder.build([
            .init(name: "[Content_Types].xml", data: [UInt8]("<Types/>")),
            .init(
                name: "xl/workbook.xml",
                data: [UInt8]("<workbook><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>")),
            .init(
                name: "xl/worksheets/sheet1.xml",
                data: [UInt8]("<worksheet><sheetData>") + padding + [UInt8]("</sheetData></worksheet>")),
        ])
        try bomb.withUnsafeBytes { raw in
            do {
                _ = try OOXML.workbook(bytes: raw)
                Issue.record("no error")
            } catch let error as FormatError {
                #expect(error.reason == .ooxmlUncompressedRatioExceedsLimit)
            }
            var lenient = FormatLimits()
            lenient.maxOOXMLRatio = 10_000
            // Without relationships the sheet is found by its conventional name.
            let sheets = try OOXML.workbook(ZipArchive(raw), limits: lenient)
            #expect(sheets.count == 1 && sheets[0].cells.isEmpty)
        }
        // A zip that is not a workbook.
        try ZipBuilder.build([.init(name: "a.txt", data: [UInt8]("x"))]).withUnsafeBytes { raw in
            #expect(throws: FormatError.self) { try OOXML.workbook(bytes: raw) }
            #expect(throws: FormatError.self) { try OOXML.documentText(bytes: raw) }
        }
    }

    @Test func pptxSlidesInOrder() throws {
        func slide(_ text: String) -> [UInt8] {
            [UInt8](
                "<p:sld xmlns:a=\"a\" xmlns:p=\"p\"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>\(text)</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
            )
        }
        let pptx = ZipBuilder.build([
            .init(name: "[Content_Types].xml", data: [UInt8]("<Types/>")),
            .init(name: "ppt/presentation.xml", data: [UInt8]("<p:presentation/>")),
            .init(name: "ppt/slides/slide10.xml", data: slide("ten")),
            .init(name: "ppt/slides/slide2.xml", data: slide("two")),
            .init(name: "ppt/slides/slide1.xml", data: slide("one &amp; only")),
        ])
        let text = try pptx.withUnsafeBytes { try OOXML.presentationText(ZipArchive($0)) }
        #expect(String(decoding: text.text, as: UTF8.self) == "one & only\ntwo\nten\n")
        #expect(ContentKind.sniff(fileExtension: "", head: pptx) == .pptx)
    }

    @Test func xmlScannerOddities() {
        let xml = [UInt8](
            "<?xml version=\"1.0\"?><!-- <w:t>no</w:t> --><!DOCTYPE x><w:p><w:t a=\"x>y\"><![CDATA[a<b]]></w:t><w:t/></w:p><w:p><w:t>&#65;&#x42;&bogus;&amp</w:t>"
        )
        var out: [UInt8] = []
        xml.withUnsafeBytes { OOXML.paragraphs($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "a<b\nAB&bogus;&amp")
        #expect(OOXML.parseReference("$AB$12")! == (12, 28))
        #expect(OOXML.parseReference("12A") == nil)
        #expect(OOXML.columnLetters(1) == "A" && OOXML.columnLetters(26) == "Z" && OOXML.columnLetters(703) == "AAA")
        #expect(OOXML.resolve(target: "../media/x.xml", base: "xl/worksheets/") == "xl/media/x.xml")
    }
}
