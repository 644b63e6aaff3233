import Foundation

/// An error in a catalog, custom identifier or allow-list file. Names the file, the
/// identifier and the field, so the user can fix it without guessing.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var identifier: String?
    public var field: String?
    public var message: String

    public init(file: String? = nil, identifier: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.identifier = identifier
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let identifier { parts.append("identifier \(identifier)") }
        if let field { parts.append("field '\(field)'") }
        return parts.isEmpty ? message : parts.joined(separator: ": ") + ": " + message
    }
}

/// The managed identifier catalog: every identifier of `Patterns/*.json`.
public struct Catalog: Sendable {
    public var identifiers: [Identifier]

    public init(identifiers: [Identifier]) { self.identifiers = identifiers }

    public func identifier(_ id: String) -> Identifier? { identifiers.first { $0.id == id } }

    /// The catalog compiled into the binary from `Patterns/`.
    public static let builtin: Catalog = {
        do {
            return try Catalog.decode(files: BuiltinCatalog.files)
        } catch {
            fatalError("the built-in catalog is invalid (run scripts/embed-patterns.py and the tests): \(error)")
        }
    }()

    /// Loads every `*.json` file of `directory` (sorted by name).
    public static func load(directory: URL) throws(CatalogError) -> Catalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw CatalogError(
                file: directory.path, message: "cannot read the patterns folder: \(error.localizedDescription)")
        }
        var files: [(name: String, json: String)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CatalogError(file: url.path, message: "cannot read the file")
            }
            files.append((name, String(decoding: data, as: UTF8.self)))
        }
        return try decode(files: files)
    }

    /// Decodes catalog files given as (name, JSON text) pairs.
    public static func decode(files: [(name: String, json: String)]) throws(CatalogError) -> Catalog {
        var identifiers: [Identifier] = []
        var seen: [String: String] = [:]
        for file in files {
            let decoded = try IdentifierFileDecoder.decode(Data(file.json.utf8), file: file.name)
            for identifier in decoded {
                if let other = seen[identifier.id] {
                    throw CatalogError(
                        file: file.name, identifier: identifier.id, field: "id",
                        message: "duplicate ID (also in \(other))")
                }
                seen[identifier.id] = file.name
                identifiers.append(identifier)
            }
        }
        return Catalog(identifiers: identifiers)
    }
}

/// Decodes one catalog file with precise error messages (file, identifier, field).
enum IdentifierFileDecoder {
    static func decode(_ data: Data, file: String) throws(CatalogError) -> [Identifier] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CatalogError(file: file, message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any], let list = object["identifiers"] as? [Any] else {
            throw CatalogError(file: file, message: "expected an object with an \"identifiers\" array")
        }
        var result: [Identifier] = []
        for (index, item) in list.enumerated() {
            guard let entry = item as? [String: Any] else {
                throw CatalogError(
                    file: file, identifier: "#\(index)", message: "each identifier must be a JSON object")
            }
            result.append(try identifier(entry, index: index, file: file))
        }
        return result
    }

    static func identifier(_ e: [String: Any], index: Int, file: String) throws(CatalogError) -> Identifier {
        let reader = FieldReader(entry: e, file: file, identifier: (e["id"] as? String) ?? "#\(index)")
        let id = try reader.string("id")
        guard !id.isEmpty, id.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" || $0 == "(" || $0 == ")" })
        else {
            throw reader.error("id", "must be upper-case letters, digits and underscores")
        }
        let origin = try reader.enumValue("origin", Identifier.Origin.self, default: .macie)
        if origin == .trawl && !id.hasPrefix("TRAWL_") {
            throw reader.error("id", "trawl's own identifiers are prefixed TRAWL_ so they never collide with Macie's")
        }
        let category = try reader.enumValue("category", Category.self, default: nil)
        if category == .custom { throw reader.error("category", "CUSTOM_IDENTIFIER is for custom identifiers only") }
        let severityLabels = try reader.stringArray("severity")
        let bands = severityLabels.compactMap(Severity.init(label:))
        guard bands.count == 3, severityLabels.count == 3 else {
            throw reader.error("severity", "must be three of Low, Medium, High (for 1, 2-99 and 100+ occurrences)")
        }
        let keywords = try reader.optionalStringArray("keywords") ?? []
        for keyword in keywords where keyword.utf8.count < 3 {
            throw reader.error("keywords", "keyword \"\(keyword)\" is shorter than 3 characters")
        }
        let keywordRequired = try reader.optionalBool("keywordRequired") ?? !keywords.isEmpty
        let primary = try rule(from: reader, inheritedMaxLength: nil)
        var alternatives: [Identifier.Rule] = []
        if let list = e["alternatives"] {
            guard let items = list as? [[String: Any]] else {
                throw reader.error("alternatives", "must be an array of objects")
            }
            for item in items {
                let sub = FieldReader(entry: item, file: file, identifier: reader.identifier)
                alternatives.append(
                    try rule(from: sub, inheritedMaxLength: primary.maxLength, defaultKeywordRequired: keywordRequired))
            }
        }
        var identifier = Identifier(
            id: id,
            name: try reader.optionalString("name") ?? id,
            category: category!,
            origin: origin!,
            recommended: try reader.optionalBool("recommended") ?? false,
            regex: primary.regex,
            caseless: primary.caseless,
            keywords: keywords,
            keywordRequired: keywordRequired,
            keywordDistance: try reader.optionalInt("keywordDistance") ?? 30,
            anchors: primary.anchors,
            validator: primary.validator,
            ignore: try reader.optionalStringArray("ignore") ?? [],
            supersededBy: try reader.optionalString("supersededBy"),
            severityBands: bands,
            maxLength: primary.maxLength,
            matchExamples: [],
            nomatchExamples: [])
        identifier.alternatives = alternatives
        if let examples = e["examples"] as? [String: Any] {
            let ex = FieldReader(entry: examples, file: file, identifier: id)
            identifier.matchExamples = try ex.optionalStringArray("match") ?? []
            identifier.nomatchExamples = try ex.optionalStringArray("nomatch") ?? []
        }
        if identifier.needsKeyword == false && primary.anchors.isEmpty {
            throw reader.error(
                "anchors", "an identifier that needs no keyword must say where it can match (see Patterns/SCHEMA.md)")
        }
        for alternative in alternatives
        where !(alternative.keywordRequired ?? keywordRequired) && alternative.anchors.isEmpty {
            throw reader.error("alternatives", "an alternative that needs no keyword must have anchors")
        }
        return identifier
    }

    static func rule(
        from reader: FieldReader, inheritedMaxLength: Int?, defaultKeywordRequired: Bool? = nil
    ) throws(CatalogError) -> Identifier.Rule {
        let regex = try reader.string("regex")
        let maxLength = try reader.optionalInt("maxLength") ?? inheritedMaxLength ?? 256
        guard maxLength > 0 && maxLength <= 65536 else { throw reader.error("maxLength", "must be 1...65536") }
        var anchors: [Anchor] = []
        if let raw = reader.entry["anchors"] {
            guard let list = raw as? [[String: Any]] else {
                throw reader.error("anchors", "must be an array of objects")
            }
            for item in list { anchors.append(try anchor(item, reader: reader)) }
        }
        return Identifier.Rule(
            regex: regex, caseless: try reader.optionalBool("caseless") ?? false,
            keywordRequired: try reader.optionalBool("keywordRequired") ?? defaultKeywordRequired,
            anchors: anchors, validator: try reader.optionalString("validator"), maxLength: maxLength)
    }

    static func anchor(_ item: [String: Any], reader: FieldReader) throws(CatalogError) -> Anchor {
        let before = item["before"] as? Int ?? 0
        if let literals = item["literals"] as? [String] {
            guard !literals.isEmpty, literals.allSatisfy({ $0.utf8.count >= 3 }) else {
                throw reader.error("anchors", "literals must be at least 3 bytes each")
            }
            return .literals(literals, caseless: item["caseless"] as? Bool ?? false, before: before)
        }
        if let byte = item["byte"] as? String {
            guard byte.utf8.count == 1 else { throw reader.error("anchors", "\"byte\" must be one ASCII character") }
            return .byte(byte.utf8.first!, before: before)
        }
        if let digits = item["digits"] as? [String: Any] {
            let min = digits["min"] as? Int ?? 1
            let max = digits["max"] as? Int ?? Int.max
            guard min >= 1, max >= min else { throw reader.error("anchors", "digits needs 1 <= min <= max") }
            let separators = Array(((digits["separators"] as? String) ?? "").utf8)
            let after = Array(((digits["after"] as? String) ?? "").utf8)
            let afterUpper = Swift.max(digits["afterUpper"] as? Int ?? 0, after.count)
            return .digits(min: min, max: max, separators: separators, afterUpper: afterUpper, after: after)
        }
        if item["everywhere"] as? Bool == true { return .everywhere }
        throw reader.error(
            "anchors", "unknown anchor \(item.keys.sorted()); expected literals, byte, digits or everywhere")
    }
}

/// Typed access to a JSON object's fields, with errors that name the field.
struct FieldReader {
    let entry: [String: Any]
    let file: String
    let identifier: String

    func error(_ field: String, _ message: String) -> CatalogError {
        CatalogError(file: file, identifier: identifier, field: field, message: message)
    }

    func string(_ key: String) throws(CatalogError) -> String {
        guard let value = entry[key] else { throw error(key, "is required") }
        guard let text = value as? String else { throw error(key, "must be a string") }
        return text
    }

    func optionalString(_ key: String) throws(CatalogError) -> String? {
        guard let value = entry[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw error(key, "must be a string") }
        return text
    }

    func optionalBool(_ key: String) throws(CatalogError) -> Bool? {
        guard let value = entry[key], !(value is NSNull) else { return nil }
        if let bool = value as? Bool { return bool }
        throw error(key, "must be true or false")
    }

    func optionalInt(_ key: String) throws(CatalogError) -> Int? {
        guard let value = entry[key], !(value is NSNull) else { return nil }
        guard let number = value as? Int else { throw error(key, "must be a whole number") }
        return number
    }

    func stringArray(_ key: String) throws(CatalogError) -> [String] {
        guard let value = try optionalStringArray(key) else { throw error(key, "is required") }
        return value
    }

    func optionalStringArray(_ key: String) throws(CatalogError) -> [String]? {
        guard let value = entry[key], !(value is NSNull) else { return nil }
        guard let list = value as? [String] else { throw error(key, "must be an array of strings") }
        return list
    }

    func enumValue<E: RawRepresentable>(_ key: String, _ type: E.Type, default fallback: E?) throws(CatalogError) -> E?
    where E.RawValue == String {
        guard let raw = try optionalString(key) else {
            if let fallback { return fallback }
            throw error(key, "is required")
        }
        guard let value = E(rawValue: raw) else { throw error(key, "unknown value \"\(raw)\"") }
        return value
    }
}
