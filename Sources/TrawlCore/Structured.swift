import TrawlDetect
import TrawlObjects

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Analyzer {
    /// CSV/TSV, JSON, JSON Lines, archives and Office documents.
    func analyzeStructured(
        kind: ContentKind, name: String, bytes: ObjectBytes, depth: Int, embeddedPath: String?,
        into context: inout ObjectContext
    ) throws {
        switch kind {
        case .empty:
            return
        case .csv, .tsv, .json, .jsonLines:
            // Structured text is parsed whole; a larger object is still read, as lines.
            let whole: [UInt8]
            do {
                whole = try bytes.readAll(limit: settings.wholeObjectLimit)
            } catch let error as ReadError where error.reason == .fileExceedsSizeLimit {
                try scanTextStream(bytes, embeddedPath: embeddedPath, into: &context)
                return
            }
            try whole.withUnsafeBytes { buffer in
                switch kind {
                case .csv, .tsv:
                    scanCSV(
                        buffer, delimiter: kind == .tsv ? 0x09 : CSVTable.guessDelimiter(buffer),
                        embeddedPath: embeddedPath, into: &context)
                case .json: try scanJSON(buffer, embeddedPath: embeddedPath, into: &context)
                default: scanJSONLines(buffer, embeddedPath: embeddedPath, into: &context)
                }
            }
        case .zip, .docx, .xlsx:
            let whole = try bytes.readAll(
                limit: Int(clamping: FormatLimits.macie.maxFileSize(for: kind) ?? Int64(Int.max)))
            try whole.withUnsafeBytes { buffer in
                let archive: ZipArchive
                do {
                    archive = try ZipArchive(buffer)
                } catch let error as FormatError {
                    throw AnalysisFailure(
                        reason: kind == .zip ? error.reason : .malformedOrFileSizeExceedsLimit, message: error.message)
                }
                // A zip that is really an Office document is read as one.
                let office = kind == .zip ? ContentKind.ooxmlKind(entryNames: archive.entries.map(\.path)) : kind
                switch office {
                case .docx: try scanDocx(archive, embeddedPath: embeddedPath, into: &context)
                case .xlsx: try scanXlsx(archive, embeddedPath: embeddedPath, into: &context)
                case .pptx:
                    throw AnalysisFailure(
                        reason: .unsupportedFileTypeException, message: "PowerPoint files are not analysed")
                default: try scanZip(archive, depth: depth, embeddedPath: embeddedPath, into: &context)
                }
            }
        case .tar:
            let whole = try bytes.readAll(
                limit: Int(clamping: FormatLimits.macie.maxFileSize(for: .tar) ?? Int64(Int.max)))
            try whole.withUnsafeBytes { buffer in
                try scanTar(
                    TarArchive(buffer), buffer: buffer, depth: depth, embeddedPath: embeddedPath, into: &context)
            }
        default:
            throw AnalysisFailure(
                reason: .unsupportedFileTypeException, message: "\(kind.mimeType) is not a format trawl analyses")
        }
    }

    // MARK: - CSV and TSV

    /// Column names count as keywords for every value in the column, and a keyword in the
    /// text counts only in the same cell (Macie's rules for columnar data).
    func scanCSV(
        _ buffer: UnsafeRawBufferPointer, delimiter: UInt8, embeddedPath: String?, into context: inout ObjectContext
    ) {
        var table = CSVTable(buffer, delimiter: delimiter)
        if !isHeaderRow(table.headers) { table.treatFirstRowAsData() }
        if let malformed = table.malformed {
            context.markPartial(.malformedFile, "CSV is malformed (\(malformed.message)); read as text")
            scanText(buffer, embeddedPath: embeddedPath, into: &context)
            return
        }
        var satisfiedColumns: [Int: [Int]] = [:]
        for (index, header) in table.headers.enumerated() {
            let identifiers = identifiersSatisfied(byName: header)
            if !identifiers.isEmpty { satisfiedColumns[index + 1] = identifiers }
        }
        var segments: [ScanContext.NamedSegment] = []
        if !satisfiedColumns.isEmpty {
            table.forEachField(inColumns: Set(satisfiedColumns.keys), includeHeader: false) { range, _, column in
                segments.append(.init(range: range, identifiers: satisfiedColumns[column] ?? []))
            }
        }
        let scan = ScanContext(namedSegments: segments, segmentOf: { table.locate($0)?.fieldRange })
        let outcome = detector.scan(buffer, context: scan, scratch: scratch)
        var lines = LineIndex()
        record(outcome, in: buffer, into: &context) { detection in
            guard let cell = table.locate(detection.range.lowerBound) else { return nil }
            if cell.isHeader {
                // Sensitive data in a column name is reported as a line range (Macie).
                let position = lines.position(of: detection.range.lowerBound, in: buffer)
                return .lineRange(
                    start: position.line, end: position.line, startColumn: position.column, embeddedFile: embeddedPath)
            }
            return .cell(
                row: cell.row, column: cell.column, columnName: cell.columnName, cellReference: nil,
                embeddedFile: embeddedPath)
        }
        context.classified += Int64(buffer.count)
    }

    // MARK: - JSON and JSON Lines

    func scanJSON(_ buffer: UnsafeRawBufferPointer, embeddedPath: String?, into context: inout ObjectContext) throws {
        let index = JSONIndex(buffer)
        do {
            try index.validate()
        } catch {
            if error.reason == .jsonNestingLevelOverLimit {
                throw AnalysisFailure(reason: error.reason, message: error.message)
            }
            // Often a .json file holds JSON Lines.
            let lines = JSONLines(buffer)
            var bad = 0
            var records = 0
            lines.forEachRecord { _, _, failure in
                records += 1
                if failure != nil { bad += 1 }
            }
            if records > 1 && bad == 0 {
                scanJSONLines(buffer, embeddedPath: embeddedPath, into: &context)
                return
            }
            context.markPartial(
                .malformedFile, "JSON is malformed at byte \(error.offset ?? 0): \(error.message); read as text")
            scanText(buffer, embeddedPath: embeddedPath, into: &context)
            return
        }
        let document = try JSONDocument(index: index, base: 0, satisfied: identifiersSatisfied(byName:))
        let scan = ScanContext(namedSegments: document.segments, segmentOf: { document.scalar(containing: $0) })
        let outcome = detector.scan(buffer, context: scan, scratch: scratch)
        let paths = document.paths(for: outcome.detections.map(\.range.lowerBound))
        record(outcome, in: buffer, into: &context) { detection in
            .record(recordIndex: 0, jsonPath: paths[detection.range.lowerBound] ?? nil, embeddedFile: embeddedPath)
        }
        context.classified += Int64(buffer.count)
    }

    func scanJSONLines(_ buffer: UnsafeRawBufferPointer, embeddedPath: String?, into context: inout ObjectContext) {
        var documents: [(record: Int, range: Range<Int>, document: JSONDocument?)] = []
        var malformed = 0
        // One walk per record both checks it and finds its member names (no separate
        // validation pass): a record that does not parse is read as text.
        var start = 0
        var line = 0
        let n = buffer.count
        while start < n {
            var end = start
            if let base = buffer.baseAddress, let found = memchr(base + start, 0x0A, n - start) {
                end = UnsafeRawPointer(found) - base
            } else {
                end = n
            }
            var range = start..<end
            if range.upperBound > range.lowerBound && buffer[range.upperBound - 1] == 0x0D {
                range = range.lowerBound..<(range.upperBound - 1)
            }
            if !buffer[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                let index = JSONIndex(UnsafeRawBufferPointer(rebasing: buffer[range]))
                let document = try? JSONDocument(
                    index: index, base: range.lowerBound, satisfied: identifiersSatisfied(byName:))
                if document == nil { malformed += 1 }
                documents.append((line, range, document))
            }
            line += 1
            start = end + 1
        }
        if malformed > 0 {
            context.markPartial(.malformedFile, "\(malformed) JSON Lines record(s) are malformed; read as text")
        }
        let starts = documents.map(\.range.lowerBound)
        func record(at offset: Int) -> Int? {
            var low = 0
            var high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] <= offset { low = mid + 1 } else { high = mid }
            }
            return low > 0 && documents[low - 1].range.upperBound >= offset ? low - 1 : nil
        }
        let segments = documents.flatMap { $0.document?.segments ?? [] }
        let scan = ScanContext(
            namedSegments: segments,
            segmentOf: { offset in
                guard let r = record(at: offset) else { return nil }
                return documents[r].document?.scalar(containing: offset) ?? documents[r].range
            })
        let outcome = detector.scan(buffer, context: scan, scratch: scratch)
        var byRecord: [Int: [Int]] = [:]
        for detection in outcome.detections {
            if let r = record(at: detection.range.lowerBound) {
                byRecord[r, default: []].append(detection.range.lowerBound)
            }
        }
        var paths: [Int: String?] = [:]
        for (r, offsets) in byRecord {
            if let document = documents[r].document { paths.merge(document.paths(for: offsets)) { a, _ in a } }
        }
        self.record(outcome, in: buffer, into: &context) { detection in
            guard let r = record(at: detection.range.lowerBound) else { return nil }
            return .record(
                recordIndex: documents[r].record, jsonPath: paths[detection.range.lowerBound] ?? nil,
                embeddedFile: embeddedPath)
        }
        context.classified += Int64(buffer.count)
    }

    // MARK: - Office documents

    func scanDocx(_ archive: ZipArchive, embeddedPath: String?, into context: inout ObjectContext) throws {
        let text: OOXMLText
        do {
            text = try OOXML.documentText(archive)
        } catch let error as FormatError {
            throw AnalysisFailure(reason: error.reason, message: error.message)
        }
        text.text.withUnsafeBytes { scanText($0, embeddedPath: embeddedPath, into: &context) }
    }

    func scanXlsx(_ archive: ZipArchive, embeddedPath: String?, into context: inout ObjectContext) throws {
        let sheets: [XLSXSheet]
        do {
            sheets = try OOXML.workbook(archive)
        } catch let error as FormatError {
            throw AnalysisFailure(reason: error.reason, message: error.message)
        }
        for var sheet in sheets {
            if !isHeaderRow(sheet.columnNames.sorted { $0.key < $1.key }.map(\.value)) { sheet.treatFirstRowAsData() }
            let layout = sheet.scanText()
            var segments: [ScanContext.NamedSegment] = []
            var satisfied: [Int: [Int]] = [:]
            for (column, name) in sheet.columnNames {
                let identifiers = identifiersSatisfied(byName: name)
                if !identifiers.isEmpty { satisfied[column] = identifiers }
            }
            for (index, cell) in sheet.cells.enumerated() where cell.row != sheet.headerRow {
                if let identifiers = satisfied[cell.column] {
                    segments.append(
                        .init(
                            range: layout.starts[index]..<(layout.starts[index] + cell.value.utf8.count),
                            identifiers: identifiers))
                }
            }
            layout.text.withUnsafeBytes { buffer in
                let cellRange: (Int) -> Range<Int>? = { offset in
                    guard let index = layout.cellIndex(at: offset) else { return nil }
                    return layout.starts[index]..<(layout.starts[index] + sheet.cells[index].value.utf8.count)
                }
                let outcome = detector.scan(
                    buffer, context: ScanContext(namedSegments: segments, segmentOf: cellRange), scratch: scratch)
                record(outcome, in: buffer, into: &context) { detection in
                    guard let index = layout.cellIndex(at: detection.range.lowerBound) else { return nil }
                    let cell = sheet.cells[index]
                    return .cell(
                        row: cell.row, column: cell.column, columnName: sheet.columnName(cell.column),
                        cellReference: sheet.cellReference(cell, includeSheetName: true), embeddedFile: embeddedPath)
                }
                context.classified += Int64(buffer.count)
            }
        }
    }

    // MARK: - Archives

    func scanZip(_ archive: ZipArchive, depth: Int, embeddedPath: String?, into context: inout ObjectContext) throws {
        do {
            try context.budget.checkNesting(depth: depth + 1)
            try archive.checkDeclaredLimits(context.budget)
        } catch {
            throw AnalysisFailure(reason: error.reason, message: error.message)
        }
        if let damage = archive.error { context.markPartial(damage.reason, damage.message) }
        for entry in archive.entries where !entry.isDirectory {
            let path = Self.join(embeddedPath, entry.path)
            do {
                try context.budget.admit(declaredSize: entry.uncompressedSize)
            } catch {
                context.markPartial(error.reason, error.message)
                context.embedded.append(
                    .init(path: path, size: entry.uncompressedSize, status: .skipped, reason: error.reason))
                break
            }
            var member: [UInt8] = []
            do {
                member = try archive.extract(entry, maxBytes: context.budget.nextMemberByteLimit)
            } catch {
                let reason = (error as? FormatError)?.reason ?? .unableToParseFile
                context.markPartial(
                    reason == .unsupportedFileTypeException ? .archiveContainsUnprocessedFiles : reason,
                    "\(path): \(error)")
                context.embedded.append(
                    .init(path: path, size: entry.uncompressedSize, status: .skipped, reason: reason))
                continue
            }
            context.budget.record(extractedBytes: member.count)
            try member.withUnsafeBytes { buffer in
                try analyzeMember(name: entry.path, path: path, buffer: buffer, depth: depth + 1, into: &context)
            }
        }
    }

    func scanTar(
        _ archive: TarArchive, buffer: UnsafeRawBufferPointer, depth: Int, embeddedPath: String?,
        into context: inout ObjectContext
    ) throws {
        do {
            try context.budget.checkNesting(depth: depth + 1)
        } catch {
            throw AnalysisFailure(reason: error.reason, message: error.message)
        }
        if let damage = archive.error { context.markPartial(damage.reason, damage.message) }
        for entry in archive.entries where entry.kind == .file {
            let path = Self.join(embeddedPath, entry.path)
            do {
                try context.budget.admit(declaredSize: entry.size)
            } catch {
                context.markPartial(error.reason, error.message)
                context.embedded.append(.init(path: path, size: entry.size, status: .skipped, reason: error.reason))
                break
            }
            context.budget.record(extractedBytes: entry.dataRange.count)
            try analyzeMember(
                name: entry.path, path: path, buffer: UnsafeRawBufferPointer(rebasing: buffer[entry.dataRange]),
                depth: depth + 1,
                into: &context)
        }
    }

    /// Analyses one archive member; a member that cannot be analysed marks the archive
    /// PARTIAL and never stops its siblings.
    func analyzeMember(
        name: String, path: String, buffer: UnsafeRawBufferPointer, depth: Int, into context: inout ObjectContext
    ) throws {
        let kind = ContentKind.sniff(
            fileExtension: ContentKind.fileExtension(of: name),
            head: UnsafeRawBufferPointer(rebasing: buffer.prefix(8192)))
        let before = context.classified
        do {
            try analyze(
                kind: kind, name: name, bytes: BufferBytes(buffer: buffer), depth: depth, embeddedPath: path,
                into: &context)
            context.embedded.append(.init(path: path, size: Int64(buffer.count), status: .complete, reason: nil))
        } catch let failure as AnalysisFailure {
            let reason =
                failure.reason == .unsupportedFileTypeException ? .archiveContainsUnprocessedFiles : failure.reason
            context.markPartial(reason, "\(path): \(failure.message)")
            context.embedded.append(
                .init(
                    path: path, size: Int64(buffer.count), status: context.classified > before ? .partial : .skipped,
                    reason: failure.reason))
        } catch let error as ReadError {
            context.markPartial(error.reason, "\(path): \(error.message)")
            context.embedded.append(
                .init(path: path, size: Int64(buffer.count), status: .skipped, reason: error.reason))
        }
    }

    static func join(_ parent: String?, _ child: String) -> String {
        guard let parent else { return child }
        return parent + "/" + child
    }
}

/// One JSON document's value ranges and the identifiers its member names satisfy.
struct JSONDocument {
    let index: JSONIndex
    /// Offset of the document in the scanned buffer.
    let base: Int
    /// Sorted value ranges (absolute), for "same value" keyword scoping.
    private(set) var scalars: [Range<Int>] = []
    private(set) var segments: [ScanContext.NamedSegment] = []

    /// Throws when the document does not parse (or nests deeper than the limit).
    init(index: JSONIndex, base: Int, satisfied: (String) -> [Int]) throws {
        self.index = index
        self.base = base
        var satisfiedByKey: [Int: [Int]] = [:]
        var scalars: [Range<Int>] = []
        var segments: [ScanContext.NamedSegment] = []
        let bytes = index.bytes
        try index.forEachScalar(includeKeys: true) { scalar, path in
            if scalar.kind == .key {
                let name = JSONIndex.decodeString(UnsafeRawBufferPointer(rebasing: bytes[scalar.range]))
                let identifiers = satisfied(name)
                if !identifiers.isEmpty { satisfiedByKey[scalar.range.lowerBound] = identifiers }
                return
            }
            let range = (scalar.range.lowerBound + base)..<(scalar.range.upperBound + base)
            scalars.append(range)
            guard !satisfiedByKey.isEmpty else { return }
            var identifiers: [Int] = []
            for component in path.components {
                if case .key(let key) = component, let found = satisfiedByKey[key.lowerBound] { identifiers += found }
            }
            if !identifiers.isEmpty { segments.append(.init(range: range, identifiers: identifiers)) }
        }
        self.scalars = scalars
        self.segments = segments
    }

    /// The value range holding `offset` (absolute), if any.
    func scalar(containing offset: Int) -> Range<Int>? {
        var low = 0
        var high = scalars.count
        while low < high {
            let mid = (low + high) / 2
            if scalars[mid].lowerBound <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0, scalars[low - 1].contains(offset) || scalars[low - 1].upperBound == offset else { return nil }
        return scalars[low - 1]
    }

    /// JSONPaths for absolute offsets, in one walk. A value inside a member name gets nil
    /// (Macie omits the path when an element name itself is sensitive), and such a name is
    /// never printed in the paths of the values below it either (it becomes `*`).
    func paths(for offsets: [Int]) -> [Int: String?] {
        let wanted = Set(offsets)
        guard !wanted.isEmpty else { return [:] }
        let sorted = wanted.sorted()
        var result: [Int: String?] = [:]
        var next = 0
        let bytes = index.bytes
        // Member names holding a detection (offsets in `bytes`); a name comes before its values.
        var sensitiveNames: Set<Int> = []
        try? index.forEachScalar(includeKeys: true) { scalar, path in
            let range = (scalar.range.lowerBound + base)..<(scalar.range.upperBound + base)
            while next < sorted.count && sorted[next] < range.lowerBound {
                next += 1
            }
            var k = next
            while k < sorted.count && sorted[k] <= range.upperBound {
                if scalar.kind == .key {
                    sensitiveNames.insert(scalar.range.lowerBound)
                    result[sorted[k]] = .some(nil)
                } else {
                    result[sorted[k]] = .some(path.resolve(in: bytes, masking: sensitiveNames).rendered)
                }
                k += 1
            }
        }
        return result
    }
}
