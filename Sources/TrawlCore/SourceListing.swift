import Foundation
import TrawlObjects

/// Opens a SOURCE argument as an object store: local directories (a tree of buckets, or one
/// bucket) and S3 Inventory manifests here; other schemes (`s3://`) through the openers the
/// caller registers, so the core never needs a transport.
public struct StoreOpener: Sendable {
    /// URL scheme prefix (`s3://`) → opens a SOURCE with that prefix.
    public var remote: [String: @Sendable (String) throws -> any ObjectStore]

    public init(remote: [String: @Sendable (String) throws -> any ObjectStore] = [:]) {
        self.remote = remote
    }

    /// Opens `text`; `bucket` names the single bucket a local directory is (`--bucket`).
    public func open(_ text: String, bucket: String?) throws -> any ObjectStore {
        if let (prefix, open) = remote.first(where: { text.hasPrefix($0.key) }) {
            guard bucket == nil else {
                throw SourceError("--bucket names a local directory's bucket; for \(prefix) put the bucket in the URL")
            }
            return try open(text)
        }
        if text.hasPrefix("s3://") {
            throw SourceError("\(text): s3:// sources are not available here")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) else {
            throw SourceError("\(text): no such file or directory")
        }
        guard isDirectory.boolValue else {
            if text.hasSuffix(".json"), let data = FileManager.default.contents(atPath: text),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["files"] != nil
            {
                return try InventoryStore(manifest: text)
            }
            // One file: the one object of a bucket named after its folder (or --bucket).
            var store = DirectorySource(file: URL(fileURLWithPath: text))
            if let bucket { store.singleBucket = bucket }
            return store
        }
        return DirectorySource(root: URL(fileURLWithPath: text), singleBucket: bucket)
    }
}

/// The objects of a source after scoping: those in scope, the sampled ones that will be
/// read, and entries that could not be listed. Also how to read an object's bytes.
public struct SourceListing {
    public var store: any ObjectStore
    public var inScope: [ObjectRef] = []
    public var selected: [ObjectRef] = []
    public var problems: [ListingProblem] = []
    /// Why nothing is in scope, said for a person (nil when something is).
    public var emptyReason: String?

    /// Lists `store` under `scope`. Throws `SourceError` when a bucket filter names a bucket the
    /// source does not have (a typo must not read as "nothing found").
    public static func list(_ store: any ObjectStore, scope: Scope) throws -> SourceListing {
        var listing = SourceListing(store: store)
        let all = try store.bucketNames()
        let missing = scope.buckets.filter { !all.contains($0) }
        if !missing.isEmpty {
            let known =
                all.isEmpty
                ? "it has none"
                : "its buckets: " + all.prefix(20).joined(separator: ", ") + (all.count > 20 ? ", …" : "")
            throw SourceError(
                "\(store.sourceDescription) has no bucket named \(missing.joined(separator: ", ")) (\(known))")
        }
        let buckets = all.filter(scope.includesBucket)
        if all.count == 1, buckets.isEmpty {
            throw SourceError("bucket \(all[0]) is excluded by the bucket filters")
        }
        var census = ScopeCensus(scope: scope)
        try store.listObjects(
            in: buckets,
            object: { object in
                census.count(object)
                if scope.isEligible(object) {
                    listing.inScope.append(object)
                    if scope.isSampled(object) { listing.selected.append(object) }
                }
                return true
            }, problem: { listing.problems.append($0) })
        if listing.inScope.isEmpty {
            listing.emptyReason = census.whyEmpty(buckets: buckets.count, source: store.sourceDescription)
        }
        return listing
    }

    /// How to read the objects a scan will read (`selected`, in the runner's order).
    public func reader(for objects: [ObjectRef]) -> @Sendable (ObjectRef) -> any ObjectBytes {
        store.reader(for: objects)
    }

    /// The listing's problems as results, so they appear beside the objects.
    public var problemResults: [ObjectResult] {
        problems.map { problem in
            ObjectResult(
                object: ObjectRef(
                    bucket: problem.bucket, key: problem.key, size: 0, lastModified: Date(timeIntervalSince1970: 0),
                    eTag: "",
                    location: .file(path: "")),
                status: .skipped, reason: problem.reason, message: problem.message)
        }
    }

    /// What the scan itself costs in requests and transfer on a remote store: the listing's LIST
    /// requests again, one GET per range of every object that will be read (skipped ones cost
    /// none), the bytes read, priced with `Data/pricing.json` (transfer at the internet rate).
    public func requestCost(region: String) -> EstimateReport.S3Cost? {
        guard let requests = store.requests else { return nil }
        var cost = EstimateReport.S3Cost()
        cost.listRequests = requests.listRequests
        let range = Int64(max(1, requests.rangeSize))
        for object in selected {
            if StorageClass.skipReason(storageClass: object.storageClass, encryption: object.serverSideEncryption)
                != nil
            {
                continue
            }
            let kind = FormatPolicy.kind(forExtension: object.fileExtension)
            guard FormatPolicy.isSupported(kind), object.size <= FormatPolicy.sizeLimit(kind) else { continue }
            cost.getRequests = cost.getRequests.saturatingAdd(
                Int(clamping: max(1, object.size.saturatingAdd(range - 1) / range)))
            cost.bytesTransferred = cost.bytesTransferred.saturatingAdd(object.size)
        }
        let (prices, key) = Pricing.builtin.s3Prices(region: region)
        cost.region = key
        cost.usd =
            Double(cost.listRequests) / 1000 * prices.listPer1000 + Double(cost.getRequests) / 1000 * prices.getPer1000
            + Double(cost.bytesTransferred) / 1_073_741_824 * prices.transferOutPerGB
        cost.usd = (cost.usd * 10_000).rounded() / 10_000
        return cost
    }
}

/// Counts, while listing, how many objects each object filter alone would keep, so that an empty
/// scope can name the filter that emptied it.
struct ScopeCensus {
    let filters: [(flag: String, scope: Scope)]
    var listed = 0
    var kept: [Int]

    init(scope: Scope) {
        var filters: [(String, Scope)] = []
        func add(_ flag: String, _ change: (inout Scope) -> Void) {
            var single = Scope()
            change(&single)
            filters.append((flag, single))
        }
        if !scope.includePrefixes.isEmpty {
            add("--include-prefix \(scope.includePrefixes.joined(separator: ", "))") {
                $0.includePrefixes = scope.includePrefixes
            }
        }
        if !scope.excludePrefixes.isEmpty {
            add("--exclude-prefix \(scope.excludePrefixes.joined(separator: ", "))") {
                $0.excludePrefixes = scope.excludePrefixes
            }
        }
        if !scope.includeExtensions.isEmpty {
            add("--include-ext \(scope.includeExtensions.joined(separator: ", "))") {
                $0.includeExtensions = scope.includeExtensions
            }
        }
        if !scope.excludeExtensions.isEmpty {
            add("--exclude-ext \(scope.excludeExtensions.joined(separator: ", "))") {
                $0.excludeExtensions = scope.excludeExtensions
            }
        }
        if let minSize = scope.minSize { add("--min-size \(minSize)") { $0.minSize = minSize } }
        if let maxSize = scope.maxSize { add("--max-size \(maxSize)") { $0.maxSize = maxSize } }
        if let after = scope.modifiedAfter { add("--modified-after \(after)") { $0.modifiedAfter = after } }
        if let before = scope.modifiedBefore { add("--modified-before \(before)") { $0.modifiedBefore = before } }
        self.filters = filters
        kept = Array(repeating: 0, count: filters.count)
    }

    mutating func count(_ object: ObjectRef) {
        listed += 1
        for (index, filter) in filters.enumerated() where filter.scope.isEligible(object) { kept[index] += 1 }
    }

    func whyEmpty(buckets: Int, source: String) -> String {
        if buckets == 0 { return "\(source) has no bucket in scope" }
        if listed == 0 { return "\(source) has no objects (\(buckets) bucket(s) listed)" }
        if let index = kept.firstIndex(of: 0) {
            return "\(filters[index].flag) matches none of the \(listed) object(s) listed"
        }
        return "the filters together match none of the \(listed) object(s) listed"
    }
}
