/// Text extracted from a Word or PowerPoint package: UTF-8, one paragraph per line, runs
/// joined, tabs and breaks kept, entities decoded. Scan `text` and locate hits with a
/// `LineIndex` over it (Macie reports these as lineRanges).
public struct OOXMLText: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        /// The part's path in the package (`word/document.xml`, `word/header1.xml`, ...).
        public var path: String
        public var range: Range<Int>
    }

    public var text: [UInt8]
    /// Which package part each range of `text` came from, in order.
    public var parts: [Part]

    /// The part holding `offset`.
    public func part(at offset: Int) -> Part? { parts.first { $0.range.contains(offset) } }
}

/// One non-empty cell of a worksheet.
public struct XLSXCell: Sendable, Hashable {
    /// 1-based row and column (A = 1).
    public var row: Int
    public var column: Int
    /// The A1-style reference, e.g. "B7".
    public var reference: String
    /// The value as text: shared and inline strings resolved, numbers as stored, booleans
    /// TRUE/FALSE, errors as their code (#N/A ...). Formulas give their cached value.
    public var value: String
}

/// One worksheet: its name (from the workbook) and its non-empty cells in row order.
public struct XLSXSheet: Sendable, Hashable {
    public var name: String
    /// 1-based position in the workbook.
    public var index: Int
    public var cells: [XLSXCell]
    /// Column names: the values of the sheet's first row, by column (none once
    /// `treatFirstRowAsData()` said that row is data).
    public var columnNames: [Int: String]

    public func columnName(_ column: Int) -> String? { columnNames[column] }

    /// The first row present, when it is the header row that gives column names.
    public var headerRow: Int? { columnNames.isEmpty ? nil : cells.first?.row }

    /// The first row is data, not column names.
    public mutating func treatFirstRowAsData() { columnNames = [:] }

    /// Macie's `cellReference`: `Sheet2!C5`, or `C5` alone when `includeSheetName` is false
    /// (Macie leaves the sheet name out for single-sheet workbooks).
    public func cellReference(_ cell: XLSXCell, includeSheetName: Bool) -> String {
        includeSheetName ? name + "!" + cell.reference : cell.reference
    }

    /// The cells' values as one scannable buffer (each value followed by a line break) and a
    /// map from offsets back to cells.
    public func scanText() -> CellText {
        var text: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(cells.count)
        for cell in cells {
            starts.append(text.count)
            text.append(contentsOf: cell.value.utf8)
            text.append(0x0A)
        }
        return CellText(text: text, starts: starts)
    }
}

/// Cell values laid out in one buffer for the detector; `cellIndex(at:)` maps an offset
/// back to the index of the cell in the sheet's `cells`.
public struct CellText: Sendable, Hashable {
    public var text: [UInt8]
    public var starts: [Int]

    public func cellIndex(at offset: Int) -> Int? {
        guard offset >= 0, offset < text.count, !starts.isEmpty else { return nil }
        var lo = 0
        var hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// Readers for Office Open XML packages (docx, xlsx, pptx) over a `ZipArchive`.
public enum OOXML {
    /// Macie's OOXML limits on the package: total uncompressed bytes, and the compression
    /// ratio of each large part.
    public static func checkLimits(_ zip: ZipArchive, limits: FormatLimits = .macie) throws(FormatError) {
        var total: Int64 = 0
        for entry in zip.entries {
            total = Checked.saturatingAdd(total, entry.uncompressedSize)
            if entry.uncompressedSize >= limits.ooxmlRatioCheckMinimumBytes, entry.declaredRatio > limits.maxOOXMLRatio
            {
                throw FormatError(
                    .ooxmlUncompressedRatioExceedsLimit,
                    "\(entry.path) declares a compression ratio of \(entry.declaredRatioText):1")
            }
        }
        if total > limits.maxOOXMLUncompressedBytes {
            throw FormatError(
                .ooxmlUncompressedSizeExceedsLimit,
                "the package declares \(total) uncompressed bytes, over \(limits.maxOOXMLUncompressedBytes)")
        }
    }

    /// Text of a Word document: the body, then headers, footers, footnotes, endnotes and
    /// comments. Deleted (tracked) text is included; field instructions are not.
    public static func documentText(_ zip: ZipArchive, limits: FormatLimits = .macie) throws -> OOXMLText {
        try checkLimits(zip, limits: limits)
        guard zip.entry(named: "word/document.xml") != nil else {
            throw FormatError.malformed("not a Word document: word/document.xml is missing")
        }
        let kinds = ["header", "footer", "footnotes", "endnotes", "comments"]
        let extras = zip.entries.map(\.path).filter { path in
            let name = path.dropFirst(5)
            return path.hasPrefix("word/") && !name.contains("/") && path.hasSuffix(".xml")
                && kinds.contains { name.hasPrefix($0) }
        }.sorted()
        return try text(of: ["word/document.xml"] + extras, in: zip, limits: limits)
    }

    /// Text of a PowerPoint presentation: slides in order, then notes.
    public static func presentationText(_ zip: ZipArchive, limits: FormatLimits = .macie) throws -> OOXMLText {
        try checkLimits(zip, limits: limits)
        func number(_ path: String, prefix: String) -> Int? {
            guard path.hasPrefix(prefix), path.hasSuffix(".xml") else { return nil }
            return Int(path.dropFirst(prefix.count).dropLast(4))
        }
        let slides = zip.entries.compactMap { e in number(e.path, prefix: "ppt/slides/slide").map { ($0, e.path) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
        let notes = zip.entries.compactMap { e in
            number(e.path, prefix: "ppt/notesSlides/notesSlide").map { ($0, e.path) }
        }.sorted { $0.0 < $1.0 }.map(\.1)
        guard !slides.isEmpty || zip.entry(named: "ppt/presentation.xml") != nil else {
            throw FormatError.malformed("not a PowerPoint presentation")
        }
        return try text(of: slides + notes, in: zip, limits: limits)
    }

    /// The worksheets of an Excel workbook, in workbook order, with shared and inline
    /// strings resolved and column names from each sheet's first row.
    public static func workbook(_ zip: ZipArchive, limits: FormatLimits = .macie) throws -> [XLSXSheet] {
        try checkLimits(zip, limits: limits)
        var budget = Int(clamping: limits.maxOOXMLUncompressedBytes)
        func part(_ path: String) throws -> [UInt8]? {
            guard let entry = zip.entry(named: path) else { return nil }
            let data = try zip.extract(entry, maxBytes: budget)
            budget -= data.count
            return data
        }
        guard let workbookXML = try part("xl/workbook.xml") else {
            throw FormatError.malformed("not an Excel workbook: xl/workbook.xml is missing")
        }
        // Sheet names and relationship ids.
        var declared: [(name: String, rid: String?)] = []
        workbookXML.withUnsafeBytes { raw in
            var xml = XMLScanner(raw)
            while let event = xml.next() {
                if case .start(let name, let attributes, _) = event, xml.localName(name, is: "sheet") {
                    declared.append(
                        (
                            xml.attributeString("name", in: attributes) ?? "Sheet\(declared.count + 1)",
                            xml.attributeString("id", in: attributes)
                        ))
                }
            }
        }
        // Relationship targets.
        var targets: [String: String] = [:]
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            rels.withUnsafeBytes { raw in
                var xml = XMLScanner(raw)
                while let event = xml.next() {
                    if case .start(let name, let attributes, _) = event, xml.localName(name, is: "Relationship"),
                        let id = xml.attributeString("Id", in: attributes),
                        let target = xml.attributeString("Target", in: attributes)
                    {
                        targets[id] = resolve(target: target, base: "xl/")
                    }
                }
            }
        }
        let shared = try part("xl/sharedStrings.xml").map { data in data.withUnsafeBytes { sharedStrings($0) } } ?? []
        // A shared string is stored once and may be referenced by every cell: the text the
        // sheets produce counts against the package limit as it is produced.
        var textBudget = TextBudget(limit: limits.maxOOXMLUncompressedBytes)
        var sheets: [XLSXSheet] = []
        for (i, sheet) in declared.enumerated() {
            let path = sheet.rid.flatMap { targets[$0] } ?? "xl/worksheets/sheet\(i + 1).xml"
            guard let data = try part(path) else { continue }
            let cells = try data.withUnsafeBytes { raw in
                try worksheetCells(raw, shared: shared, budget: &textBudget)
            }
            var names: [Int: String] = [:]
            if let first = cells.first?.row {
                for cell in cells where cell.row == first { names[cell.column] = cell.value }
            }
            sheets.append(XLSXSheet(name: sheet.name, index: i + 1, cells: cells, columnNames: names))
        }
        return sheets
    }

    /// Byte-level convenience: opens `bytes` as a zip package.
    public static func workbook(bytes: UnsafeRawBufferPointer, limits: FormatLimits = .macie) throws -> [XLSXSheet] {
        try workbook(ZipArchive(bytes), limits: limits)
    }

    public static func documentText(bytes: UnsafeRawBufferPointer, limits: FormatLimits = .macie) throws -> OOXMLText {
        try documentText(ZipArchive(bytes), limits: limits)
    }

    // MARK: - Parts

    private static func text(of paths: [String], in zip: ZipArchive, limits: FormatLimits) throws -> OOXMLText {
        var result = OOXMLText(text: [], parts: [])
        var budget = Int(clamping: limits.maxOOXMLUncompressedBytes)
        for path in paths {
            guard let entry = zip.entry(named: path) else { continue }
            let data = try zip.extract(entry, maxBytes: budget)
            budget -= data.count
            let start = result.text.count
            data.withUnsafeBytes { paragraphs($0, into: &result.text) }
            if result.text.count > start {
                if result.text.last != 0x0A { result.text.append(0x0A) }
                result.parts.append(OOXMLText.Part(path: path, range: start..<result.text.count))
            }
        }
        return result
    }

    /// Paragraph text of WordprocessingML or DrawingML: `t` runs (and `delText`), `p` ends a
    /// line, `tab`, `br` and `cr` become tab and line break. Tab stop definitions (`tabs`),
    /// field instructions and properties are skipped.
    static func paragraphs(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var xml = XMLScanner(raw)
        var inText = false
        var tabsDepth = 0
        while let event = xml.next() {
            switch event {
            case .start(let name, _, let selfClosing):
                if xml.localName(name, is: "t") || xml.localName(name, is: "delText") {
                    inText = !selfClosing
                } else if xml.localName(name, is: "tabs") {
                    if !selfClosing { tabsDepth += 1 }
                } else if xml.localName(name, is: "tab") {
                    if tabsDepth == 0 { out.append(0x09) }
                } else if xml.localName(name, is: "br") || xml.localName(name, is: "cr") {
                    out.append(0x0A)
                } else if xml.localName(name, is: "noBreakHyphen") {
                    out.append(UInt8(ascii: "-"))
                } else if selfClosing, xml.localName(name, is: "p") {
                    out.append(0x0A)  // an empty paragraph is an empty line
                }
            case .end(let name):
                if xml.localName(name, is: "t") || xml.localName(name, is: "delText") {
                    inText = false
                } else if xml.localName(name, is: "tabs") {
                    tabsDepth = max(0, tabsDepth - 1)
                } else if xml.localName(name, is: "p") {
                    // One line per paragraph; empty paragraphs are kept as empty lines.
                    out.append(0x0A)
                }
            case .text(let range):
                if inText { xml.appendDecoded(range, to: &out) }
            case .cdata(let range):
                if inText { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range])) }
            }
        }
    }

    /// `xl/sharedStrings.xml`: each `si` is the concatenation of its `t` elements, phonetic
    /// runs (`rPh`) excluded.
    static func sharedStrings(_ raw: UnsafeRawBufferPointer) -> [String] {
        var xml = XMLScanner(raw)
        var strings: [String] = []
        var current: [UInt8] = []
        var inItem = false
        var inText = false
        var phonetic = 0
        while let event = xml.next() {
            switch event {
            case .start(let name, _, let selfClosing):
                if xml.localName(name, is: "si") {
                    if selfClosing {
                        strings.append("")
                    } else {
                        inItem = true
                        current.removeAll(keepingCapacity: true)
                    }
                } else if xml.localName(name, is: "rPh") {
                    if !selfClosing { phonetic += 1 }
                } else if xml.localName(name, is: "t"), inItem, phonetic == 0 {
                    inText = !selfClosing
                }
            case .end(let name):
                if xml.localName(name, is: "si") {
                    strings.append(decodeEscapes(current))
                    inItem = false
                    inText = false
                } else if xml.localName(name, is: "rPh") {
                    phonetic = max(0, phonetic - 1)
                } else if xml.localName(name, is: "t") {
                    inText = false
                }
            case .text(let range):
                if inText { xml.appendDecoded(range, to: &current) }
            case .cdata(let range):
                if inText { current.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range])) }
            }
        }
        return strings
    }

    /// Bytes of cell text a workbook may produce (each cell's value plus the line break
    /// `scanText` adds).
    struct TextBudget {
        let limit: Int64
        private(set) var produced: Int64 = 0

        init(limit: Int64) { self.limit = limit }

        mutating func spend(_ count: Int) throws(FormatError) {
            produced = Checked.saturatingAdd(produced, Int64(count))
            if produced > limit {
                throw FormatError(
                    .ooxmlUncompressedSizeExceedsLimit,
                    "the workbook's cells expand to more than \(limit) bytes of text (shared strings referenced over and over)"
                )
            }
        }
    }

    /// The largest row and column a cell reference may name: generous next to Excel's own
    /// 1,048,576 rows and 16,384 columns (XFD); anything past them is a lie, not a cell.
    static let maxRow = 1 << 24
    static let maxColumn = 1 << 20

    /// The non-empty cells of a worksheet part. Row numbers and references past `maxRow` and
    /// `maxColumn` make the sheet MALFORMED_FILE.
    static func worksheetCells(
        _ raw: UnsafeRawBufferPointer, shared: [String], budget: inout TextBudget
    ) throws(FormatError) -> [XLSXCell] {
        var xml = XMLScanner(raw)
        var cells: [XLSXCell] = []
        var row = 0
        var column = 0
        var type: [UInt8] = []
        var reference: String?
        var value: [UInt8] = []
        var inValue = false
        var inInline = false
        var inInlineText = false
        var phonetic = 0
        var inCell = false

        func finishCell() throws(FormatError) {
            defer {
                value.removeAll(keepingCapacity: true)
                inCell = false
            }
            let text: String
            switch type {
            case Array("s".utf8):
                guard let index = Int(String(decoding: value, as: UTF8.self).trimmingSpaces), index >= 0,
                    index < shared.count
                else { return }
                text = shared[index]
            case Array("b".utf8):
                text =
                    value == Array("1".utf8)
                    ? "TRUE" : value == Array("0".utf8) ? "FALSE" : String(decoding: value, as: UTF8.self)
            case Array("inlineStr".utf8), Array("str".utf8):
                text = decodeEscapes(value)
            default:
                text = String(decoding: value, as: UTF8.self)
            }
            guard !text.isEmpty else { return }
            try budget.spend(text.utf8.count + 1)
            let ref = reference ?? (columnLetters(column) + String(row))
            cells.append(XLSXCell(row: row, column: column, reference: ref, value: text))
        }

        while let event = xml.next() {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if xml.localName(name, is: "row") {
                    if let r = try xml.attributeString("r", in: attributes).flatMap(rowNumber) {
                        row = r
                    } else {
                        row += 1
                    }
                    guard row <= maxRow else { throw .malformed("a worksheet has more than \(maxRow) rows") }
                    column = 0
                } else if xml.localName(name, is: "c") {
                    reference = xml.attributeString("r", in: attributes)
                    if let reference, let parsed = try checkedReference(reference) {
                        column = parsed.column
                        if parsed.row > 0 { row = parsed.row }
                    } else {
                        column += 1
                        reference = nil
                        guard column <= maxColumn else {
                            throw .malformed("a worksheet row has more than \(maxColumn) cells")
                        }
                    }
                    type =
                        xml.attribute("t", in: attributes).map { Array(UnsafeRawBufferPointer(rebasing: raw[$0])) }
                        ?? []
                    value.removeAll(keepingCapacity: true)
                    inCell = !selfClosing
                } else if inCell, xml.localName(name, is: "v") {
                    inValue = !selfClosing
                } else if inCell, xml.localName(name, is: "is") {
                    inInline = !selfClosing
                    if type.isEmpty { type = Array("inlineStr".utf8) }
                } else if inInline, xml.localName(name, is: "rPh") {
                    if !selfClosing { phonetic += 1 }
                } else if inInline, phonetic == 0, xml.localName(name, is: "t") {
                    inInlineText = !selfClosing
                }
            case .end(let name):
                if xml.localName(name, is: "c") {
                    if inCell { try finishCell() }
                } else if xml.localName(name, is: "v") {
                    inValue = false
                } else if xml.localName(name, is: "is") {
                    inInline = false
                } else if xml.localName(name, is: "rPh") {
                    phonetic = max(0, phonetic - 1)
                } else if xml.localName(name, is: "t") {
                    inInlineText = false
                }
            case .text(let range):
                if inValue || inInlineText { xml.appendDecoded(range, to: &value) }
            case .cdata(let range):
                if inValue || inInlineText { value.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range])) }
            }
        }
        return cells
    }

    /// "B7" → (row 7, column 2); "$AA$10" works too. Nil for text that is not a reference,
    /// and for one past `maxRow` or `maxColumn`.
    static func parseReference(_ reference: String) -> (row: Int, column: Int)? {
        (try? checkedReference(reference)) ?? nil
    }

    /// Like `parseReference`, but a reference past `maxRow` or `maxColumn` (say
    /// `XFD99999999999999999999`) throws MALFORMED_FILE rather than being ignored.
    static func checkedReference(_ reference: String) throws(FormatError) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var sawDigit = false
        var tooLarge = false
        for b in reference.utf8 {
            if b == UInt8(ascii: "$") { continue }
            let upper = b & ~0x20
            if !sawDigit, upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") {
                // Stop growing once past the limit (keep reading to tell a reference from text).
                if column <= maxColumn {
                    column = column * 26 + Int(upper - UInt8(ascii: "A") + 1)
                } else {
                    tooLarge = true
                }
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                sawDigit = true
                if row <= maxRow { row = row * 10 + Int(b - UInt8(ascii: "0")) } else { tooLarge = true }
            } else {
                return nil
            }
        }
        guard column > 0 else { return nil }
        if tooLarge || column > maxColumn || row > maxRow {
            throw .malformed("cell reference \(reference.prefix(40)) is past the largest sheet")
        }
        return (row, column)
    }

    /// A row's `r` attribute: nil when it is not a number (the row then follows the previous
    /// one, as for 0), MALFORMED_FILE when it is past `maxRow`.
    static func rowNumber(_ text: String) throws(FormatError) -> Int? {
        let digits = text.utf8.drop { $0 == 0x20 }.prefix { $0 != 0x20 }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        guard let row = Checked.decimal(digits, max: maxRow) else {
            throw .malformed("row number \(text.prefix(40)) is past the largest sheet")
        }
        return row > 0 ? row : nil
    }

    /// 1 → "A", 27 → "AA".
    public static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// Undoes OOXML's `_xHHHH_` escapes (used for control characters in strings).
    static func decodeEscapes(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"),
                bytes[i + 6] == UInt8(ascii: "_")
            {
                var v: UInt32 = 0
                var ok = true
                for k in 2...5 {
                    guard let h = JSONIndex.hexValue(bytes[i + k]) else {
                        ok = false
                        break
                    }
                    v = v << 4 | h
                }
                if ok, let scalar = Unicode.Scalar(v) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += 7
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A relationship target relative to `base` ("worksheets/sheet1.xml" → "xl/worksheets/
    /// sheet1.xml"; "/xl/x.xml" → "xl/x.xml"; ".." segments resolved).
    static func resolve(target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var parts: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(segment)
        }
        return parts.joined(separator: "/")
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
