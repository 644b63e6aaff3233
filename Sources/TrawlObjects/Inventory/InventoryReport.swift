import Foundation

/// An S3 Inventory report on local disk: its manifest and the CSV (or CSV.gz) data files it
/// lists, found relative to the manifest.
///
/// S3 writes `prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.json` and lists data
/// files by their full key in the destination bucket (`prefix/source-bucket/config-ID/data/x.csv.gz`).
/// In a local mirror the data files are found by trying, for each folder from the manifest's
/// own up to its ancestors, the full key and then shorter and shorter tails of it, so a mirror of
/// the whole destination bucket, a copy of the report folder, and `data/x.csv.gz` or `x.csv.gz`
/// next to the manifest all work.
public struct InventoryReport: Sendable {
    public var manifest: InventoryManifest
    public var manifestURL: URL
    /// The data files, in manifest order, resolved to local paths.
    public var dataFiles: [URL]

    /// How many folders above the manifest's own folder are searched for data files.
    public static let ancestorSearchDepth = 6

    /// Reads `manifest.json` at `url` and resolves its data files.
    /// - Throws: `InventoryError` when the manifest is unreadable, malformed, not CSV, or a data
    ///   file cannot be found.
    public static func open(manifestAt url: URL) throws -> InventoryReport {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InventoryError.unreadable(path: url.path, reason: Self.reason(error))
        }
        let manifest = try InventoryManifest.parse(data, path: url.path)
        guard manifest.fileFormat.uppercased() == "CSV" else {
            throw InventoryError.unsupportedFormat(manifest.fileFormat)
        }
        let files = try manifest.files.map { try resolve(key: $0.key, manifestURL: url) }
        return InventoryReport(manifest: manifest, manifestURL: url, dataFiles: files)
    }

    /// Finds the local file for a data file key (see the type's documentation).
    public static func resolve(key: String, manifestURL: URL) throws -> URL {
        let components = key.split(separator: "/").map(String.init).filter { !$0.isEmpty && $0 != ".." }
        guard !components.isEmpty else {
            throw InventoryError.dataFileNotFound(key: key, searched: [])
        }
        var folders: [URL] = []
        var folder = manifestURL.deletingLastPathComponent().standardizedFileURL
        for _ in 0...ancestorSearchDepth {
            folders.append(folder)
            let parent = folder.deletingLastPathComponent().standardizedFileURL
            if parent.path == folder.path { break }
            folder = parent
        }
        let fileManager = FileManager.default
        var searched: [String] = []
        for drop in 0..<components.count {
            let tail = components[drop...].joined(separator: "/")
            for base in folders {
                let candidate = base.appendingPathComponent(tail)
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                    !isDirectory.boolValue
                {
                    return candidate
                }
                if base == folders.first { searched.append(candidate.path) }
            }
        }
        throw InventoryError.dataFileNotFound(key: key, searched: searched)
    }

    /// Streams every row of every data file to `body`, in manifest order.
    /// - Parameter maxDecompressedBytes: guard against a decompression bomb, per data file.
    /// - Throws: `InventoryError.malformedDataFile` on corrupt gzip or CSV; errors from `body`.
    public func forEachRecord(
        maxDecompressedBytes: Int = 64 << 30, _ body: (InventoryRecord) throws -> Void
    ) throws {
        let columns = manifest.columns
        try withoutActuallyEscaping(body) { body in
            try forEachRecord(in: dataFiles, columns: columns, maxDecompressedBytes: maxDecompressedBytes, body)
        }
    }

    private func forEachRecord(
        in dataFiles: [URL], columns: [String], maxDecompressedBytes: Int,
        _ body: @escaping (InventoryRecord) throws -> Void
    ) throws {
        for file in dataFiles {
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw InventoryError.malformedDataFile(path: file.path, line: 0, reason: Self.reason(error))
            }
            var parser = CSVRowParser()
            let emit: ([String]) throws -> Void = { cells in
                try body(InventoryRecord.make(cells: cells, columns: columns))
            }
            let gzipped = data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
            do {
                if gzipped {
                    _ = try data.withUnsafeBytes { raw in
                        try Inflate.inflate(raw, container: .gzip, maxOutput: maxDecompressedBytes) { chunk in
                            try parser.feed(chunk, emit)
                        }
                    }
                } else {
                    try data.withUnsafeBytes { raw in try parser.feed(raw, emit) }
                }
                try parser.finish(emit)
            } catch let error as InflateError {
                throw InventoryError.malformedDataFile(
                    path: file.path, line: parser.line, reason: error.description)
            } catch let error as CSVRowParser.Failure {
                throw InventoryError.malformedDataFile(path: file.path, line: error.line, reason: error.reason)
            }
        }
    }

    /// Every row of the report (convenience for small reports; prefer `forEachRecord`).
    public func records() throws -> [InventoryRecord] {
        var all: [InventoryRecord] = []
        try forEachRecord { all.append($0) }
        return all
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// Incremental RFC 4180 CSV row parser (quoted fields, doubled quotes, CRLF or LF), fed
/// arbitrary byte chunks. Empty lines are skipped.
struct CSVRowParser {
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    private var cells: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    private var quoteSeen = false  // a quote just closed or was doubled inside quotes
    private var fieldWasQuoted = false
    private(set) var line = 1

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: ([String]) throws -> Void) throws {
        for byte in chunk {
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    quoteSeen = true
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if quoteSeen {
                    // `""` inside a quoted field: a literal quote; back into the quotes.
                    field.append(byte)
                    inQuotes = true
                    quoteSeen = false
                } else if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    throw Failure(line: line, reason: "stray quote inside an unquoted field")
                }
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\n"):
                try endRow(emit)
                line += 1
            case UInt8(ascii: "\r"):
                break
            default:
                if quoteSeen {
                    throw Failure(line: line, reason: "text after a closing quote")
                }
                field.append(byte)
            }
        }
    }

    mutating func finish(_ emit: ([String]) throws -> Void) throws {
        if inQuotes { throw Failure(line: line, reason: "unterminated quoted field") }
        try endRow(emit)
    }

    private mutating func endField() {
        cells.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoteSeen = false
        fieldWasQuoted = false
    }

    private mutating func endRow(_ emit: ([String]) throws -> Void) throws {
        if cells.isEmpty && field.isEmpty && !fieldWasQuoted {
            return
        }
        endField()
        let row = cells
        cells.removeAll(keepingCapacity: true)
        try emit(row)
    }
}
