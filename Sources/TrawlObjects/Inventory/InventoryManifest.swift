import Foundation

/// Why an S3 Inventory report could not be read.
public enum InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file could not be read from disk.
    case unreadable(path: String, reason: String)
    /// The manifest is not the JSON S3 writes (`sourceBucket`, `fileFormat`, `fileSchema`, `files`).
    case malformedManifest(path: String, reason: String)
    /// The report is ORC or Parquet; only CSV reports are read.
    case unsupportedFormat(String)
    /// A data file listed in the manifest is not next to, or under, the manifest's folder.
    case dataFileNotFound(key: String, searched: [String])
    /// A data file could not be decompressed or parsed.
    case malformedDataFile(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read inventory manifest '\(path)': \(reason)"
        case .malformedManifest(let path, let reason):
            "'\(path)' is not an S3 Inventory manifest: \(reason)"
        case .unsupportedFormat(let format):
            "inventory file format '\(format)' is not supported; configure the inventory report as CSV"
        case .dataFileNotFound(let key, let searched):
            "inventory data file '\(key)' was not found (looked for: \(searched.joined(separator: ", ")))"
        case .malformedDataFile(let path, let line, let reason):
            "inventory data file '\(path)' line \(line): \(reason)"
        }
    }
}

/// An S3 Inventory `manifest.json`, as S3 writes it next to each delivered report.
///
/// ```json
/// {"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::dst", "version": "2016-11-30",
///  "creationTimestamp": "1514944800000", "fileFormat": "CSV",
///  "fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, EncryptionStatus",
///  "files": [{"key": "prefix/src/config/data/x.csv.gz", "size": 123, "MD5checksum": "..."}]}
/// ```
public struct InventoryManifest: Sendable, Equatable, Codable {
    public struct DataFile: Sendable, Equatable, Codable {
        /// The key of the data file in the destination bucket.
        public var key: String
        public var size: Int64?
        public var md5Checksum: String?

        enum CodingKeys: String, CodingKey {
            case key, size
            case md5Checksum = "MD5checksum"
        }

        public init(key: String, size: Int64? = nil, md5Checksum: String? = nil) {
            self.key = key
            self.size = size
            self.md5Checksum = md5Checksum
        }
    }

    public var sourceBucket: String
    /// The destination bucket ARN (`arn:aws:s3:::name`) or name.
    public var destinationBucket: String?
    public var version: String?
    /// Milliseconds since the epoch, as a string.
    public var creationTimestamp: String?
    /// `CSV`, `ORC` or `Parquet`.
    public var fileFormat: String
    /// For CSV: the comma-separated column names, in order.
    public var fileSchema: String
    public var files: [DataFile]

    public init(
        sourceBucket: String, destinationBucket: String? = nil, version: String? = nil,
        creationTimestamp: String? = nil, fileFormat: String = "CSV", fileSchema: String,
        files: [DataFile]
    ) {
        self.sourceBucket = sourceBucket
        self.destinationBucket = destinationBucket
        self.version = version
        self.creationTimestamp = creationTimestamp
        self.fileFormat = fileFormat
        self.fileSchema = fileSchema
        self.files = files
    }

    /// The CSV column names in order (`fileSchema` split on commas, trimmed).
    public var columns: [String] {
        fileSchema.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// When S3 started building the report, if the manifest says.
    public var creationDate: Date? {
        guard let text = creationTimestamp, let millis = Double(text) else { return nil }
        return Date(timeIntervalSince1970: millis / 1000)
    }

    /// Parses manifest JSON. `path` only labels errors.
    public static func parse(_ data: Data, path: String = "manifest.json") throws -> InventoryManifest {
        let manifest: InventoryManifest
        do {
            manifest = try JSONDecoder().decode(InventoryManifest.self, from: data)
        } catch let error as DecodingError {
            throw InventoryError.malformedManifest(path: path, reason: Self.describe(error))
        } catch {
            throw InventoryError.malformedManifest(path: path, reason: "\(error)")
        }
        guard !manifest.sourceBucket.isEmpty else {
            throw InventoryError.malformedManifest(path: path, reason: "empty sourceBucket")
        }
        return manifest
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type at '\(path)'"
        case .dataCorrupted(let context):
            return "invalid JSON (\(context.debugDescription))"
        @unknown default: return "\(error)"
        }
    }
}
