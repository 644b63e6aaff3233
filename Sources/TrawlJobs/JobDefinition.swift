import Foundation
import TrawlCore
import TrawlDetect

/// Everything that defines what a job scans and when: one revision of a job.
///
/// Custom identifier and allow list files are kept by content, so a job keeps meaning what
/// it meant when it was saved even if the files change; `job apply` re-reads them and starts
/// a new revision when they did change. Paths are absolute once stored.
public struct JobDefinition: Sendable, Equatable, Codable {
    public var name: String
    /// A directory of buckets (absolute path), or another SOURCE form `ObjectSource.parse` accepts.
    public var source: String
    /// Treat SOURCE itself as this one bucket.
    public var bucket: String?
    public var schedule: String
    /// IANA time zone of the schedule's time of day.
    public var timezone: String
    /// Macie's `initialRun`: whether the first run analyses existing objects (true) or only
    /// those created or changed after the job was created (false).
    public var initialRun: Bool
    public var scope: ScopeSpec
    public var identifiers: String
    public var excludeIdentifiers: String?
    /// A managed identifier catalog folder instead of the built-in one.
    public var patterns: String?
    public var customIdentifiers: [StoredFile]
    public var allowLists: [StoredFile]
    public var allowRegexes: [String]
    /// Budgets per run: a run whose estimate is over either is PAUSED instead of read.
    public var maxCostUSD: Double?
    public var maxBytes: Int64?
    /// Region whose Macie prices the estimate uses.
    public var region: String

    public init(
        name: String, source: String, bucket: String? = nil, schedule: String = "once",
        timezone: String = TimeZone.current.identifier,
        initialRun: Bool = true, scope: ScopeSpec = ScopeSpec(), identifiers: String = "recommended",
        excludeIdentifiers: String? = nil,
        patterns: String? = nil, customIdentifiers: [StoredFile] = [], allowLists: [StoredFile] = [],
        allowRegexes: [String] = [],
        maxCostUSD: Double? = nil, maxBytes: Int64? = nil, region: String = "us-east-1"
    ) {
        self.name = name
        self.source = source
        self.bucket = bucket
        self.schedule = schedule
        self.timezone = timezone
        self.initialRun = initialRun
        self.scope = scope
        self.identifiers = identifiers
        self.excludeIdentifiers = excludeIdentifiers
        self.patterns = patterns
        self.customIdentifiers = customIdentifiers
        self.allowLists = allowLists
        self.allowRegexes = allowRegexes
        self.maxCostUSD = maxCostUSD
        self.maxBytes = maxBytes
        self.region = region
    }

    /// A file whose content the job keeps.
    public struct StoredFile: Sendable, Equatable, Codable {
        public var path: String
        public var content: String
        public init(path: String, content: String) {
            self.path = path
            self.content = content
        }
    }

    /// Reads a file for `customIdentifiers` or `allowLists`.
    public static func storedFile(_ path: String, relativeTo base: URL? = nil) throws(JobError) -> StoredFile {
        let absolute = resolvePath(path, base: base)
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw JobError.invalid("cannot read \(path)")
        }
        return StoredFile(path: absolute, content: String(decoding: data, as: UTF8.self))
    }

    public var parsedSchedule: Schedule {
        get throws(JobError) {
            do { return try Schedule.parse(schedule) } catch { throw JobError.invalid(error.description) }
        }
    }

    public var timeZone: TimeZone {
        get throws(JobError) {
            guard let zone = TimeZone(identifier: timezone) else {
                throw JobError.invalid("unknown time zone '\(timezone)' (use an IANA name such as Europe/Paris or UTC)")
            }
            return zone
        }
    }

    /// Checks the definition and puts it in canonical form (schedule text).
    public func validated() throws(JobError) -> JobDefinition {
        try Self.validateName(name)
        var copy = self
        copy.schedule = try parsedSchedule.description
        _ = try timeZone
        _ = try scope.scope()
        if let maxCostUSD, maxCostUSD < 0 { throw JobError.invalid("maxCostUSD must not be negative") }
        if let maxBytes, maxBytes < 0 { throw JobError.invalid("maxBytes must not be negative") }
        if source.isEmpty { throw JobError.invalid("job \(name): source is empty") }
        return copy
    }

    /// Job names become file and unit names (`trawl job systemd`), so they are kept simple.
    public static func validateName(_ name: String) throws(JobError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...128).contains(name.count), name.allSatisfy({ allowed.contains($0) }), name.first != "-",
            name.first != "."
        else {
            throw JobError.invalid(
                "bad job name '\(name)': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '-' or '.'")
        }
    }

    /// The detector configuration this definition describes (built-in or given catalog, stored contents).
    public var detectorConfiguration: DetectorConfiguration {
        var configuration = DetectorConfiguration()
        configuration.catalogDirectory = patterns
        configuration.identifiers = identifiers
        configuration.excludeIdentifiers = excludeIdentifiers
        configuration.customIdentifiers = customIdentifiers.map { .init(path: $0.path, content: Data($0.content.utf8)) }
        configuration.allowLists = allowLists.map { .init(path: $0.path, content: Data($0.content.utf8)) }
        configuration.allowRegexes = allowRegexes
        return configuration
    }

    /// The detector this definition describes.
    public func detector() throws(JobError) -> Detector {
        do {
            return try detectorConfiguration.detector()
        } catch {
            throw JobError.invalid("\(error)")
        }
    }

    /// Names of the fields that differ from `other` (for `job apply`'s report).
    public func changedFields(from other: JobDefinition) -> [String] {
        var fields: [String] = []
        if source != other.source || bucket != other.bucket { fields.append("source") }
        if schedule != other.schedule || timezone != other.timezone { fields.append("schedule") }
        if initialRun != other.initialRun { fields.append("initialRun") }
        if scope != other.scope { fields.append("scope") }
        if identifiers != other.identifiers || excludeIdentifiers != other.excludeIdentifiers
            || patterns != other.patterns
        {
            fields.append("identifiers")
        }
        if customIdentifiers != other.customIdentifiers { fields.append("customIdentifiers") }
        if allowLists != other.allowLists || allowRegexes != other.allowRegexes { fields.append("allowLists") }
        if maxCostUSD != other.maxCostUSD || maxBytes != other.maxBytes { fields.append("budgets") }
        if region != other.region { fields.append("region") }
        return fields
    }
}

/// `path` made absolute: relative to `base` (a folder) when given, else to the current one.
func resolvePath(_ path: String, base: URL?) -> String {
    if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
    let folder = base ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    return folder.appendingPathComponent(path).standardizedFileURL.path
}

/// Job scoping as written in a jobs file: every field optional (unlike `Scope`'s own Codable
/// form), dates as ISO-8601 text.
public struct ScopeSpec: Sendable, Equatable, Codable {
    public var includeBuckets: [String]?
    public var excludeBuckets: [String]?
    public var includeExtensions: [String]?
    public var excludeExtensions: [String]?
    public var includePrefixes: [String]?
    public var excludePrefixes: [String]?
    public var minSize: Int64?
    public var maxSize: Int64?
    public var modifiedAfter: String?
    public var modifiedBefore: String?
    public var samplingPercentage: Int?
    public var samplingSeed: UInt64?

    public init() {}

    public init(_ scope: Scope) {
        func nonEmpty(_ list: [String]) -> [String]? { list.isEmpty ? nil : list }
        includeBuckets = nonEmpty(scope.buckets)
        excludeBuckets = nonEmpty(scope.excludeBuckets)
        includeExtensions = nonEmpty(scope.includeExtensions)
        excludeExtensions = nonEmpty(scope.excludeExtensions)
        includePrefixes = nonEmpty(scope.includePrefixes)
        excludePrefixes = nonEmpty(scope.excludePrefixes)
        minSize = scope.minSize
        maxSize = scope.maxSize
        let iso = Date.ISO8601FormatStyle()
        modifiedAfter = scope.modifiedAfter.map { iso.format($0) }
        modifiedBefore = scope.modifiedBefore.map { iso.format($0) }
        samplingPercentage = scope.samplingPercentage == 100 ? nil : scope.samplingPercentage
        samplingSeed = scope.samplingSeed == 0 ? nil : scope.samplingSeed
    }

    public func scope() throws(JobError) -> Scope {
        var scope = Scope()
        scope.buckets = includeBuckets ?? []
        scope.excludeBuckets = excludeBuckets ?? []
        scope.includeExtensions = (includeExtensions ?? []).map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
        scope.excludeExtensions = (excludeExtensions ?? []).map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
        scope.includePrefixes = includePrefixes ?? []
        scope.excludePrefixes = excludePrefixes ?? []
        scope.minSize = minSize
        scope.maxSize = maxSize
        func date(_ text: String?, _ field: String) throws(JobError) -> Date? {
            guard let text else { return nil }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
            throw JobError.invalid("scope.\(field): '\(text)' is not an ISO-8601 date or time")
        }
        scope.modifiedAfter = try date(modifiedAfter, "modifiedAfter")
        scope.modifiedBefore = try date(modifiedBefore, "modifiedBefore")
        let sampling = samplingPercentage ?? 100
        guard (1...100).contains(sampling) else { throw JobError.invalid("scope.samplingPercentage must be 1 to 100") }
        scope.samplingPercentage = sampling
        scope.samplingSeed = samplingSeed ?? 0
        return scope
    }
}

/// Errors a user can act on; messages never contain object content.
public enum JobError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalid(String)
    case unknownJob(String)
    case exists(String)
    case locked(job: String, pid: Int32, since: Date)
    case state(String)
    case notRunnable(String)

    public var description: String {
        switch self {
        case .invalid(let message), .state(let message), .notRunnable(let message): return message
        case .unknownJob(let name): return "no job named '\(name)' (see trawl job list)"
        case .exists(let name): return "a job named '\(name)' already exists (use trawl job apply to change it)"
        case .locked(let job, let pid, let since):
            return
                "job \(job) is already running in process \(pid) (since \(Date.ISO8601FormatStyle().format(since))); wait for it, or stop that process"
        }
    }
}
