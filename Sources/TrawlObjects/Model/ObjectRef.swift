import Foundation

/// One object in scope: where it is and its metadata, as S3 (or a listing) describes it.
public struct ObjectRef: Sendable, Hashable {
    public enum Location: Sendable, Hashable {
        /// A file on disk (a bucket-like directory tree).
        case file(path: String)
        /// An object behind the S3 API.
        case s3(bucket: String, key: String, versionId: String?)
    }

    public var bucket: String
    public var key: String
    public var size: Int64
    public var lastModified: Date
    /// The S3 ETag; for local files a stable stand-in derived from size and modification
    /// time (`"<size hex>-<mtime ns hex>"`), so a changed file gets a new one.
    public var eTag: String
    /// S3 storage class (`STANDARD` for local files).
    public var storageClass: String
    /// Server-side encryption as S3 reports it (`AES256`, `aws:kms`, `SSE-C`...), if known.
    public var serverSideEncryption: String?
    public var location: Location
    /// For a local file, the device and inode the listing saw (it must still be that file when read).
    public var fileIdentity: FileIdentity?

    public init(
        bucket: String, key: String, size: Int64, lastModified: Date, eTag: String, storageClass: String = "STANDARD",
        serverSideEncryption: String? = nil, location: Location, fileIdentity: FileIdentity? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.eTag = eTag
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.location = location
        self.fileIdentity = fileIdentity
    }

    /// The key's extension without the dot, lower-cased (`""` when none), as Macie reports it.
    public var fileExtension: String { ContentKind.fileExtension(of: key) }
}

/// An object that could not even be listed or opened as an object (a directory entry we
/// cannot stat, a broken link). It still appears in the results with a reason.
public struct ListingProblem: Sendable, Hashable {
    public var bucket: String
    public var key: String
    public var reason: ReasonCode
    public var message: String

    public init(bucket: String, key: String, reason: ReasonCode, message: String) {
        self.bucket = bucket
        self.key = key
        self.reason = reason
        self.message = message
    }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, pinned at `max`/`min`: for totals of sizes a listing reports (a
    /// sparse file may declare exabytes), where a sum too large to represent is simply huge.
    public func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self * factor`, pinned at `max`/`min`.
    public func saturatingMultiply(_ factor: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: factor)
        return overflow ? ((self < 0) == (factor < 0) ? .max : .min) : product
    }
}
