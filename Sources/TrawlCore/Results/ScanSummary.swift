import Foundation
import TrawlDetect
import TrawlObjects

/// Totals of a scan for the human summary.
public struct ScanSummary: Sendable {
    public var buckets: Set<String> = []
    public var objects = 0
    public var bytes: Int64 = 0
    public var classifiedBytes: Int64 = 0
    public var byStatus: [StatusCode: Int] = [:]
    public var skippedByReason: [ReasonCode: Int] = [:]
    public var partialByReason: [ReasonCode: Int] = [:]
    public var findings = 0
    public var findingsBySeverity: [Severity: Int] = [:]
    /// Identifier ID → (occurrences, objects).
    public var byType: [String: (occurrences: Int, objects: Int, severity: Severity)] = [:]
    /// Objects with findings: (bucket/key, severity, types) — the first 50 shown.
    public var topObjects: [(path: String, severity: Severity, types: String)] = []
    /// Objects that could not be read at all (permission, vanished, listing problems).
    public var errors = 0

    public init() {}

    /// Reasons that mean an object could not be read at all (exit status 2), not that its
    /// content was out of bounds.
    public static let errorReasons: Set<ReasonCode> = [
        .permissionDenied, .sourceObjectNoLongerAvailable, .objectVersionMismatch, .noSuchBucketAvailable,
        .invalidKMSKey,
        .networkError,
    ]

    public mutating func add(_ result: ObjectResult) {
        buckets.insert(result.object.bucket)
        objects += 1
        bytes = bytes.saturatingAdd(result.object.size)
        classifiedBytes = classifiedBytes.saturatingAdd(result.sizeClassified)
        byStatus[result.status, default: 0] += 1
        if let reason = result.reason {
            if result.status == .skipped {
                skippedByReason[reason, default: 0] += 1
            } else {
                partialByReason[reason, default: 0] += 1
            }
            if Self.errorReasons.contains(reason) { errors += 1 }
        }
        if let severity = result.severity {
            findings += 1
            findingsBySeverity[severity, default: 0] += 1
            for type in result.reportable {
                let previous = byType[type.info.id] ?? (0, 0, .low)
                byType[type.info.id] = (
                    previous.occurrences + type.count, previous.objects + 1,
                    max(previous.severity, type.severity ?? .low)
                )
            }
            if topObjects.count < 50 {
                let types = result.reportable.map { "\($0.info.id)×\($0.count)" }.joined(separator: ", ")
                topObjects.append((result.object.bucket + "/" + result.object.key, severity, types))
            }
        }
    }
}
