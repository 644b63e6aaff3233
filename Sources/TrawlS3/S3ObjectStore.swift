import Foundation
import TrawlObjects

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

/// `s3://BUCKET[/PREFIX]` or `s3://` (every bucket the credentials list) as an object store:
/// ListObjectsV2 for the listing, ranged GETs with If-Match for the bytes, the first ranges of
/// upcoming objects prefetched within a budget.
public struct S3ObjectStore: ObjectStore {
    public let client: S3Client
    public let location: S3Location
    public let reading: S3Reading
    let url: String
    /// LIST requests made before this store listed anything (the client may be shared).
    let listRequestsBefore: Int

    public init(url: String, client: S3Client, reading: S3Reading = S3Reading()) throws {
        do {
            location = try S3Location.parse(url)
        } catch {
            throw SourceError(error.description)
        }
        self.url = url
        self.client = client
        self.reading = reading
        listRequestsBefore = client.counters.listRequests.load(ordering: .relaxed)
    }

    public var sourceDescription: String { url }
    public var canReadObjects: Bool { true }
    public var region: String? { client.configuration.region }

    public var requests: RequestAccounting? {
        RequestAccounting(
            listRequests: client.counters.listRequests.load(ordering: .relaxed) - listRequestsBefore,
            rangeSize: reading.rangeSize)
    }

    /// S3 error codes that mean the credentials or the endpoint are wrong: the whole run stops.
    static let fatalCodes: Set<String> = [
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "RegionMismatch", "MalformedResponse", "ConnectionFailed", "Timeout", "BadEndpoint",
        "AuthorizationHeaderMalformed",
    ]

    public func bucketNames() throws -> [String] {
        if let bucket = location.bucket { return [bucket] }
        do {
            return try client.listBuckets().map(\.name).sorted()
        } catch {
            throw SourceError("cannot list the buckets: \(error)")
        }
    }

    public func listObjects(
        in buckets: [String], object: (ObjectRef) throws -> Bool, problem: (ListingProblem) -> Void
    ) throws {
        let prefix = location.prefix
        for bucket in buckets {
            do {
                var going = true
                _ = try client.listAllObjects(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix) { page in
                    // Zero-byte keys ending in "/" are the console's folder markers, not objects.
                    for summary in page where !(summary.key.hasSuffix("/") && summary.size == 0) {
                        going = try object(
                            ObjectRef(
                                bucket: bucket, key: summary.key, size: summary.size,
                                lastModified: summary.lastModified,
                                eTag: summary.eTag, storageClass: summary.storageClass,
                                location: .s3(bucket: bucket, key: summary.key, versionId: nil)))
                        if !going { return false }
                    }
                    return true
                }
                if !going { return }
            } catch let error as S3Error {
                if Self.fatalCodes.contains(error.code) { throw SourceError(error.description) }
                // The bucket the user named does not exist: an error, not an empty result.
                if error.code == "NoSuchBucket", location.bucket == bucket {
                    throw SourceError("bucket \(bucket) does not exist (\(error.description))")
                }
                problem(
                    ListingProblem(bucket: bucket, key: prefix, reason: error.macieReason, message: error.description))
            }
        }
    }

    public func reader(for selected: [ObjectRef]) -> @Sendable (ObjectRef) -> any ObjectBytes {
        let prefetcher = S3Prefetcher(
            client: client, objects: selected, rangeSize: reading.rangeSize, maxObjects: reading.concurrency,
            maxBytes: reading.prefetchBytes,
            shouldRead: {
                StorageClass.skipReason(storageClass: $0.storageClass, encryption: $0.serverSideEncryption) == nil
            })
        return { object in prefetcher.reader(for: object) }
    }

    /// Peeking costs a GET per object: the estimate judges S3 objects by extension.
    public func probe(_ object: ObjectRef) -> (any ObjectBytes)? { nil }
}

extension S3ObjectReader: ObjectBytes {}
