import Foundation
import Testing

@testable import TrawlObjects

/// Workbooks that lie about row and cell numbers, or expand a little stored text into a
/// great deal: MALFORMED_FILE or a size-limit reason, never a trap or gigabytes asked for.
@Suite struct HostileOOXMLTests {
    /// A stored (uncompressed) xlsx package with one sheet and optional shared strings.
    static func workbook(sheetData: [UInt8], sharedStrings: [UInt8]? = nil) -> [UInt8] {
        var members: [ZipBuilder.Member] = [
            .init(name: "[Content_Types].xml", data: [UInt8]("<Types/>"), deflate: false),
            .init(
                name: "xl/workbook.xml",
                data: [UInt8]("<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
                deflate: false),
            .init(
                name: "xl/_rels/workbook.xml.rels",
                data: [UInt8](
                    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
                deflate: false),
            .init(
                name: "xl/worksheets/sheet1.xml",
                data: [UInt8]("<worksheet><sheetData>") + sheetData + [UInt8]("</sheetData></worksheet>"),
                deflate: false),
        ]
        if let sharedStrings {
            members.append(.init(name: "xl/sharedStrings.xml", data: sharedStrings, deflate: false))
        }
        return ZipBuilder.build(members)
    }

    static func cells(_ xml: String) throws -> [XLSXCell] {
        try workbook(sheetData: [UInt8](xml)).withUnsafeBytes { try OOXML.workbook(bytes: $0) }.first?.cells ?? []
    }

    static func reason(_ xml: String) -> ReasonCode? {
        failureReason { _ = try cells(xml) }
    }

    @Test func rowNumberOfInt64MaxThenAnUnnumberedRow() {
        #expect(
            Self.reason("<row r=\"9223372036854775807\"/><row><c t=\"inlineStr\"><is><t>x</t></is></c></row>")
                == .malformedFile)
        #expect(Self.reason("<row r=\"99999999999999999999999999\"/><row/>") == .malformedFile)
        #expect(
            Self.reason("<row r=\"16777216\"/><row><c t=\"inlineStr\"><is><t>x</t></is></c></row>") == .malformedFile)
    }

    @Test func honestLargeRowNumbersStillWork() throws {
        let cells = try Self.cells(
            "<row r=\"1048576\"><c t=\"inlineStr\"><is><t>last</t></is></c></row><row><c t=\"inlineStr\"><is><t>next</t></is></c></row><row r=\"0\"/><row r=\"x\"/>"
        )
        #expect(cells.map(\.reference) == ["A1048576", "A1048577"])
    }

    @Test func cellReferencesPastTheLargestSheet() throws {
        for reference in [
            "XFD99999999999999999999", "A99999999999999999999999999", "ZZZZZZZZZZZZZZZZZZZZ1", "AAAAAAA1",
        ] {
            #expect(
                Self.reason("<row><c r=\"\(reference)\" t=\"inlineStr\"><is><t>x</t></is></c></row>") == .malformedFile)
            #expect(OOXML.parseReference(reference) == nil)
        }
        let cells = try Self.cells("<row><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>corner</t></is></c></row>")
        #expect(cells.map(\.row) == [1_048_576] && cells.map(\.column) == [16384])
        // Not a reference at all: still ignored, the cell follows the previous one.
        #expect(
            try Self.cells("<row><c r=\"??\" t=\"inlineStr\"><is><t>x</t></is></c></row>").map(\.reference) == ["A1"])
    }

    @Test func tooManyUnnumberedCellsInARow() {
        let many = String(repeating: "<c/>", count: 1 << 20) + "<c t=\"inlineStr\"><is><t>x</t></is></c>"
        #expect(Self.reason("<row>" + many + "</row>") == .malformedFile)
    }

    /// One 1 MiB shared string referenced by 20,000 cells: 1.6 MB stored, 20 GB of cell text.
    @Test func sharedStringReferencedByEveryCell() throws {
        let big = String(repeating: "A", count: 1 << 20)
        let shared = [UInt8]("<sst><si><t>\(big)</t></si><si><t>small</t></si></sst>")
        var sheet = ""
        for _ in 1...20_000 { sheet += "<row><c t=\"s\"><v>0</v></c></row>" }
        let xlsx = Self.workbook(sheetData: [UInt8](sheet), sharedStrings: shared)
        #expect(xlsx.count > 1_500_000 && xlsx.count < 1_800_000)
        let started = Date()
        let failure = xlsx.withUnsafeBytes { raw in formatError { _ = try OOXML.workbook(bytes: raw) } }
        #expect(failure?.reason == .ooxmlUncompressedSizeExceedsLimit)
        #expect(Date().timeIntervalSince(started) < 30)

        // A budget that fits a few references reads them.
        var limits = FormatLimits()
        limits.maxOOXMLUncompressedBytes = 8 << 20
        let few = Self.workbook(
            sheetData: [UInt8](
                "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c></row><row><c t=\"s\"><v>0</v></c></row>"),
            sharedStrings: shared)
        let sheets = try few.withUnsafeBytes { try OOXML.workbook(bytes: $0, limits: limits) }
        #expect(sheets[0].cells.map(\.reference) == ["A1", "B1", "A2"])
        // ... and the same references past a smaller budget stop.
        limits.maxOOXMLUncompressedBytes = 2 << 20
        #expect(
            few.withUnsafeBytes { raw in failureReason { _ = try OOXML.workbook(bytes: raw, limits: limits) } }
                == .ooxmlUncompressedSizeExceedsLimit)
    }
}
