import Foundation
import FuzzDriver
import TrawlObjects

/// Delimited text (and text in general): the CSV index with cell lookups, line positions,
/// content sniffing, and UTF-16/UTF-32 transcoding (whole and streamed in small chunks).
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let head = UnsafeRawBufferPointer(rebasing: bytes.prefix(8192))
    let table = CSVTable(bytes, delimiter: CSVTable.guessDelimiter(head))
    var fields = 0
    table.forEachField { range, row, column in
        precondition(
            range.lowerBound >= 0 && range.upperBound <= bytes.count && row >= 1 && column >= 1, "field outside")
        fields += 1
    }
    precondition(fields >= table.rowCount, "a row without a field")
    var lines = LineIndex()
    let probes = Set([0, bytes.count / 3, bytes.count / 2, bytes.count - 1, Int(bytes.first ?? 0) * 7]).sorted()
    for offset in probes where offset >= 0 && offset < bytes.count {
        if let cell = table.locate(offset) {
            precondition(cell.fieldRange.upperBound <= bytes.count, "cell outside")
            _ = table.string(of: cell)
        }
        let position = lines.position(of: offset, in: bytes)
        precondition(position.line >= 1 && position.column >= 1, "position before the start")
    }
    _ = CSVTable(bytes, delimiter: 0x09, quote: nil).rowCount
    _ = ContentKind.sniff(fileExtension: "csv", head: head)
    _ = ContentKind.looksLikeText(head)

    // Text with a byte order mark: whole, then streamed 5 bytes at a time; both must agree.
    guard let (encoding, bomLength) = TextEncoding.detect(head: head), encoding != .utf8 else { return }
    let whole = TextEncoding.utf8(from: bytes) ?? []
    precondition(String(validating: whole, as: UTF8.self) != nil, "transcoder wrote invalid UTF-8")
    var transcoder = UTF8Transcoder(from: encoding)
    var streamed: [UInt8] = []
    var start = bomLength
    while start < bytes.count {
        let end = min(bytes.count, start + 5)
        transcoder.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { streamed += $0 }
        start = end
    }
    transcoder.finish { streamed += $0 }
    precondition(streamed == whole, "streamed and whole transcoding differ")
}

fuzzMain(fuzzOne)
