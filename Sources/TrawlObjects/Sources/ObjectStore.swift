import Foundation

/// A place objects are listed from and read: a bucket-like directory tree, an S3 Inventory
/// report, or (in TrawlS3) the S3 API.
///
/// The scan core lists and reads through this protocol alone, so it needs no transport: the
/// CLI opens the store for a SOURCE and hands it over.
public protocol ObjectStore: Sendable {
    /// What the user named (shown in errors and reports).
    var sourceDescription: String { get }
    /// Whether objects' bytes can be read (an inventory report lists objects only).
    var canReadObjects: Bool { get }
    /// The store's region, when it has one (prices follow it).
    var region: String? { get }
    /// What reading costs in requests; nil when reading costs nothing but time (local files).
    var requests: RequestAccounting? { get }

    /// The buckets, sorted by name. Throws `SourceError` when the source cannot be listed at all.
    func bucketNames() throws -> [String]

    /// Calls `object` for every object of `buckets`, bucket by bucket in key order, and
    /// `problem` for entries that cannot be listed (they still appear in the results).
    /// Returning false from `object` stops. Throws `SourceError` when listing cannot go on.
    func listObjects(
        in buckets: [String], object: (ObjectRef) throws -> Bool, problem: (ListingProblem) -> Void) throws

    /// How to read the objects a scan is about to read, given in the order it will read them
    /// (a remote store starts fetching ahead).
    func reader(for selected: [ObjectRef]) -> @Sendable (ObjectRef) -> any ObjectBytes

    /// Bytes the estimate may peek at (head and tail) without a charge, or nil where peeking
    /// costs requests (the estimate then judges by extension).
    func probe(_ object: ObjectRef) -> (any ObjectBytes)?

    /// What a person should know about how the source was read (files taken as a bucket of
    /// their folder's name); shown with the estimate.
    var notes: [String] { get }
}

extension ObjectStore {
    public var notes: [String] { [] }
}

/// Requests a remote store makes: the estimate prices them.
public struct RequestAccounting: Sendable {
    /// LIST requests the listing took (a scan lists again, so it costs as many).
    public var listRequests: Int
    /// Bytes per ranged GET.
    public var rangeSize: Int

    public init(listRequests: Int, rangeSize: Int) {
        self.listRequests = listRequests
        self.rangeSize = rangeSize
    }
}

/// A SOURCE that cannot be used, with the reason (a usage error for the CLI).
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

// MARK: - Local stores

extension DirectorySource: ObjectStore {
    public var sourceDescription: String { root.path }
    public var canReadObjects: Bool { true }
    public var region: String? { nil }
    public var requests: RequestAccounting? { nil }

    public func bucketNames() throws -> [String] {
        do {
            return try buckets().map(\.name)
        } catch {
            throw SourceError("\(root.path): cannot list the buckets: \(error.localizedDescription)")
        }
    }

    public func listObjects(
        in names: [String], object: (ObjectRef) throws -> Bool, problem: (ListingProblem) -> Void
    ) throws {
        let wanted = Set(names)
        try walk(buckets: try buckets().filter { wanted.contains($0.name) }, object: object, problem: problem)
    }

    public func reader(for selected: [ObjectRef]) -> @Sendable (ObjectRef) -> any ObjectBytes {
        { object in Self.bytes(of: object) }
    }

    public func probe(_ object: ObjectRef) -> (any ObjectBytes)? { Self.bytes(of: object) }

    public var notes: [String] {
        if let onlyFile {
            return ["\(onlyFile) is read as the one object of bucket \(singleBucket ?? root.lastPathComponent)"]
        }
        guard let loose = looseFilesBucket else { return [] }
        return ["files directly in \(root.path) are objects of bucket \(loose), named after the folder"]
    }

    static func bytes(of object: ObjectRef) -> any ObjectBytes {
        guard case .file(let path) = object.location else {
            return UnreadableBytes(ReadError(reason: .permissionDenied, message: "not a local file"))
        }
        return FileBytes(path: path, reader: FileReader(identity: object.fileIdentity, listedSize: object.size))
    }
}

/// The objects an S3 Inventory report lists. Nothing is read: an estimate judges formats by
/// extension and assumes 3:1 for compressed objects.
public struct InventoryStore: ObjectStore {
    public let report: InventoryReport
    public var sourceDescription: String { report.manifestURL.path }
    public var canReadObjects: Bool { false }
    public var region: String? { nil }
    public var requests: RequestAccounting? { nil }

    /// Opens the report whose `manifest.json` is at `manifest`.
    public init(manifest: String) throws {
        do {
            report = try InventoryReport.open(manifestAt: URL(fileURLWithPath: manifest))
        } catch {
            throw SourceError("\(manifest): \(error)")
        }
    }

    public func bucketNames() throws -> [String] { [report.manifest.sourceBucket] }

    public func listObjects(
        in buckets: [String], object: (ObjectRef) throws -> Bool, problem: (ListingProblem) -> Void
    ) throws {
        let wanted = Set(buckets)
        var going = true
        try report.forEachRecord(maxDecompressedBytes: 16 << 30) { record in
            guard going, record.isCurrentObject, wanted.contains(record.bucket) else { return }
            going = try object(
                ObjectRef(
                    bucket: record.bucket, key: record.key, size: record.size ?? 0,
                    lastModified: record.lastModified ?? Date(timeIntervalSince1970: 0), eTag: record.eTag ?? "",
                    storageClass: record.storageClass ?? StorageClass.standard,
                    serverSideEncryption: StorageClass.encryptionHeader(inventoryStatus: record.encryptionStatus),
                    location: .s3(bucket: record.bucket, key: record.key, versionId: record.versionId)))
        }
    }

    public func reader(for selected: [ObjectRef]) -> @Sendable (ObjectRef) -> any ObjectBytes {
        { _ in
            UnreadableBytes(
                ReadError(reason: .permissionDenied, message: "an inventory report lists objects but cannot read them"))
        }
    }

    public func probe(_ object: ObjectRef) -> (any ObjectBytes)? { nil }
}
