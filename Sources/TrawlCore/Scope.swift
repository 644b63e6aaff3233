import Foundation
import TrawlObjects

/// Which objects a scan or estimate covers: Macie's job scoping (`scoping.includes/excludes`
/// with OBJECT_EXTENSION, OBJECT_KEY prefix, OBJECT_SIZE, OBJECT_LAST_MODIFIED_DATE), bucket
/// selection and `samplingPercentage`. Conditions within includes are AND'd; an object
/// matching any exclude condition is out, whatever the includes say.
public struct Scope: Sendable, Equatable, Codable {
    /// The same bucket filters and nothing else: a job lists whole buckets and scopes objects in
    /// its incremental plan, so objects outside the scope are not mistaken for deleted ones.
    public var bucketsOnly: Scope {
        var scope = Scope()
        scope.buckets = buckets
        scope.excludeBuckets = excludeBuckets
        return scope
    }

    /// Buckets to include (empty: all) and to exclude. Exact, case-sensitive names.
    public var buckets: [String] = []
    public var excludeBuckets: [String] = []
    /// Extensions without the dot; compared case-insensitively here (Macie: case-sensitive;
    /// trawl treats `CSV` and `csv` alike, which is what users expect of local files).
    public var includeExtensions: [String] = []
    public var excludeExtensions: [String] = []
    /// Key prefixes (STARTS_WITH, case-sensitive, from the first character of the key).
    public var includePrefixes: [String] = []
    public var excludePrefixes: [String] = []
    /// Size bounds in bytes (inclusive).
    public var minSize: Int64?
    public var maxSize: Int64?
    /// Last-modified bounds (inclusive lower, exclusive upper).
    public var modifiedAfter: Date?
    public var modifiedBefore: Date?
    /// Percentage of eligible objects to analyse (1...100), chosen at random but
    /// reproducibly for a given seed: the same seed picks the same objects.
    public var samplingPercentage: Int = 100
    public var samplingSeed: UInt64 = 0

    public init() {}

    public func includesBucket(_ name: String) -> Bool {
        if excludeBuckets.contains(name) { return false }
        return buckets.isEmpty || buckets.contains(name)
    }

    /// Whether the object is eligible (scoping only, before sampling).
    public func isEligible(_ object: ObjectRef) -> Bool {
        guard includesBucket(object.bucket) else { return false }
        let ext = object.fileExtension
        // Excludes win.
        if excludeExtensions.contains(where: { $0.lowercased() == ext }) { return false }
        if excludePrefixes.contains(where: { object.key.hasPrefix($0) }) { return false }
        if !includeExtensions.isEmpty && !includeExtensions.contains(where: { $0.lowercased() == ext }) { return false }
        if !includePrefixes.isEmpty && !includePrefixes.contains(where: { object.key.hasPrefix($0) }) { return false }
        if let minSize, object.size < minSize { return false }
        if let maxSize, object.size > maxSize { return false }
        if let modifiedAfter, object.lastModified < modifiedAfter { return false }
        if let modifiedBefore, object.lastModified >= modifiedBefore { return false }
        return true
    }

    /// Whether sampling picks this object. Stable for a seed, independent of listing order,
    /// so a re-run with the same seed analyses the same objects.
    public func isSampled(_ object: ObjectRef) -> Bool {
        guard samplingPercentage < 100 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ samplingSeed &* 0x9E37_79B9_7F4A_7C15
        for byte in object.bucket.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        for byte in object.key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        // Final avalanche (splitmix64) so nearby keys are independent.
        hash ^= hash >> 30
        hash &*= 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash &*= 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return hash % 10_000 < UInt64(samplingPercentage) * 100
    }
}
