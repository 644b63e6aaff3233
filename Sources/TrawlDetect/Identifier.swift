/// Macie's sensitive data categories (the `SensitiveDataItemCategory` enum), plus the
/// category of custom identifiers.
public enum Category: String, Codable, Sendable, CaseIterable {
    case credentials = "CREDENTIALS"
    case financial = "FINANCIAL_INFORMATION"
    case personal = "PERSONAL_INFORMATION"
    case custom = "CUSTOM_IDENTIFIER"

    /// The suffix of a Macie finding type: `SensitiveData:S3Object/<suffix>`.
    public var findingTypeSuffix: String {
        switch self {
        case .credentials: "Credentials"
        case .financial: "Financial"
        case .personal: "Personal"
        case .custom: "CustomIdentifier"
        }
    }
}

/// Macie's severity labels; the raw value is Macie's score (1...3).
public enum Severity: Int, Codable, Sendable, Comparable, CaseIterable {
    case low = 1
    case medium = 2
    case high = 3

    public var label: String {
        switch self {
        case .low: "Low"
        case .medium: "Medium"
        case .high: "High"
        }
    }

    public init?(label: String) {
        switch label.lowercased() {
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: return nil
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Severity(label: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "severity must be Low, Medium or High, not \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }
}

/// Where in the text an identifier can possibly match: the prefilter's input.
public enum Anchor: Sendable, Equatable {
    /// Every match contains one of these literals, starting at most `before` bytes into it.
    case literals([String], caseless: Bool, before: Int)
    /// Every match contains this byte, at most `before` bytes into it.
    case byte(UInt8, before: Int)
    /// Every match contains a run of `min...max` digits split by single `separators`,
    /// directly preceded by `afterUpper` uppercase ASCII letters, and by exactly the bytes
    /// `after` when it is not empty (an IBAN's country code).
    case digits(min: Int, max: Int, separators: [UInt8], afterUpper: Int, after: [UInt8])
    /// No prefilter.
    case everywhere
}

/// One managed identifier, as described in `Patterns/*.json` (see Patterns/SCHEMA.md).
public struct Identifier: Sendable, Equatable {
    public enum Origin: String, Codable, Sendable { case macie, trawl }

    public var id: String
    public var name: String
    public var category: Category
    public var origin: Origin
    public var recommended: Bool
    public var regex: String
    public var caseless: Bool
    public var keywords: [String]
    public var keywordRequired: Bool
    public var keywordDistance: Int
    public var anchors: [Anchor]
    public var validator: String?
    public var ignore: [String]
    public var supersededBy: String?
    /// Severity for 1, 2–99 and ≥100 occurrences in one object.
    public var severityBands: [Severity]
    public var maxLength: Int
    public var matchExamples: [String]
    public var nomatchExamples: [String]
    /// Further ways the same identifier can match (e.g. an IBAN without keyword and a BBAN
    /// with one under the same ID). Each inherits what it does not set.
    public var alternatives: [Rule] = []

    /// One regex with its own prefilter, keyword requirement and validator.
    public struct Rule: Sendable, Equatable {
        public var regex: String
        public var caseless: Bool
        /// nil: the identifier's own `keywordRequired`.
        public var keywordRequired: Bool?
        public var anchors: [Anchor]
        public var validator: String?
        public var maxLength: Int
    }

    /// The primary rule followed by the alternatives.
    public var rules: [Rule] {
        [
            Rule(
                regex: regex, caseless: caseless, keywordRequired: keywordRequired, anchors: anchors,
                validator: validator, maxLength: maxLength)
        ] + alternatives
    }

    /// Macie's severity for `count` occurrences of this type in one object.
    public func severity(occurrences count: Int) -> Severity {
        count >= 100 ? severityBands[2] : count >= 2 ? severityBands[1] : severityBands[0]
    }

    /// Whether a keyword must be near a value for it to count.
    public var needsKeyword: Bool { keywordRequired && !keywords.isEmpty }
}
