import ArgumentParser
import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// Which objects are in scope (Macie's job scoping).
struct ScopeOptions: ParsableArguments {
    @Option(name: .customLong("bucket"), help: "Treat SOURCE itself as the single bucket NAME.")
    var singleBucket: String?

    @Option(name: .customLong("include-bucket"), parsing: .singleValue, help: "Only these buckets (repeatable).")
    var includeBuckets: [String] = []

    @Option(name: .customLong("exclude-bucket"), parsing: .singleValue, help: "Skip these buckets (repeatable).")
    var excludeBuckets: [String] = []

    @Option(
        name: .customLong("include-ext"), parsing: .singleValue,
        help: "Only objects with these extensions, no dot (repeatable).")
    var includeExtensions: [String] = []

    @Option(
        name: .customLong("exclude-ext"), parsing: .singleValue,
        help: "Skip objects with these extensions (repeatable; excludes beat includes).")
    var excludeExtensions: [String] = []

    @Option(
        name: .customLong("include-prefix"), parsing: .singleValue,
        help: "Only keys starting with this prefix (repeatable).")
    var includePrefixes: [String] = []

    @Option(
        name: .customLong("exclude-prefix"), parsing: .singleValue,
        help: "Skip keys starting with this prefix (repeatable).")
    var excludePrefixes: [String] = []

    @Option(name: .customLong("min-size"), help: "Only objects of at least this size (bytes, or with K/M/G suffix).")
    var minSize: ByteSize?

    @Option(name: .customLong("max-size"), help: "Only objects of at most this size (bytes, or with K/M/G suffix).")
    var maxSize: ByteSize?

    @Option(
        name: .customLong("modified-after"), help: "Only objects last modified at or after this ISO-8601 date or time.")
    var modifiedAfter: ISODate?

    @Option(name: .customLong("modified-before"), help: "Only objects last modified before this ISO-8601 date or time.")
    var modifiedBefore: ISODate?

    @Option(
        name: .customLong("sampling"),
        help: "Analyse this percentage (1-100) of eligible objects, picked at random; each picked object is read whole."
    )
    var sampling: Int = 100

    @Option(name: .customLong("seed"), help: "Seed for --sampling: the same seed picks the same objects.")
    var seed: UInt64 = 0

    func validate() throws {
        guard (1...100).contains(sampling) else { throw ValidationError("--sampling takes a percentage from 1 to 100") }
    }

    func scope() throws -> Scope {
        var scope = Scope()
        scope.buckets = includeBuckets
        scope.excludeBuckets = excludeBuckets
        scope.includeExtensions = includeExtensions.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
        scope.excludeExtensions = excludeExtensions.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
        scope.includePrefixes = includePrefixes
        scope.excludePrefixes = excludePrefixes
        scope.minSize = minSize?.bytes
        scope.maxSize = maxSize?.bytes
        scope.modifiedAfter = modifiedAfter?.date
        scope.modifiedBefore = modifiedBefore?.date
        scope.samplingPercentage = sampling
        scope.samplingSeed = seed
        return scope
    }
}

/// Which identifiers run, and the custom identifiers and allow lists.
struct DetectionOptions: ParsableArguments {
    @Option(
        name: .customLong("identifiers"),
        help: "recommended (default), all, none, or a comma-separated list of identifier IDs.")
    var identifiers: String = "recommended"

    @Option(name: .customLong("exclude-identifiers"), help: "Comma-separated identifier IDs to leave out.")
    var excludeIdentifiers: String?

    @Option(
        name: .customLong("custom"), parsing: .singleValue,
        help: "A custom identifier file (JSON; see docs/custom-identifiers.md). Repeatable.")
    var customFiles: [String] = []

    @Option(
        name: .customLong("allow-list"), parsing: .singleValue,
        help: "A text allow list: one entry per line; matching values are never reported. Repeatable.")
    var allowListFiles: [String] = []

    @Option(
        name: .customLong("allow-regex"), parsing: .singleValue,
        help: "A regex allow list: values it matches completely are never reported. Repeatable.")
    var allowRegexes: [String] = []

    @Option(
        name: .customLong("patterns"),
        help: "Load the managed identifier catalog from this folder instead of the built-in one.")
    var patternsDirectory: String?

    func catalog() throws -> Catalog {
        try patternsDirectory.map { try Catalog.load(directory: URL(fileURLWithPath: $0)) } ?? Catalog.builtin
    }

    /// The detector configuration the flags describe (files read now).
    func configuration() throws -> DetectorConfiguration {
        var configuration = DetectorConfiguration()
        configuration.catalogDirectory = patternsDirectory
        configuration.identifiers = identifiers
        configuration.excludeIdentifiers = excludeIdentifiers
        configuration.customIdentifiers = try customFiles.map { try .read($0, what: "custom identifier file") }
        configuration.allowLists = try allowListFiles.map { try .read($0, what: "allow list") }
        configuration.allowRegexes = allowRegexes
        return configuration
    }

    func detector() throws -> Detector { try configuration().detector() }
}

/// A size on the command line: bytes, or with a K, M, G or T suffix (binary units), an optional B.
struct ByteSize: ExpressibleByArgument, Sendable, Equatable {
    var bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    init?(argument: String) {
        guard let bytes = Self.parse(argument) else { return nil }
        self.bytes = bytes
    }

    static func parse(_ text: String) -> Int64? {
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var multiplier = 1.0
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value >= 0, (value * multiplier) < 9.2e18 else { return nil }
        return Int64(value * multiplier)
    }

    static var defaultValueDescription: String { "bytes, or with a K, M, G or T suffix" }
}

/// An ISO-8601 date (2024-05-01, midnight UTC) or time (2024-05-01T12:00:00Z) on the command line.
struct ISODate: ExpressibleByArgument, Sendable, Equatable {
    var date: Date

    init?(argument: String) {
        if let date = try? Date(argument, strategy: .iso8601) {
            self.date = date
        } else if let date = try? Date(argument + "T00:00:00Z", strategy: .iso8601) {
            self.date = date
        } else {
            return nil
        }
    }
}

/// Sizes given to the job commands, which keep them as text in a definition.
func parseSize(_ text: String, flag: String) throws -> Int64 {
    guard let bytes = ByteSize.parse(text) else {
        throw UsageError("\(flag): '\(text)' is not a size (bytes, or with a K, M, G or T suffix)")
    }
    return bytes
}

func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: value >= 100 ? "%.0f %@" : "%.1f %@", value, units[unit])
}

func formatSeconds(_ seconds: Double) -> String {
    if seconds < 1 { return String(format: "%.2f s", seconds) }
    if seconds < 120 { return String(format: "%.1f s", seconds) }
    if seconds < 7200 { return String(format: "%.0f min", seconds / 60) }
    return String(format: "%.1f h", seconds / 3600)
}
