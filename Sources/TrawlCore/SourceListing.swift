import Foundation
import TrawlObjects

/// Where objects come from. Parsed from the SOURCE argument.
public enum ObjectSource: Sendable, Equatable {
    /// A directory whose direct subdirectories are buckets; with `bucket`, the directory is
    /// that one bucket.
    case directory(path: String, bucket: String?)

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
            throw SourceError("\(text) is not a directory (SOURCE is a directory of buckets, or one bucket with --bucket NAME)")
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
}
