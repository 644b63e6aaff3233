import Foundation
import TrawlCore
import TrawlObjects

/// A resolved SOURCE: the objects in scope, the sampled ones, and listing problems.
struct Listing {
    var inScope: [ObjectRef] = []
    var selected: [ObjectRef] = []
    var problems: [ListingProblem] = []
    var bytes: @Sendable (ObjectRef) -> ObjectBytes = { object in
        if case .file(let path) = object.location { return FileBytes(path: path) }
        return MemoryBytes([])
    }
    var head: ((ObjectRef) -> [UInt8]?)?
    var tail: ((ObjectRef, Int) -> [UInt8]?)?

    static func resolve(_ source: String, scopeOptions: ScopeOptions) throws -> Listing {
        let scope = try scopeOptions.scope()
        if source.hasPrefix("s3://") {
            throw UsageError("s3:// sources are not supported by this build yet; scan a local mirror (a directory of buckets) instead")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw UsageError("\(source): no such file or directory")
        }
        guard isDirectory.boolValue else {
            throw UsageError("\(source) is not a directory (SOURCE is a directory of buckets, or one bucket with --bucket NAME)")
        }
        let directory = DirectorySource(root: URL(fileURLWithPath: source), singleBucket: scopeOptions.singleBucket)
        var listing = Listing()
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
        if let only = scopeOptions.singleBucket, buckets.isEmpty {
            throw UsageError("bucket \(only) is excluded by the bucket filters")
        }
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
