import Foundation
import TrawlObjects

/// Where objects come from. Parsed from the SOURCE argument.
public enum ObjectSource: Sendable, Equatable {
    /// A directory whose direct subdirectories are buckets; with `bucket`, the directory is
    /// that one bucket.
    case directory(path: String, bucket: String?)
    /// An S3 Inventory report (`manifest.json` and its CSV or CSV.gz data files): object
    /// metadata only, enough to estimate a scan without reading any object.
    case inventory(manifest: String)

    /// Whether the objects' bytes can be read from this source.
    public var canReadObjects: Bool {
        switch self {
        case .directory: true
        case .inventory: false
        }
    }

    /// Parses a SOURCE argument.
    public static func parse(_ text: String, bucket: String?) throws(SourceError) -> ObjectSource {
        if text.hasPrefix("s3://") {
            throw SourceError("s3:// sources are not supported by this build; scan a local mirror (a directory of buckets) instead")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) else {
            throw SourceError("\(text): no such file or directory")
        }
        guard isDirectory.boolValue else {
            if text.hasSuffix(".json"), let data = FileManager.default.contents(atPath: text),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["files"] != nil {
                return .inventory(manifest: text)
            }
            throw SourceError("\(text) is neither a directory (of buckets, or one bucket with --bucket NAME) nor an S3 Inventory manifest.json")
        }
        return .directory(path: text, bucket: bucket)
    }
}

/// A SOURCE that cannot be used, with the reason (a usage error for the CLI).
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

/// The objects of a source after scoping: those in scope, the sampled ones that will be
/// read, and entries that could not be listed. Also how to read an object's bytes.
public struct SourceListing {
    public var inScope: [ObjectRef] = []
    public var selected: [ObjectRef] = []
    public var problems: [ListingProblem] = []
    /// Reads an object's bytes.
    public var bytes: @Sendable (ObjectRef) -> ObjectBytes = { object in
        if case .file(let path) = object.location { return FileBytes(path: path) }
        return MemoryBytes([])
    }
    /// The first bytes of an object, for the estimate (nil: judge by extension).
    public var head: ((ObjectRef) -> [UInt8]?)?
    /// The last bytes of an object, for the estimate's compression ratios.
    public var tail: ((ObjectRef, Int) -> [UInt8]?)?

    public init() {}

    /// Lists `source` under `scope`.
    public static func list(_ source: ObjectSource, scope: Scope) throws -> SourceListing {
        switch source {
        case .directory(let path, let bucket):
            return try listDirectory(path: path, bucket: bucket, scope: scope)
        case .inventory(let manifest):
            return try listInventory(manifest: manifest, scope: scope)
        }
    }

    static func listDirectory(path: String, bucket single: String?, scope: Scope) throws -> SourceListing {
        let directory = DirectorySource(root: URL(fileURLWithPath: path), singleBucket: single)
        var listing = SourceListing()
        let reader = FileReader()
        listing.head = { object in
            guard case .file(let path) = object.location else { return nil }
            return try? reader.head(path: path, count: 8192)
        }
        listing.tail = { object, count in
            guard case .file(let path) = object.location else { return nil }
            return try? reader.tail(path: path, count: count)
        }
        let buckets = try directory.buckets().filter { scope.includesBucket($0.name) }
        if let single, buckets.isEmpty { throw SourceError("bucket \(single) is excluded by the bucket filters") }
        try directory.walk(buckets: buckets, object: { object in
            if scope.isEligible(object) {
                listing.inScope.append(object)
                if scope.isSampled(object) { listing.selected.append(object) }
            }
            return true
        }, problem: { listing.problems.append($0) })
        return listing
    }

    /// Lists the current objects of an S3 Inventory report. Nothing is read from S3: the
    /// estimate judges formats by extension and assumes 3:1 for compressed objects.
    static func listInventory(manifest: String, scope: Scope) throws -> SourceListing {
        let report: InventoryReport
        do {
            report = try InventoryReport.open(manifestAt: URL(fileURLWithPath: manifest))
        } catch {
            throw SourceError("\(manifest): \(error)")
        }
        var listing = SourceListing()
        listing.bytes = { _ in UnreadableBytes() }
        try report.forEachRecord(maxDecompressedBytes: 16 << 30) { record in
            guard record.isCurrentObject else { return }
            let object = ObjectRef(
                bucket: record.bucket, key: record.key, size: record.size ?? 0,
                lastModified: record.lastModified ?? Date(timeIntervalSince1970: 0), eTag: record.eTag ?? "",
                storageClass: record.storageClass ?? "STANDARD",
                serverSideEncryption: Self.encryption(record.encryptionStatus),
                location: .s3(bucket: record.bucket, key: record.key, versionId: record.versionId))
            if scope.isEligible(object) {
                listing.inScope.append(object)
                if scope.isSampled(object) { listing.selected.append(object) }
            }
        }
        return listing
    }

    /// S3 Inventory's EncryptionStatus as the header value S3 reports on the object.
    static func encryption(_ status: String?) -> String? {
        switch status?.uppercased() {
        case "SSE-S3": "AES256"
        case "SSE-KMS": "aws:kms"
        case "DSSE-KMS": "aws:kms:dsse"
        case "SSE-C": "SSE-C"
        default: nil
        }
    }
}

/// Bytes of an object that this source cannot read (an inventory lists objects only).
struct UnreadableBytes: ObjectBytes {
    func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws { throw Self.error }
    func readAll(limit: Int) throws -> [UInt8] { throw Self.error }
    func head(_ count: Int) throws -> [UInt8] { throw Self.error }
    static let error = ReadError(reason: "PERMISSION_DENIED", message: "the source lists objects but cannot read them")
}
