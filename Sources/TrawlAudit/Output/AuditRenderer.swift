import Foundation
import TrawlObjects

/// Writes an `AuditReport` as a table, JSON Lines or CSV.
public enum AuditRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    public static func render(_ report: AuditReport, format: Format) -> String {
        switch format {
        case .table: table(report)
        case .json: jsonLines(report)
        case .csv: csv(report)
        }
    }

    /// One line per bucket (name, public, shared, encryption, replication, findings), then each
    /// bucket's evidence indented below it, then source warnings.
    public static func table(_ report: AuditReport) -> String {
        let header = ["BUCKET", "PUBLIC", "SHARED", "ENCRYPTION", "REPLICATION", "FINDINGS"]
        var rows: [[String]] = []
        for bucket in report.buckets {
            rows.append([
                UntrustedText.forTerminal(bucket.bucketName), bucket.publicAccess.effectivePermission.rawValue,
                bucket.sharedAccess.rawValue,
                bucket.serverSideEncryption.type.rawValue, replicationText(bucket.replicationDetails),
                findingsText(report.findings(for: bucket.bucketName)),
            ])
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        for (bucket, row) in zip(report.buckets, rows) {
            out += line(row) + "\n"
            for item in bucket.evidence where item.verdict != "NONE" || item.aspect != "publicAccess" {
                // Evidence quotes policy text, which whoever wrote the policy chose.
                out +=
                    UntrustedText.forTerminal(
                        "    \(item.aspect): \(item.verdict) \(item.location.map { "[\($0)] " } ?? "")\(item.detail)")
                    + "\n"
            }
        }
        for warning in report.warnings { out += "warning: \(UntrustedText.forTerminal(warning))\n" }
        return out
    }

    /// JSON Lines: one `{"type": "bucket", "data": BucketMetadata}` line per bucket, then one
    /// `{"type": "finding", "data": Finding}` line per finding, then one
    /// `{"type": "warning", "data": "..."}` line per source warning.
    public static func jsonLines(_ report: AuditReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var out = ""
        func emit<T: Encodable>(_ type: String, _ data: T) {
            if let encoded = try? encoder.encode(Envelope(type: type, data: data)) {
                out += String(decoding: encoded, as: UTF8.self) + "\n"
            }
        }
        for bucket in report.buckets { emit("bucket", bucket) }
        for finding in report.findings { emit("finding", finding) }
        for warning in report.warnings { emit("warning", warning) }
        return out
    }

    private struct Envelope<T: Encodable>: Encodable {
        var type: String
        var data: T
    }

    /// CSV with a header row, one row per bucket.
    public static func csv(_ report: AuditReport) -> String {
        let header = [
            "bucketName", "accountId", "region", "effectivePermission", "policyAllowsPublicRead",
            "policyAllowsPublicWrite", "aclAllowsPublicRead", "aclAllowsPublicWrite", "sharedAccess",
            "serverSideEncryption", "kmsMasterKeyId", "allowsUnencryptedObjectUploads", "replicated",
            "replicatedExternally", "replicationAccounts", "versioning", "objectCount", "sizeInBytes",
            "unencryptedObjectCount", "findings", "highestSeverity", "errorMessage", "evidence",
        ]
        var out = header.joined(separator: ",") + "\r\n"
        for bucket in report.buckets {
            let findings = report.findings(for: bucket.bucketName)
            let bucketLevel = bucket.publicAccess.permissionConfiguration.bucketLevelPermissions
            let cells: [String] = [
                bucket.bucketName, bucket.accountId ?? "", bucket.region ?? "",
                bucket.publicAccess.effectivePermission.rawValue,
                text(bucketLevel.bucketPolicy.allowsPublicReadAccess),
                text(bucketLevel.bucketPolicy.allowsPublicWriteAccess),
                text(bucketLevel.accessControlList.allowsPublicReadAccess),
                text(bucketLevel.accessControlList.allowsPublicWriteAccess),
                bucket.sharedAccess.rawValue, bucket.serverSideEncryption.type.rawValue,
                bucket.serverSideEncryption.kmsMasterKeyId ?? "", bucket.allowsUnencryptedObjectUploads.rawValue,
                text(bucket.replicationDetails.replicated), text(bucket.replicationDetails.replicatedExternally),
                bucket.replicationDetails.replicationAccounts.joined(separator: " "), text(bucket.versioning),
                bucket.objectCount.map(String.init) ?? "", bucket.sizeInBytes.map(String.init) ?? "",
                bucket.objectCountByEncryptionType.map { String($0.unencrypted) } ?? "",
                findings.map(\.type.rawValue).joined(separator: " "),
                findings.map(\.severity).max()?.description ?? "",
                bucket.errorMessage ?? "",
                bucket.evidence.map {
                    "\($0.aspect): \($0.verdict)\($0.location.map { " [\($0)]" } ?? "") \($0.detail)"
                }
                .joined(separator: " | "),
            ]
            out += cells.map(UntrustedText.csvCell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    private static func text(_ flag: Bool?) -> String {
        flag.map { $0 ? "true" : "false" } ?? "UNKNOWN"
    }

    private static func replicationText(_ details: ReplicationDetails) -> String {
        guard let replicated = details.replicated else { return "UNKNOWN" }
        if !replicated { return "NO" }
        return details.replicatedExternally == true
            ? "EXTERNAL(\(details.replicationAccounts.joined(separator: ",")))" : "INTERNAL"
    }

    private static func findingsText(_ findings: [PolicyFinding]) -> String {
        if findings.isEmpty { return "-" }
        return findings.map {
            "\($0.type.rawValue.replacingOccurrences(of: "Policy:IAMUser/", with: ""))(\($0.severity.description))"
        }
        .joined(separator: " ")
    }
}
