import Foundation

/// A user-defined identifier with Macie's custom data identifier semantics (see
/// docs/custom-identifiers.md): a regex, up to 50 keywords that must precede a match within
/// `maximumMatchDistance` characters (from the end of the keyword to the end of the match),
/// up to 10 case-sensitive ignore words, and optional severity thresholds.
public struct CustomIdentifier: Sendable, Equatable {
    public struct SeverityLevel: Sendable, Equatable {
        public var occurrencesThreshold: Int
        public var severity: Severity
    }

    public var name: String
    public var description: String?
    public var regex: String
    public var keywords: [String]
    public var maximumMatchDistance: Int
    public var ignoreWords: [String]
    public var severityLevels: [SeverityLevel]
    /// The file it came from, for error messages.
    public var source: String?

    public init(
        name: String, description: String? = nil, regex: String, keywords: [String] = [],
        maximumMatchDistance: Int = 50,
        ignoreWords: [String] = [], severityLevels: [SeverityLevel] = [], source: String? = nil
    ) {
        self.name = name
        self.description = description
        self.regex = regex
        self.keywords = keywords
        self.maximumMatchDistance = maximumMatchDistance
        self.ignoreWords = ignoreWords
        self.severityLevels = severityLevels
        self.source = source
    }

    /// Loads a custom identifier file: a JSON object with a `customDataIdentifiers` array,
    /// a bare array, or a single identifier object. Field names are Macie's
    /// (`CreateCustomDataIdentifier`); every rule Macie enforces is checked and reported with
    /// the file, the identifier and the field.
    public static func load(file path: String) throws(CatalogError) -> [CustomIdentifier] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogError(file: path, message: "cannot read the file")
        }
        return try decode(data, file: path)
    }

    public static func decode(_ data: Data, file: String) throws(CatalogError) -> [CustomIdentifier] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CatalogError(file: file, message: "not valid JSON: \(error.localizedDescription)")
        }
        let items: [Any]
        if let object = root as? [String: Any], let list = object["customDataIdentifiers"] as? [Any] {
            items = list
        } else if let list = root as? [Any] {
            items = list
        } else if let object = root as? [String: Any], object["regex"] != nil {
            items = [object]
        } else {
            throw CatalogError(
                file: file, message: "expected {\"customDataIdentifiers\": [...]}, an array, or one identifier object")
        }
        var result: [CustomIdentifier] = []
        var names = Set<String>()
        for (index, item) in items.enumerated() {
            guard let entry = item as? [String: Any] else {
                throw CatalogError(
                    file: file, identifier: "#\(index + 1)", message: "each custom identifier must be a JSON object")
            }
            let reader = FieldReader(
                entry: entry, file: file, identifier: (entry["name"] as? String) ?? "#\(index + 1)")
            let known: Set<String> = [
                "name", "description", "regex", "keywords", "maximumMatchDistance", "ignoreWords", "severityLevels",
                "tags",
            ]
            if let unknown = entry.keys.first(where: { !known.contains($0) }) {
                throw reader.error(unknown, "unknown field (expected one of \(known.sorted().joined(separator: ", ")))")
            }
            let name = try reader.string("name")
            guard (1...128).contains(name.count) else { throw reader.error("name", "must be 1 to 128 characters") }
            guard names.insert(name).inserted else {
                throw reader.error("name", "another custom identifier has this name")
            }
            let regex = try reader.string("regex")
            guard (1...512).contains(regex.count) else {
                throw reader.error("regex", "must be 1 to 512 characters (Macie's limit)")
            }
            let keywords = try reader.optionalStringArray("keywords") ?? []
            guard keywords.count <= 50 else { throw reader.error("keywords", "at most 50 keywords") }
            for keyword in keywords where !(3...90).contains(keyword.count) {
                throw reader.error("keywords", "keyword \"\(keyword)\" must be 3 to 90 characters")
            }
            let distance = try reader.optionalInt("maximumMatchDistance") ?? 50
            guard (1...300).contains(distance) else { throw reader.error("maximumMatchDistance", "must be 1 to 300") }
            let ignoreWords = try reader.optionalStringArray("ignoreWords") ?? []
            guard ignoreWords.count <= 10 else { throw reader.error("ignoreWords", "at most 10 ignore words") }
            for word in ignoreWords where !(4...90).contains(word.count) {
                throw reader.error("ignoreWords", "ignore word \"\(word)\" must be 4 to 90 characters")
            }
            var levels: [SeverityLevel] = []
            if let raw = entry["severityLevels"] {
                guard let list = raw as? [[String: Any]], list.count <= 3 else {
                    throw reader.error(
                        "severityLevels", "must be an array of at most 3 {occurrencesThreshold, severity} objects")
                }
                for level in list {
                    guard let threshold = level["occurrencesThreshold"] as? Int, threshold >= 1 else {
                        throw reader.error("severityLevels", "occurrencesThreshold must be a whole number >= 1")
                    }
                    guard let label = level["severity"] as? String, let severity = Severity(label: label) else {
                        throw reader.error("severityLevels", "severity must be LOW, MEDIUM or HIGH")
                    }
                    levels.append(SeverityLevel(occurrencesThreshold: threshold, severity: severity))
                }
                let thresholds = levels.map(\.occurrencesThreshold)
                let severities = levels.map(\.severity)
                guard thresholds == thresholds.sorted(), Set(thresholds).count == thresholds.count,
                    severities == severities.sorted(), Set(severities).count == severities.count
                else {
                    throw reader.error(
                        "severityLevels", "thresholds must ascend with severity (LOW < MEDIUM < HIGH), each used once")
                }
            }
            result.append(
                CustomIdentifier(
                    name: name, description: try reader.optionalString("description"), regex: regex, keywords: keywords,
                    maximumMatchDistance: distance, ignoreWords: ignoreWords, severityLevels: levels, source: file))
        }
        return result
    }
}
