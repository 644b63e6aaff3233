import Foundation
import FuzzDriver
import TrawlObjects

/// Office packages. The first byte picks what the rest is: a whole package (docx, xlsx or
/// pptx through their public readers), or the XML of one part wrapped in a stored package
/// here, so that the fuzzer reaches the XML readers without having to write zip files.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    guard let mode = bytes.first else { return }
    let rest = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
    var limits = FormatLimits()
    limits.maxOOXMLUncompressedBytes = 2 << 20
    switch mode % 4 {
    case 0:
        readPackage(rest, limits: limits)
    case 1:
        // Worksheet XML, then after a 0xFF byte the shared strings.
        let split = rest.firstIndex(of: 0xFF) ?? rest.endIndex
        let sheet = Array(rest[rest.startIndex..<split])
        let shared = split < rest.endIndex ? Array(rest[(split + 1)...]) : []
        let package = storedZip([
            ("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>"#.utf8)),
            (
                "xl/_rels/workbook.xml.rels",
                Array(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared),
        ])
        package.withUnsafeBytes { readPackage($0, limits: limits) }
    case 2:
        let package = storedZip([("word/document.xml", Array(rest)), ("word/header1.xml", Array(rest.prefix(64)))])
        package.withUnsafeBytes { readPackage($0, limits: limits) }
    default:
        let package = storedZip([("ppt/presentation.xml", []), ("ppt/slides/slide1.xml", Array(rest))])
        package.withUnsafeBytes { readPackage($0, limits: limits) }
    }
}

func readPackage(_ bytes: UnsafeRawBufferPointer, limits: FormatLimits) {
    guard let zip = try? ZipArchive(bytes) else { return }
    if let sheets = try? OOXML.workbook(zip, limits: limits) {
        for sheet in sheets {
            let layout = sheet.scanText()
            precondition(layout.starts.count == sheet.cells.count, "one start per cell")
            for offset in [0, layout.text.count / 2, layout.text.count - 1] {
                if let index = layout.cellIndex(at: offset) {
                    _ = sheet.cellReference(sheet.cells[index], includeSheetName: true)
                    _ = sheet.columnName(sheet.cells[index].column)
                }
            }
            for cell in sheet.cells.prefix(100) { _ = OOXML.columnLetters(cell.column) }
        }
    }
    for text in [try? OOXML.documentText(zip, limits: limits), try? OOXML.presentationText(zip, limits: limits)] {
        guard let text else { continue }
        for part in text.parts { precondition(part.range.upperBound <= text.text.count, "part past the text") }
        var lines = LineIndex()
        _ = lines.position(of: text.text.count / 2, in: text.text)
    }
}

/// A zip of stored members (enough for the readers: local headers, directory, end record).
func storedZip(_ members: [(name: String, data: [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var directory: [UInt8] = []
    func u16(_ v: Int, _ to: inout [UInt8]) { to += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: Int, _ to: inout [UInt8]) { for s in [0, 8, 16, 24] { to.append(UInt8(v >> s & 0xFF)) } }
    for (name, data) in members {
        let offset = out.count
        let crc = data.withUnsafeBytes { Int(Deflate.crc32($0)) }
        let nameBytes = Array(name.utf8)
        u32(0x0403_4B50, &out)
        u16(20, &out)
        u16(0x0800, &out)
        u16(0, &out)
        u16(0, &out)
        u16(0x21, &out)
        u32(crc, &out)
        u32(data.count, &out)
        u32(data.count, &out)
        u16(nameBytes.count, &out)
        u16(0, &out)
        out += nameBytes + data
        u32(0x0201_4B50, &directory)
        u16(20, &directory)
        u16(20, &directory)
        u16(0x0800, &directory)
        u16(0, &directory)
        u16(0, &directory)
        u16(0x21, &directory)
        u32(crc, &directory)
        u32(data.count, &directory)
        u32(data.count, &directory)
        u16(nameBytes.count, &directory)
        for _ in 0..<4 { u16(0, &directory) }
        u32(0, &directory)
        u32(offset, &directory)
        directory += nameBytes
    }
    let directoryOffset = out.count
    out += directory
    u32(0x0605_4B50, &out)
    u16(0, &out)
    u16(0, &out)
    u16(members.count, &out)
    u16(members.count, &out)
    u32(directory.count, &out)
    u32(directoryOffset, &out)
    u16(0, &out)
    return out
}

fuzzMain(fuzzOne)
