import Foundation

/// The declarative jobs file of `trawl job apply` and `trawl job export` (JSON; see
/// docs/jobs.md). Jobs live in version control: applying a file creates the jobs it names
/// and gives changed ones a new revision; `export` writes a file that applies unchanged.
///
/// Relative paths (source, custom identifier and allow list files, patterns) are relative to
/// the file's folder; the store keeps them absolute, and the contents of custom identifier
/// and allow list files.
public struct JobsFile: Sendable, Equatable, Codable {
    public var jobs: [Entry]

    public init(jobs: [Entry]) { self.jobs = jobs }

    public struct Entry: Sendable, Equatable, Codable {
        public var name: String
        public var source: String
        public var bucket: String?
        public var schedule: String?
        public var timezone: String?
        public var initialRun: Bool?
        public var scope: ScopeSpec?
        public var identifiers: String?
        public var excludeIdentifiers: String?
        public var patterns: String?
        public var customIdentifiers: [String]?
        public var allowLists: [String]?
        public var allowRegexes: [String]?
        public var maxCostUSD: Double?
        public var maxBytes: Int64?
        public var region: String?

        public init(_ definition: JobDefinition) {
            name = definition.name
            source = definition.source
            bucket = definition.bucket
            schedule = definition.schedule
            timezone = definition.timezone
            initialRun = definition.initialRun
            scope = definition.scope == ScopeSpec() ? nil : definition.scope
            identifiers = definition.identifiers
            excludeIdentifiers = definition.excludeIdentifiers
            patterns = definition.patterns
            customIdentifiers = definition.customIdentifiers.isEmpty ? nil : definition.customIdentifiers.map(\.path)
            allowLists = definition.allowLists.isEmpty ? nil : definition.allowLists.map(\.path)
            allowRegexes = definition.allowRegexes.isEmpty ? nil : definition.allowRegexes
            maxCostUSD = definition.maxCostUSD
            maxBytes = definition.maxBytes
            region = definition.region
        }

        /// The definition this entry describes, reading the files it names.
        public func definition(base: URL) throws(JobError) -> JobDefinition {
            func absolute(_ path: String) -> String {
                if path.contains("://") { return path }
                return resolvePath(path, base: base)
            }
            var custom: [JobDefinition.StoredFile] = []
            for path in customIdentifiers ?? [] { custom.append(try JobDefinition.storedFile(path, relativeTo: base)) }
            var allow: [JobDefinition.StoredFile] = []
            for path in allowLists ?? [] { allow.append(try JobDefinition.storedFile(path, relativeTo: base)) }
            let definition = JobDefinition(
                name: name, source: absolute(source), bucket: bucket, schedule: schedule ?? "once",
                timezone: timezone ?? TimeZone.current.identifier, initialRun: initialRun ?? true,
                scope: scope ?? ScopeSpec(),
                identifiers: identifiers ?? "recommended", excludeIdentifiers: excludeIdentifiers,
                patterns: patterns.map(absolute),
                customIdentifiers: custom, allowLists: allow, allowRegexes: allowRegexes ?? [], maxCostUSD: maxCostUSD,
                maxBytes: maxBytes,
                region: region ?? "us-east-1")
            return try definition.validated()
        }
    }

    /// Reads a jobs file; errors name the file and what is wrong.
    public static func load(path: String) throws(JobError) -> JobsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobError.invalid("cannot read \(path)")
        }
        do {
            let file = try JSONDecoder().decode(JobsFile.self, from: data)
            var seen = Set<String>()
            for entry in file.jobs where !seen.insert(entry.name).inserted {
                throw JobError.invalid("\(path): job \(entry.name) appears twice")
            }
            return file
        } catch let error as JobError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw JobError.invalid("\(path): missing \"\(key.stringValue)\" at \(Self.where(context))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw JobError.invalid("\(path): wrong type at \(Self.where(context)): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw JobError.invalid("\(path): missing value at \(Self.where(context))")
        } catch let DecodingError.dataCorrupted(context) {
            throw JobError.invalid(
                "\(path): not valid JSON (\(context.debugDescription)); jobs files are JSON, see docs/jobs.md")
        } catch {
            throw JobError.invalid("\(path): \(error)")
        }
    }

    static func `where`(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? "the top level" : path
    }

    /// The file's JSON text (stable key order, so it diffs well in version control).
    public func text() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}
