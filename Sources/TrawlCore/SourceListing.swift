import Foundation
import TrawlObjects
import TrawlS3

/// Where objects come from. Parsed from the SOURCE argument.
public enum ObjectSource: Sendable, Equatable {
    /// A directory whose direct subdirectories are buckets; with `bucket`, the directory is
    /// that one bucket.
    case directory(path: String, bucket: String?)
    /// Objects behind the S3 API: one bucket (under a key prefix), or with `bucket` nil every
    /// bucket the credentials can list.
    case s3(bucket: String?, prefix: String)
    /// An S3 Inventory report (`manifest.json` and its CSV or CSV.gz data files): object
    /// metadata only, enough to estimate a scan without reading any object.
    case inventory(manifest: String)

    /// Whether the objects' bytes can be read from this source.
    public var canReadObjects: Bool {
        switch self {
        case .directory, .s3: true
        case .inventory: false
        }
    }

    /// Parses a SOURCE argument.
    public static func parse(_ text: String, bucket: String?) throws(SourceError) -> ObjectSource {
        if text.hasPrefix("s3://") {
            guard bucket == nil else {
                throw SourceError("--bucket names a local directory's bucket; for S3 put the bucket in the URL (s3://BUCKET)")
            }
            do {
                let location = try S3Location.parse(text)
                return .s3(bucket: location.bucket, prefix: location.prefix)
            } catch {
                throw SourceError(error.description)
            }
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

    /// For S3 sources: the client, the requests the listing took, and how objects are read.
    public var s3: S3Listing?

    public init() {}

    /// Lists `source` under `scope`. S3 sources use `s3Client` (or settings resolved from the
    /// environment, as the AWS CLI does, when nil).
    public static func list(_ source: ObjectSource, scope: Scope, s3Client: S3Client? = nil, s3Reading: S3Reading = S3Reading()) throws -> SourceListing {
        switch source {
        case .directory(let path, let bucket):
            return try listDirectory(path: path, bucket: bucket, scope: scope)
        case .inventory(let manifest):
            return try listInventory(manifest: manifest, scope: scope)
        case .s3(let bucket, let prefix):
            let client: S3Client
            if let s3Client {
                client = s3Client
            } else {
                do { client = S3Client(configuration: try S3Configuration.resolve(), maxConnections: s3Reading.concurrency) } catch {
                    throw SourceError(error.description)
                }
            }
            return try listS3(bucket: bucket, prefix: prefix, scope: scope, client: client, reading: s3Reading)
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

// MARK: - S3

/// How S3 objects are read during a scan.
public struct S3Reading: Sendable {
    /// Objects whose first range is fetched ahead of the workers (requests in flight).
    public var concurrency = 16
    /// Bytes per ranged GET; a worker holds at most two ranges.
    public var rangeSize = 8 << 20
    /// Bytes of prefetched first ranges held at most.
    public var prefetchBytes: Int64 = 64 << 20
    public init() {}
}

/// What an S3 listing knows beyond its objects.
public struct S3Listing: Sendable {
    public var client: S3Client
    public var reading: S3Reading
    /// LIST requests the listing took (ListBuckets included): the scan's listing costs as many.
    public var listRequests: Int
}

/// An S3 object's bytes: ranged GETs with If-Match, the first range possibly prefetched.
public struct S3Bytes: ObjectBytes {
    public var reader: S3ObjectReader
    public init(reader: S3ObjectReader) { self.reader = reader }
    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try reader.stream(chunkSize: chunkSize, body)
    }
    public func readAll(limit: Int) throws -> [UInt8] { try reader.readAll(limit: limit) }
    public func head(_ count: Int) throws -> [UInt8] { try reader.head(count) }
}

extension SourceListing {
    /// S3 error codes that mean the credentials or the endpoint are wrong: the whole run stops.
    static let fatalS3Codes: Set<String> = [
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "RegionMismatch", "MalformedResponse", "ConnectionFailed", "Timeout", "BadEndpoint", "AuthorizationHeaderMalformed",
    ]

    static func listS3(bucket single: String?, prefix: String, scope: Scope, client: S3Client, reading: S3Reading) throws -> SourceListing {
        var listing = SourceListing()
        let before = client.counters.listRequests.load(ordering: .relaxed)
        var buckets: [String]
        if let single {
            guard scope.includesBucket(single) else { throw SourceError("bucket \(single) is excluded by the bucket filters") }
            buckets = [single]
        } else {
            do {
                buckets = try client.listBuckets().map(\.name).filter(scope.includesBucket)
            } catch {
                throw SourceError("cannot list the buckets: \(error)")
            }
        }
        for bucket in buckets {
            do {
                try client.listAllObjects(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix) { page in
                    for summary in page where !(summary.key.hasSuffix("/") && summary.size == 0) {
                        let object = ObjectRef(
                            bucket: bucket, key: summary.key, size: summary.size, lastModified: summary.lastModified,
                            eTag: summary.eTag, storageClass: summary.storageClass,
                            location: .s3(bucket: bucket, key: summary.key, versionId: nil))
                        if scope.isEligible(object) {
                            listing.inScope.append(object)
                            if scope.isSampled(object) { listing.selected.append(object) }
                        }
                    }
                    return true
                }
            } catch let error as S3Error {
                if fatalS3Codes.contains(error.code) { throw SourceError(error.description) }
                listing.problems.append(ListingProblem(bucket: bucket, key: prefix, reason: error.macieReason, message: error.description))
            }
        }
        let prefetcher = S3Prefetcher(
            client: client, objects: listing.selected, rangeSize: reading.rangeSize, maxObjects: reading.concurrency,
            maxBytes: reading.prefetchBytes,
            shouldRead: { Classifiability.skipReason(storageClass: $0.storageClass, encryption: $0.serverSideEncryption) == nil })
        listing.bytes = { object in S3Bytes(reader: prefetcher.reader(for: object)) }
        listing.s3 = S3Listing(client: client, reading: reading, listRequests: client.counters.listRequests.load(ordering: .relaxed) - before)
        return listing
    }

    /// What the scan itself costs in S3 requests and transfer: the listing's LIST requests again,
    /// one GET per range of every object that will be read (skipped ones cost none), the bytes
    /// read, priced with `Data/pricing.json` (transfer at the internet rate: free inside the region).
    public func s3Cost(region: String) -> EstimateReport.S3Cost? {
        guard let s3 else { return nil }
        var cost = EstimateReport.S3Cost()
        cost.listRequests = s3.listRequests
        let range = Int64(max(1, s3.reading.rangeSize))
        for object in selected {
            if Classifiability.skipReason(storageClass: object.storageClass, encryption: object.serverSideEncryption) != nil { continue }
            let kind = FormatPolicy.kind(forExtension: object.fileExtension)
            guard FormatPolicy.isSupported(kind), object.size <= FormatPolicy.sizeLimit(kind) else { continue }
            cost.getRequests += Int(max(1, (object.size + range - 1) / range))
            cost.bytesTransferred += object.size
        }
        let (prices, key) = Pricing.builtin.s3Prices(region: region)
        cost.region = key
        cost.usd = Double(cost.listRequests) / 1000 * prices.listPer1000 + Double(cost.getRequests) / 1000 * prices.getPer1000
            + Double(cost.bytesTransferred) / 1_073_741_824 * prices.transferOutPerGB
        cost.usd = (cost.usd * 10_000).rounded() / 10_000
        return cost
    }
}
