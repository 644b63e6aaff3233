import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// A destination for text output: a file or standard output.
public final class TextOutput {
    private let handle: FileHandle
    private let closes: Bool
    private var buffer: [UInt8] = []

    public init(path: String?) throws {
        if let path, path != "-" {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: path)
            else {
                throw WriteError("cannot write \(path)")
            }
            self.handle = handle
            closes = true
        } else {
            handle = FileHandle.standardOutput
            closes = false
        }
    }

    public func write(_ text: String) throws {
        buffer += Array(text.utf8)
        if buffer.count >= 64 * 1024 { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        try flush()
        if closes { try handle.close() }
    }
}

/// Writes one Macie finding per object with sensitive data, as JSON Lines.
public final class FindingsJSONWriter {
    let output: TextOutput
    let context: FindingContext
    public init(output: TextOutput, context: FindingContext) {
        self.output = output
        self.context = context
    }
    public func write(_ result: ObjectResult) throws {
        guard let finding = MacieJSON.finding(result, context: context) else { return }
        try output.write(MacieJSON.line(finding) + "\n")
    }
}

/// Writes findings as CSV for spreadsheets: one row per object and identifier.
public final class FindingsCSVWriter {
    let output: TextOutput
    private var wroteHeader = false
    public init(output: TextOutput) { self.output = output }

    public static let header = [
        "bucket", "key", "severity", "finding_type", "identifier", "category", "count", "first_locations", "status",
        "reason",
    ]

    public func write(_ result: ObjectResult) throws {
        if !wroteHeader {
            try output.write(Self.header.joined(separator: ",") + "\n")
            wroteHeader = true
        }
        guard let severity = result.severity, let type = result.findingType else { return }
        for detection in result.reportable {
            let locations = detection.occurrences.prefix(5).map(Self.describe).joined(separator: "; ")
            let row = [
                result.object.bucket, result.object.key, severity.label, type, detection.info.id,
                detection.info.category.rawValue,
                String(detection.count), locations, result.status.rawValue, result.reason?.rawValue ?? "",
            ]
            try output.write(row.map(UntrustedText.csvCell).joined(separator: ",") + "\n")
        }
    }

    static func describe(_ occurrence: Occurrence) -> String {
        switch occurrence {
        case .lineRange(let start, _, let column, let file): (file.map { $0 + ":" } ?? "") + "line \(start):\(column)"
        case .cell(let row, let column, let name, let reference, let file):
            (file.map { $0 + ":" } ?? "") + (reference ?? "row \(row) col \(column)") + (name.map { " (\($0))" } ?? "")
        case .record(let index, let path, let file):
            (file.map { $0 + ":" } ?? "") + "record \(index)" + (path.map { " \($0)" } ?? "")
        }
    }
}

/// Writes the sensitive data discovery results: one JSON Lines record per object in scope,
/// gzip-compressed, as Macie writes them to the results repository.
public final class DiscoveryResultsWriter {
    let writer: GzipWriter
    let context: FindingContext
    public let path: String

    /// Creates `<directory>/<jobId>.jsonl.gz`.
    public init(directory: String, context: FindingContext) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("\(context.jobId).jsonl.gz")
        writer = try GzipWriter(path: path)
        self.context = context
    }

    public func write(_ result: ObjectResult) throws {
        try writer.write(MacieJSON.line(MacieJSON.discoveryResult(result, context: context)) + "\n")
    }

    public func finish() throws { try writer.finish() }
}
