/// Where a byte of a CSV or TSV file lies, as Macie's `cells` give it.
///
/// Rows are records counted from 1 with the header as row 1, so the first data row is row 2
/// (Macie's findings for a CSV with a header show data in rows 2, 3, ...; AWS's reveal
/// sample reads row N as line N of the file). A record that holds a quoted line break is one
/// row. Blank lines are rows (one empty field), as in the line count.
public struct CSVCell: Sendable, Hashable {
    public var row: Int
    /// 1-based column.
    public var column: Int
    /// The header row's value for this column; nil for a column the header does not have.
    public var columnName: String?
    /// The field's content bytes: inside the quotes for a quoted field (doubled quotes kept).
    public var fieldRange: Range<Int>
    /// The field is in the header row: Macie reports hits there as lineRanges, not cells.
    public var isHeader: Bool

    public init(row: Int, column: Int, columnName: String?, fieldRange: Range<Int>, isHeader: Bool) {
        self.row = row
        self.column = column
        self.columnName = columnName
        self.fieldRange = fieldRange
        self.isHeader = isHeader
    }
}

/// A lazily indexed view of CSV/TSV bytes (RFC 4180: quoted fields with `""`, delimiters and
/// line breaks inside quotes, CRLF or LF or CR record ends, an optional UTF-8 BOM, ragged rows).
///
/// Construction makes one pass to find the header and record a checkpoint every
/// `checkpointStride` rows (a few bytes per thousand rows); `locate` re-tokenizes at most
/// that many rows. Nothing is copied: the table is a view over `bytes`, which must stay
/// valid and unchanged while it is used.
///
/// Lenient where real files are: a quote inside an unquoted field is a literal character,
/// and text after a closing quote runs on to the next delimiter. An opening quote that is
/// never closed makes the file `malformed` (the rest of the file would be one field):
/// callers then read it as plain text.
public struct CSVTable {
    public static let checkpointStride = 64

    public let bytes: UnsafeRawBufferPointer
    public let delimiter: UInt8
    public let quote: UInt8?
    /// Where the content starts (3 after a UTF-8 BOM, else 0).
    public let contentStart: Int
    /// Column names from the header row (invalid UTF-8 replaced).
    public private(set) var headers: [String] = []
    /// The header fields' content ranges.
    public private(set) var headerRanges: [Range<Int>] = []
    /// The offset just after the header row's line break (the content start without one).
    public private(set) var headerEnd: Int = 0
    /// Whether row 1 holds column names (`treatFirstRowAsData()` says it does not).
    public private(set) var hasHeader = true
    /// Rows, the header included.
    public private(set) var rowCount: Int = 0
    /// The most fields in one row.
    public private(set) var maxColumns: Int = 0
    /// Set when a quoted field is never closed, with the opening quote's offset.
    public private(set) var malformed: FormatError?
    private var checkpoints: [Int] = []

    /// `delimiter` is `,` for CSV or a tab for TSV; `quote` nil reads no quoting at all.
    public init(
        _ bytes: UnsafeRawBufferPointer, delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\"")
    ) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.quote = quote
        contentStart = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        buildIndex()
    }

    private mutating func buildIndex() {
        var pos = contentStart
        var row = 0
        let n = bytes.count
        while pos < n {
            if row % Self.checkpointStride == 0 { checkpoints.append(pos) }
            row += 1
            var columns = 0
            let isHeaderRow = row == 1
            var headerNames: [String] = []
            var headerFieldRanges: [Range<Int>] = []
            pos = scanRow(from: pos) { field in
                columns += 1
                if isHeaderRow {
                    headerFieldRanges.append(field.content)
                    headerNames.append(fieldString(field))
                }
                if field.unterminated, malformed == nil {
                    malformed = .malformed("quoted field is never closed", at: field.content.lowerBound - 1)
                }
                return true
            }
            if isHeaderRow {
                headers = headerNames
                headerRanges = headerFieldRanges
                headerEnd = pos
            }
            maxColumns = max(maxColumns, columns)
        }
        rowCount = row
    }

    /// The column name for a 1-based column, if the header has it.
    public func columnName(_ column: Int) -> String? {
        column >= 1 && column <= headers.count ? headers[column - 1] : nil
    }

    /// True when `offset` lies in the header row (or the BOM before it).
    public func isHeader(_ offset: Int) -> Bool { offset < headerEnd }

    /// Row 1 is data, not column names: columns are numbered and row 1 is read like any other.
    public mutating func treatFirstRowAsData() {
        hasHeader = false
        headers = []
        headerRanges = []
        headerEnd = contentStart
    }

    /// The cell holding the byte at `offset`. A delimiter or line break belongs to the field
    /// it ends. Nil outside the content (the BOM, or past the end).
    public func locate(_ offset: Int) -> CSVCell? {
        guard offset >= contentStart, offset < bytes.count, !checkpoints.isEmpty else { return nil }
        // The last checkpoint at or before offset.
        var lo = 0
        var hi = checkpoints.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if checkpoints[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var pos = checkpoints[lo]
        var row = lo * Self.checkpointStride
        while pos < bytes.count {
            row += 1
            var column = 0
            var found: Range<Int>?
            pos = scanRow(from: pos) { field in
                column += 1
                if offset < field.end {
                    found = field.content
                    return false
                }
                return true
            }
            if let found {
                return CSVCell(
                    row: row, column: column, columnName: columnName(column), fieldRange: found,
                    isHeader: row == 1 && hasHeader)
            }
        }
        return nil
    }

    /// Calls `body` with every field (content range, 1-based row, 1-based column) in the
    /// given columns (all when nil), rows in order; the header row is row 1.
    public func forEachField(
        inColumns columns: Set<Int>? = nil, includeHeader: Bool = true,
        _ body: (_ range: Range<Int>, _ row: Int, _ column: Int) throws -> Void
    ) rethrows {
        var pos = contentStart
        var row = 0
        while pos < bytes.count {
            row += 1
            var column = 0
            let currentRow = row
            pos = try scanRow(from: pos) { field in
                column += 1
                if includeHeader || currentRow > 1 || !hasHeader, columns?.contains(column) ?? true {
                    try body(field.content, currentRow, column)
                }
                return true
            }
        }
    }

    /// The text of a field, quotes undone when `quoted` (`""` → `"`), invalid UTF-8 replaced.
    public func string(of range: Range<Int>, quoted: Bool) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard quoted, let quote, raw.contains(quote) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            if raw[i] == quote, i + 1 < raw.count, raw[i + 1] == quote { i += 2 } else { i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of a located cell.
    public func string(of cell: CSVCell) -> String {
        let quoted =
            quote != nil && cell.fieldRange.lowerBound > contentStart
            && bytes[cell.fieldRange.lowerBound - 1] == quote!
            && (cell.fieldRange.lowerBound - 1 == contentStart
                || isFieldBoundary(bytes[cell.fieldRange.lowerBound - 2]))
        return string(of: cell.fieldRange, quoted: quoted)
    }

    private func isFieldBoundary(_ b: UInt8) -> Bool { b == delimiter || b == 0x0A || b == 0x0D }

    // MARK: - Tokenizer

    struct Field {
        /// Content bytes (without the quotes of a quoted field).
        var content: Range<Int>
        /// Just past the field's delimiter or line break (or the end of the data).
        var end: Int
        var unterminated: Bool
        var quoted: Bool
    }

    private func fieldString(_ field: Field) -> String { string(of: field.content, quoted: field.quoted) }

    /// Tokenizes the row starting at `start`, calling `body` per field until it returns
    /// false; returns where the next row starts (even when stopped early it finishes the row).
    @inline(__always)
    func scanRow(from start: Int, _ body: (Field) throws -> Bool) rethrows -> Int {
        let n = bytes.count
        var pos = start
        var wantMore = true
        while true {
            var contentStart = pos
            var contentEnd = pos
            var unterminated = false
            var quoted = false
            if let quote, pos < n, bytes[pos] == quote {
                // Quoted field.
                quoted = true
                contentStart = pos + 1
                var i = pos + 1
                var closed = false
                while i < n {
                    if bytes[i] == quote {
                        if i + 1 < n, bytes[i + 1] == quote {
                            i += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    i += 1
                }
                if closed {
                    contentEnd = i
                    pos = i + 1
                    // Text after the closing quote runs on to the next delimiter (lenient).
                    if pos < n, bytes[pos] != delimiter, bytes[pos] != 0x0A, bytes[pos] != 0x0D {
                        while pos < n, bytes[pos] != delimiter, bytes[pos] != 0x0A, bytes[pos] != 0x0D { pos += 1 }
                        contentEnd = pos
                    }
                } else {
                    unterminated = true
                    contentEnd = n
                    pos = n
                }
            } else {
                while pos < n {
                    let b = bytes[pos]
                    if b == delimiter || b == 0x0A || b == 0x0D { break }
                    pos += 1
                }
                contentEnd = pos
            }
            // pos is at a delimiter, a line break or the end.
            if pos >= n {
                if wantMore {
                    _ = try body(
                        Field(content: contentStart..<contentEnd, end: n, unterminated: unterminated, quoted: quoted))
                }
                return n
            }
            let b = bytes[pos]
            if b == delimiter {
                pos += 1
                if wantMore {
                    wantMore = try body(
                        Field(content: contentStart..<contentEnd, end: pos, unterminated: false, quoted: quoted))
                }
                continue
            }
            // Line break: \r\n, \n or a lone \r.
            if b == 0x0D, pos + 1 < n, bytes[pos + 1] == 0x0A { pos += 2 } else { pos += 1 }
            if wantMore {
                _ = try body(Field(content: contentStart..<contentEnd, end: pos, unterminated: false, quoted: quoted))
            }
            return pos
        }
    }
}

extension CSVTable {
    /// A cheap guess at the delimiter of a header line: tab when it has more tabs than commas.
    public static func guessDelimiter(_ head: UnsafeRawBufferPointer) -> UInt8 {
        var tabs = 0
        var commas = 0
        for b in head {
            if b == 0x0A { break }
            if b == 0x09 { tabs += 1 } else if b == UInt8(ascii: ",") { commas += 1 }
        }
        return tabs > commas ? 0x09 : UInt8(ascii: ",")
    }
}
