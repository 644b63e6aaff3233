import Foundation
import TrawlDetect
import TrawlObjects

/// Macie's classification result status codes.
public enum StatusCode: String, Codable, Sendable {
    case complete = "COMPLETE"
    case partial = "PARTIAL"
    case skipped = "SKIPPED"
}

/// Where one occurrence is, in Macie's shapes (`Occurrences` in the API model).
public enum Occurrence: Sendable, Equatable {
    /// Non-binary text: lines counted from 1, `startColumn` in characters from 1.
    case lineRange(start: Int, end: Int, startColumn: Int, embeddedFile: String?)
    /// CSV, TSV, Excel: row and column from 1; `cellReference` like `Sheet2!C5` for Excel.
    case cell(row: Int, column: Int, columnName: String?, cellReference: String?, embeddedFile: String?)
    /// JSON, JSON Lines: `recordIndex` from 0 (the line for JSON Lines, 0 for JSON).
    case record(recordIndex: Int, jsonPath: String?, embeddedFile: String?)
}

/// All detections of one identifier in one object.
public struct TypeDetections: Sendable {
    public var info: DetectorInfo
    public var count: Int
    /// Locations in depth-first order, at most `ScanLimits.occurrencesPerType`.
    public var occurrences: [Occurrence]
    /// Short redacted samples (only with `--show-redacted-samples`): first and last
    /// characters kept, the rest masked.
    public var redactedSamples: [String]

    public init(info: DetectorInfo, count: Int = 0, occurrences: [Occurrence] = [], redactedSamples: [String] = []) {
        self.info = info
        self.count = count
        self.occurrences = occurrences
        self.redactedSamples = redactedSamples
    }

    /// Macie's severity for this type's count; nil for a custom identifier under its
    /// lowest threshold.
    public var severity: Severity? { info.severity(occurrences: count) }
}

/// The analysis of one object in scope: Macie's sensitive data discovery result.
public struct ObjectResult: Sendable {
    public var object: ObjectRef
    public var status: StatusCode
    /// Macie's reason code when not COMPLETE.
    public var reason: ReasonCode?
    /// A human explanation of the reason (never object content).
    public var message: String?
    public var mimeType: String?
    /// Bytes analysed (uncompressed bytes for archives and compressed files).
    public var sizeClassified: Int64
    public var detections: [TypeDetections]
    /// Files inside an archive that were analysed, skipped or failed.
    public var embeddedFiles: [EmbeddedFile]

    public struct EmbeddedFile: Sendable {
        public var path: String
        public var size: Int64
        public var status: StatusCode
        public var reason: ReasonCode?
        public init(path: String, size: Int64, status: StatusCode, reason: ReasonCode?) {
            self.path = path
            self.size = size
            self.status = status
            self.reason = reason
        }
    }

    public init(
        object: ObjectRef, status: StatusCode, reason: ReasonCode? = nil, message: String? = nil,
        mimeType: String? = nil,
        sizeClassified: Int64 = 0, detections: [TypeDetections] = [], embeddedFiles: [EmbeddedFile] = []
    ) {
        self.object = object
        self.status = status
        self.reason = reason
        self.message = message
        self.mimeType = mimeType
        self.sizeClassified = sizeClassified
        self.detections = detections
        self.embeddedFiles = embeddedFiles
    }

    /// Types that make a finding (custom identifiers below their threshold do not).
    public var reportable: [TypeDetections] { detections.filter { $0.count > 0 && $0.severity != nil } }

    public var hasFinding: Bool { !reportable.isEmpty }

    /// The finding's severity: the highest of any type found (Macie).
    public var severity: Severity? { reportable.compactMap(\.severity).max() }

    /// `SensitiveData:S3Object/<Category>`, or `/Multiple` when more than one category.
    public var findingType: String? {
        let categories = Set(reportable.map(\.info.category))
        guard let first = categories.first else { return nil }
        return "SensitiveData:S3Object/" + (categories.count > 1 ? "Multiple" : first.findingTypeSuffix)
    }
}

/// Limits on what a result records.
public enum ScanLimits {
    /// Macie records 15 occurrences per type in a finding, 1,000 in a discovery result.
    public static let findingOccurrences = 15
    public static let occurrencesPerType = 1000
}
