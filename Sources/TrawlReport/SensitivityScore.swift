import Foundation
import TrawlCore
import TrawlDetect

/// A bucket's sensitivity score, in the spirit of Macie's automated discovery (−1, 1–100):
/// how much sensitive data was found, weighed by how much of the bucket was analysed.
///
/// The formula (documented in docs/reports.md):
///
/// - **1** when the bucket holds no objects, or only empty ones.
/// - **−1** (classification error) when no object could be analysed and at least one failed
///   for an error (permission denied, object vanished, bad KMS key...).
/// - **50** (not yet analysed) when no object was analysed for any other reason (nothing
///   classifiable, or sampling picked none).
/// - Otherwise, with `c` the share of classifiable objects in scope that were analysed
///   (COMPLETE or PARTIAL), and `W = Σ weight(severity) × (1 + log10(occurrences))` over the
///   identifiers found (weights High 3, Medium 2, Low 1; the severity is the highest any
///   object gave the identifier):
///   - nothing found: `49 − round(48 × c)`, so 1 when everything was analysed and 49 when
///     almost nothing was;
///   - something found: `51 + round(48 × s × (0.5 + 0.5 × c))` with `s = 1 − e^(−W/15)`,
///     so 51–99, higher with more kinds, more occurrences, worse severities and more of the
///     bucket analysed. 100 stays reserved, as in Macie, for a manual override.
public struct SensitivityScore: Codable, Sendable, Equatable, Comparable {
    public var value: Int

    public init(value: Int) { self.value = value }

    public static let classificationError = SensitivityScore(value: -1)
    public static let empty = SensitivityScore(value: 1)
    public static let notAnalysed = SensitivityScore(value: 50)

    /// Macie's label for the score.
    public var label: String {
        switch value {
        case ..<0: "Classification error"
        case 50: "Not yet analysed"
        case ..<50: "Not sensitive"
        default: "Sensitive"
        }
    }

    /// Machine form of the label (for CSS classes and JSON).
    public var band: String {
        switch value {
        case ..<0: "CLASSIFICATION_ERROR"
        case 50: "NOT_ANALYSED"
        case ..<50: "NOT_SENSITIVE"
        default: "SENSITIVE"
        }
    }

    public static func < (lhs: SensitivityScore, rhs: SensitivityScore) -> Bool { lhs.value < rhs.value }

    /// What the score is computed from, per bucket.
    public struct Inputs: Sendable, Equatable {
        /// Objects in scope (before sampling), and how many of them had any bytes.
        public var objects = 0
        public var nonEmptyObjects = 0
        /// Objects in scope that trawl can analyse at all (not skipped for their file type or
        /// storage class). Objects sampling left out count here: they are not analysed yet.
        public var classifiableObjects = 0
        /// Objects analysed (COMPLETE or PARTIAL).
        public var analysedObjects = 0
        /// Objects that failed for an error (see `ScanSummary.errorReasons`).
        public var failedObjects = 0
        /// Identifier → (occurrences, highest severity) over the bucket.
        public var detections: [String: (occurrences: Int, severity: Severity)] = [:]

        public init() {}

        public static func == (lhs: Inputs, rhs: Inputs) -> Bool {
            lhs.objects == rhs.objects && lhs.nonEmptyObjects == rhs.nonEmptyObjects
                && lhs.classifiableObjects == rhs.classifiableObjects && lhs.analysedObjects == rhs.analysedObjects
                && lhs.failedObjects == rhs.failedObjects && lhs.detections.count == rhs.detections.count
                && lhs.detections.allSatisfy { id, entry in
                    rhs.detections[id].map { $0.occurrences == entry.occurrences && $0.severity == entry.severity }
                        ?? false
                }
        }
    }

    /// Weight of a severity in the score.
    static func weight(_ severity: Severity) -> Double {
        switch severity {
        case .high: 3
        case .medium: 2
        case .low: 1
        }
    }

    /// Computes the score (see the type's documentation for the formula).
    public static func compute(_ inputs: Inputs) -> SensitivityScore {
        if inputs.objects == 0 || inputs.nonEmptyObjects == 0 { return .empty }
        if inputs.analysedObjects == 0 { return inputs.failedObjects > 0 ? .classificationError : .notAnalysed }
        let coverage = min(1, Double(inputs.analysedObjects) / Double(max(1, inputs.classifiableObjects)))
        let found = inputs.detections.filter { $0.value.occurrences > 0 }
        if found.isEmpty {
            return SensitivityScore(value: 49 - Int((48 * coverage).rounded()))
        }
        let weight = found.values.reduce(0.0) { total, entry in
            total + Self.weight(entry.severity) * (1 + log10(Double(entry.occurrences)))
        }
        let strength = 1 - exp(-weight / 15)
        let value = 51 + Int((48 * strength * (0.5 + 0.5 * coverage)).rounded())
        return SensitivityScore(value: min(99, max(51, value)))
    }
}

extension BucketReport {
    /// The bucket record of `trawl scan --buckets FILE`: one JSON line per bucket, shaped like
    /// Macie's resource profile (`GetResourceProfile`) plus the bucket's exposure when audited.
    public func profileJSON(partition: String = "aws", updatedAt: Date) -> [String: Any] {
        var record: [String: Any] = [
            "bucketName": name,
            "bucketArn": "arn:\(partition):s3:::\(name)",
            "sensitivityScore": score.value,
            "sensitivityScoreLabel": score.label,
            "profileUpdatedAt": MacieJSON.timestamp(updatedAt),
            "objectsInScope": objectsInScope,
            "statistics": [
                "totalBytesClassified": classifiedBytes,
                "totalDetections": occurrences,
                "totalItemsClassified": analysed,
                "totalItemsSensitive": objectsWithFindings,
                "totalItemsSkipped": skipped,
                "totalItemsSkippedInvalidEncryption": skippedByReason["INVALID_ENCRYPTION"] ?? 0,
                "totalItemsSkippedInvalidKms": skippedByReason["INVALID_KMS_KEY"] ?? 0,
                "totalItemsSkippedPermissionDenied": skippedByReason["PERMISSION_DENIED"] ?? 0,
            ] as [String: Any],
            "detections": types.map { type -> [String: Any] in
                [
                    "id": type.id, "name": type.name, "type": type.isCustom ? "CUSTOM" : "MANAGED",
                    "count": type.occurrences,
                    "objects": type.objects, "severity": type.severity.label,
                ]
            },
        ]
        if let exposure {
            record["publicAccess"] = ["effectivePermission": exposure.effectivePermission]
            record["sharedAccess"] = exposure.sharedAccess
        }
        return record
    }
}
