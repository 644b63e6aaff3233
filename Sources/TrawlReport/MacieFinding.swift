import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// Context a finding needs that is not in the object result: which run made it.
public struct FindingContext: Sendable {
    public var accountId: String
    public var region: String
    public var partition: String
    public var jobId: String
    public var createdAt: Date
    /// Occurrences recorded per type in a finding (Macie: 15).
    public var occurrencesPerFinding: Int

    public init(
        accountId: String = "000000000000", region: String = "local", partition: String = "aws", jobId: String,
        createdAt: Date = Date(), occurrencesPerFinding: Int = ScanLimits.findingOccurrences
    ) {
        self.accountId = accountId
        self.region = region
        self.partition = partition
        self.jobId = jobId
        self.createdAt = createdAt
        self.occurrencesPerFinding = occurrencesPerFinding
    }

    var jobArn: String { "arn:\(partition):macie2:\(region):\(accountId):classification-job/\(jobId)" }
}

/// Builds Macie-shaped JSON (GetFindings' `Finding` and the discovery result record) as
/// plain dictionaries, so field names and nesting follow Macie's API model exactly.
public enum MacieJSON {
    static let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func timestamp(_ date: Date) -> String { iso.format(date) }

    /// A sensitive data finding for an object with reportable detections, else nil.
    public static func finding(_ result: ObjectResult, context: FindingContext) -> [String: Any]? {
        guard let type = result.findingType, let severity = result.severity else { return nil }
        let created = timestamp(context.createdAt)
        let object = result.object
        let title = "The S3 object contains " + describe(result)
        return [
            "accountId": context.accountId,
            "archived": false,
            "category": "CLASSIFICATION",
            "classificationDetails": [
                "detailedResultsLocation": NSNull(),
                "jobArn": context.jobArn,
                "jobId": context.jobId,
                "originType": "SENSITIVE_DATA_DISCOVERY_JOB",
                "result": classificationResult(
                    result, occurrenceLimit: context.occurrencesPerFinding, reportableOnly: true),
            ] as [String: Any],
            "count": 1,
            "createdAt": created,
            "description": "The object contains sensitive data: "
                + result.reportable.map(\.info.id).joined(separator: ", ") + ".",
            "id": findingId(result, jobId: context.jobId),
            "partition": context.partition,
            "region": context.region,
            "resourcesAffected": resourcesAffected(object, partition: context.partition),
            "sample": false,
            "schemaVersion": "1.0",
            "severity": ["description": severity.label, "score": severity.rawValue] as [String: Any],
            "title": title,
            "type": type,
            "updatedAt": created,
        ]
    }

    /// The per-object discovery result: one for every object in scope, clean and skipped
    /// ones included, with up to 1,000 occurrences per type.
    public static func discoveryResult(_ result: ObjectResult, context: FindingContext) -> [String: Any] {
        var record: [String: Any] = [
            "version": "1.0",
            "accountId": context.accountId,
            "region": context.region,
            "jobId": context.jobId,
            "jobArn": context.jobArn,
            "createdAt": timestamp(context.createdAt),
            "resourcesAffected": resourcesAffected(result.object, partition: context.partition),
            "classificationDetails": [
                "jobId": context.jobId,
                "result": classificationResult(
                    result, occurrenceLimit: ScanLimits.occurrencesPerType, reportableOnly: false),
            ] as [String: Any],
        ]
        if let severity = result.severity {
            record["findingType"] = result.findingType
            record["severity"] = ["description": severity.label, "score": severity.rawValue] as [String: Any]
        }
        if !result.embeddedFiles.isEmpty {
            record["embeddedFileDetails"] = result.embeddedFiles.map { file -> [String: Any] in
                var entry: [String: Any] = [
                    "filePath": file.path, "fileExtension": ContentKind.fileExtension(of: file.path),
                    "fileSize": file.size,
                    "status": file.status.rawValue,
                ]
                if let reason = file.reason { entry["reason"] = reason.rawValue }
                return entry
            }
        }
        if let message = result.message { record["message"] = message }
        return record
    }

    static func classificationResult(_ result: ObjectResult, occurrenceLimit: Int, reportableOnly: Bool) -> [String:
        Any]
    {
        let types = reportableOnly ? result.reportable : result.detections.filter { $0.count > 0 }
        let managed = types.filter { !$0.info.isCustom }
        let custom = types.filter { $0.info.isCustom }
        var sensitiveData: [[String: Any]] = []
        for category in [Category.credentials, .financial, .personal] {
            let inCategory = managed.filter { $0.info.category == category }
            guard !inCategory.isEmpty else { continue }
            sensitiveData.append([
                "category": category.rawValue,
                "totalCount": inCategory.reduce(0) { $0 + $1.count },
                "detections": inCategory.map { detection(type: $0, limit: occurrenceLimit, custom: false) },
            ])
        }
        let additional = types.contains {
            $0.count > min(occurrenceLimit, $0.occurrences.count) || $0.occurrences.count > occurrenceLimit
        }
        var status: [String: Any] = ["code": result.status.rawValue]
        status["reason"] = result.reason?.rawValue ?? NSNull()
        return [
            "additionalOccurrences": additional,
            "customDataIdentifiers": [
                "detections": custom.map { detection(type: $0, limit: occurrenceLimit, custom: true) },
                "totalCount": custom.reduce(0) { $0 + $1.count },
            ] as [String: Any],
            "mimeType": result.mimeType ?? NSNull(),
            "sensitiveData": sensitiveData,
            "sizeClassified": result.sizeClassified,
            "status": status,
        ]
    }

    static func detection(type: TypeDetections, limit: Int, custom: Bool) -> [String: Any] {
        var entry: [String: Any] = [
            "count": type.count, "occurrences": occurrences(Array(type.occurrences.prefix(limit))),
        ]
        if custom {
            entry["name"] = type.info.name
            entry["arn"] = "trawl:custom-data-identifier/" + type.info.name
        } else {
            entry["type"] = type.info.id
        }
        if !type.redactedSamples.isEmpty { entry["redactedSamples"] = type.redactedSamples }
        return entry
    }

    static func occurrences(_ list: [Occurrence]) -> [String: Any] {
        var lines: [[String: Any]] = []
        var cells: [[String: Any]] = []
        var records: [[String: Any]] = []
        for occurrence in list {
            switch occurrence {
            case .lineRange(let start, let end, let column, let file):
                var entry: [String: Any] = ["start": start, "end": end, "startColumn": column]
                if let file { entry["embeddedFilePath"] = file }
                lines.append(entry)
            case .cell(let row, let column, let name, let reference, let file):
                var entry: [String: Any] = [
                    "row": row, "column": column, "columnName": name ?? NSNull(),
                    "cellReference": reference ?? NSNull(),
                ]
                if let file { entry["embeddedFilePath"] = file }
                cells.append(entry)
            case .record(let index, let path, let file):
                var entry: [String: Any] = ["recordIndex": index]
                if let path { entry["jsonPath"] = path }
                if let file { entry["embeddedFilePath"] = file }
                records.append(entry)
            }
        }
        var result: [String: Any] = [:]
        if !lines.isEmpty { result["lineRanges"] = lines }
        if !cells.isEmpty { result["cells"] = cells }
        if !records.isEmpty { result["records"] = records }
        return result
    }

    static func resourcesAffected(_ object: ObjectRef, partition: String) -> [String: Any] {
        let bucketArn = "arn:\(partition):s3:::\(object.bucket)"
        var s3Object: [String: Any] = [
            "bucketArn": bucketArn,
            "key": object.key,
            "path": object.bucket + "/" + object.key,
            "extension": object.fileExtension,
            "size": object.size,
            "eTag": object.eTag,
            "lastModified": timestamp(object.lastModified),
            "storageClass": object.storageClass,
            "publicAccess": false,
            "tags": [Any](),
        ]
        if let sse = object.serverSideEncryption {
            s3Object["serverSideEncryption"] = ["encryptionType": sse]
        } else {
            s3Object["serverSideEncryption"] = ["encryptionType": "NONE"]
        }
        if case .s3(_, _, let version?) = object.location { s3Object["versionId"] = version }
        return [
            "s3Bucket": ["arn": bucketArn, "name": object.bucket] as [String: Any],
            "s3Object": s3Object,
        ]
    }

    static func describe(_ result: ObjectResult) -> String {
        let categories = Set(result.reportable.map(\.info.category))
        if categories.count > 1 { return "multiple types of sensitive information." }
        switch categories.first {
        case .credentials: return "credentials data."
        case .financial: return "financial information."
        case .personal: return "personal information."
        case .custom: return "text that matches the pattern of a custom data identifier."
        case nil: return "sensitive data."
        }
    }

    /// A stable ID for the same object version in the same job run.
    static func findingId(_ result: ObjectResult, jobId: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte
            in (jobId + "\u{0}" + result.object.bucket + "\u{0}" + result.object.key + "\u{0}" + result.object.eTag)
            .utf8
        {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + String(repeating: "0", count: 16)
    }

    /// Serializes to one JSON line (keys sorted so the output is stable across runs).
    public static func line(_ object: [String: Any]) -> String {
        JSONText.serialize(object)
    }
}
