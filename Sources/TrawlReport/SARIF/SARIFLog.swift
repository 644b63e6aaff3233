import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// Builds a SARIF 2.1.0 log of a scan for code-scanning dashboards.
///
/// - One rule per identifier found (`id` is the identifier ID), with its name, help text and
///   Macie's severity mapped to a SARIF `level` and a GitHub-style `security-severity`.
/// - One result per recorded occurrence (at most `FindingContext.occurrencesPerFinding` per
///   identifier and object), located at `s3://bucket/key`: a `region` (line, column) for
///   text, a logical location plus properties for spreadsheet cells, JSON paths and files
///   inside archives.
/// - `partialFingerprints["trawlOccurrence/v1"]`: a hash of identifier, bucket, key, embedded
///   file and location, so the same occurrence keeps its identity across runs. It is never
///   computed from, and never contains, the matched value.
/// - Objects that could not be read because of an error become tool notifications.
public struct SARIFLog {
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    public static let fingerprintKey = "trawlOccurrence/v1"
    /// Notifications listed for objects that failed; the rest are counted.
    static let notificationLimit = 1000

    let toolVersion: String
    let context: FindingContext
    private var rules: [String: DetectorInfo] = [:]
    private var results: [[String: Any]] = []
    private var notifications: [[String: Any]] = []
    private var omittedNotifications = 0
    private var objects = 0

    /// The local folder scanned, when SOURCE is a tree on disk: artifacts are then given
    /// relative to it with `uriBaseId` `%SRCROOT%`, so code-scanning dashboards place results on
    /// the repository's files and lines.
    public var sourceRoot: String?

    public init(context: FindingContext, toolVersion: String = "0.1.0", sourceRoot: String? = nil) {
        self.context = context
        self.toolVersion = toolVersion
        self.sourceRoot = sourceRoot
    }

    public mutating func add(_ result: ObjectResult) {
        objects += 1
        let object = result.object
        if result.status == .skipped, let reason = result.reason, ScanSummary.errorReasons.contains(reason) {
            if notifications.count < Self.notificationLimit {
                notifications.append([
                    "level": "warning",
                    "message": [
                        "text":
                            "\(Self.uri(object)) was not analysed: \(reason.rawValue)\(result.message.map { " (\($0))" } ?? "")"
                    ],
                    "locations": [
                        ["physicalLocation": ["artifactLocation": Self.artifactLocation(object, root: sourceRoot)]]
                    ],
                    "properties": ["reason": reason.rawValue, "bucket": object.bucket, "key": object.key],
                ])
            } else {
                omittedNotifications += 1
            }
        }
        guard let objectSeverity = result.severity, let findingType = result.findingType else { return }
        for detection in result.reportable {
            rules[detection.info.id] = rules[detection.info.id] ?? detection.info
            let severity = detection.severity ?? .low
            let recorded = Array(detection.occurrences.prefix(context.occurrencesPerFinding))
            let locations: [ReportLocation?] = recorded.isEmpty ? [nil] : recorded.map(ReportLocation.init)
            for location in locations {
                results.append(
                    Self.result(
                        detection: detection, severity: severity, location: location, object: object,
                        objectSeverity: objectSeverity,
                        findingType: findingType, status: result.status, recordedCount: recorded.count, root: sourceRoot
                    ))
            }
        }
    }

    static func result(
        detection: TypeDetections, severity: Severity, location: ReportLocation?, object: ObjectRef,
        objectSeverity: Severity,
        findingType: String, status: StatusCode, recordedCount: Int, root: String? = nil
    ) -> [String: Any] {
        let info = detection.info
        var physical: [String: Any] = ["artifactLocation": artifactLocation(object, root: root)]
        var sarifLocation: [String: Any] = [:]
        var properties: [String: Any] = [
            "bucket": object.bucket, "key": object.key, "findingType": findingType,
            "objectSeverity": objectSeverity.label,
            "occurrencesInObject": detection.count, "status": status.rawValue, "category": info.category.rawValue,
        ]
        var placement = "in"
        if let location {
            if let file = location.embeddedFile { properties["embeddedFile"] = file }
            switch location.kind {
            case .line:
                properties["line"] = location.line
                properties["column"] = location.column
            case .cell:
                properties["row"] = location.row
                properties["column"] = location.column
                if let name = location.columnName { properties["columnName"] = name }
                if let reference = location.cellReference { properties["cellReference"] = reference }
            case .record:
                properties["recordIndex"] = location.recordIndex
                if let path = location.jsonPath { properties["jsonPath"] = path }
            }
            if location.kind == .line && location.embeddedFile == nil, let line = location.line, line >= 1 {
                var region: [String: Any] = ["startLine": line, "endLine": max(line, location.endLine ?? line)]
                if let column = location.column, column >= 1 { region["startColumn"] = column }
                physical["region"] = region
            } else {
                sarifLocation["logicalLocations"] = [
                    [
                        "name": location.text,
                        "fullyQualifiedName": uri(object) + " " + location.text,
                        "kind": location.kind == .cell ? "element" : location.kind == .record ? "property" : "text",
                    ]
                ]
            }
            placement = "at \(location.text) of"
        }
        sarifLocation["physicalLocation"] = physical
        let more = detection.count > 1 ? "; \(detection.count) occurrences of this type in the object" : ""
        let message =
            "\(info.name) (\(info.id)) \(placement) \(uri(object))\(more). Severity \(severity.label); the value is not recorded."
        return [
            "ruleId": info.id,
            "level": level(severity),
            "kind": "fail",
            "message": ["text": message],
            "locations": [sarifLocation],
            "partialFingerprints": [fingerprintKey: fingerprint(id: info.id, object: object, location: location)],
            "properties": properties,
        ]
    }

    /// The whole log, as JSON-ready dictionaries.
    public func log(executionSuccessful: Bool = true, startTime: Date? = nil, endTime: Date? = nil) -> [String: Any] {
        let ordered = rules.values.sorted { $0.id < $1.id }
        var index: [String: Int] = [:]
        for (position, info) in ordered.enumerated() { index[info.id] = position }
        let indexed = results.map { result -> [String: Any] in
            var result = result
            if let id = result["ruleId"] as? String, let position = index[id] { result["ruleIndex"] = position }
            return result
        }
        var invocation: [String: Any] = ["executionSuccessful": executionSuccessful]
        if let startTime { invocation["startTimeUtc"] = MacieJSON.timestamp(startTime) }
        if let endTime { invocation["endTimeUtc"] = MacieJSON.timestamp(endTime) }
        if !notifications.isEmpty { invocation["toolExecutionNotifications"] = notifications }
        var runProperties: [String: Any] = ["jobId": context.jobId, "objectsScanned": objects]
        if omittedNotifications > 0 { runProperties["notificationsOmitted"] = omittedNotifications }
        var run: [String: Any] = [
            "tool": [
                "driver": [
                    "name": "trawl",
                    "fullName": "trawl sensitive data scanner",
                    "version": toolVersion,
                    "semanticVersion": toolVersion,
                    "rules": ordered.map(Self.rule),
                ] as [String: Any]
            ],
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": indexed,
            "properties": runProperties,
        ]
        if let sourceRoot {
            run["originalUriBaseIds"] = [Self.sourceRootId: ["uri": Self.fileURI(directory: sourceRoot)]]
        }
        return ["$schema": Self.schemaURI, "version": "2.1.0", "runs": [run]]
    }

    /// The log as pretty-printed JSON with sorted keys (stable across runs but for times and the job ID).
    public func json(executionSuccessful: Bool = true, startTime: Date? = nil, endTime: Date? = nil) -> String {
        let object = log(executionSuccessful: executionSuccessful, startTime: startTime, endTime: endTime)
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: Rules

    static func rule(_ info: DetectorInfo) -> [String: Any] {
        let base = baseSeverity(info)
        let category = categoryText(info.category)
        var bands = ""
        if info.isCustom {
            bands =
                info.severityLevels.isEmpty
                ? "Medium from one occurrence in an object"
                : info.severityLevels.map {
                    "\($0.severity.label) from \($0.occurrencesThreshold) occurrence\($0.occurrencesThreshold == 1 ? "" : "s")"
                }.joined(separator: ", ")
        } else if info.severityBands.count == 3 {
            bands =
                "\(info.severityBands[0].label) for 1 occurrence in an object, \(info.severityBands[1].label) for 2–99, \(info.severityBands[2].label) for 100 or more"
        }
        let keywordNote =
            info.keywords.isEmpty
            ? ""
            : " It counts only near one of its keywords (for example \(info.keywords.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")))."
        let full =
            "\(info.name): \(category) found by trawl's \(info.isCustom ? "custom" : "managed") data identifier \(info.id).\(keywordNote)"
        let help = """
            \(info.name) (\(info.id)) is \(category) stored in an object. Severity, as Macie rates it: \(bands). \
            \(remediation(info.category)) trawl records where the value is (line and column, spreadsheet cell or JSON path), never the value itself.
            """
        let markdown = """
            **\(info.name)** (`\(info.id)`) is \(category) stored in an object.

            - Severity, as Macie rates it: \(bands).
            - \(remediation(info.category))
            - trawl records where the value is (line and column, spreadsheet cell or JSON path), never the value itself.
            """
        return [
            "id": info.id,
            "name": pascalCase(info.id),
            "shortDescription": ["text": "\(info.name) in an object"],
            "fullDescription": ["text": full],
            "help": ["text": help, "markdown": markdown],
            "defaultConfiguration": ["level": level(base)],
            "properties": [
                "tags": [
                    "security", "sensitive-data",
                    info.category.rawValue.lowercased().replacingOccurrences(of: "_", with: "-"),
                ],
                "security-severity": securitySeverity(base),
                "precision": info.keywords.isEmpty ? "medium" : "high",
                "category": info.category.rawValue,
            ] as [String: Any],
        ]
    }

    /// The severity of one occurrence in an object (a custom identifier's lowest level).
    static func baseSeverity(_ info: DetectorInfo) -> Severity {
        info.severity(occurrences: 1) ?? info.severityLevels.first?.severity ?? .medium
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .high: "error"
        case .medium: "warning"
        case .low: "note"
        }
    }

    /// GitHub code scanning reads `security-severity` as CVSS-like: 7.0–8.9 high, 4.0–6.9 medium, below 4 low.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        }
    }

    static func categoryText(_ category: Category) -> String {
        switch category {
        case .credentials: "a credential"
        case .financial: "financial information"
        case .personal: "personal information"
        case .custom: "data matching a custom identifier"
        }
    }

    static func remediation(_ category: Category) -> String {
        switch category {
        case .credentials:
            "Rotate the credential, then remove it from the object and keep secrets in a secrets manager."
        case .financial: "Remove or tokenise the data, or restrict and encrypt the bucket holding it (PCI DSS scope)."
        case .personal:
            "Confirm the object needs to hold personal data; if so, restrict access and encrypt it, otherwise remove or mask it."
        case .custom: "Handle the object as your organisation's policy for this identifier says."
        }
    }

    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map {
            $0.prefix(1).uppercased() + $0.dropFirst().lowercased()
        }.joined()
    }

    // MARK: Locations and fingerprints

    static let uriAllowed: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return set
    }()

    /// The `uriBaseId` of the scanned folder.
    public static let sourceRootId = "%SRCROOT%"

    /// Where an object is, for SARIF: relative to the scanned folder when it is a file below it,
    /// else its `s3://bucket/key`.
    static func artifactLocation(_ object: ObjectRef, root: String?) -> [String: Any] {
        if let root, case .file(let path) = object.location, path.hasPrefix(root + "/") {
            return ["uri": encoded(path: String(path.dropFirst(root.count + 1))), "uriBaseId": sourceRootId]
        }
        return ["uri": uri(object)]
    }

    /// A path with each component percent-encoded (`/` keeps its meaning).
    static func encoded(path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: uriAllowed) ?? "" }
            .joined(separator: "/")
    }

    /// `file:///abs/dir/` for a folder (SARIF wants a trailing slash on a base).
    static func fileURI(directory: String) -> String {
        "file://" + encoded(path: directory.hasSuffix("/") ? directory : directory + "/")
    }

    /// `s3://bucket/key`, percent-encoded (a key is any string; `/` keeps its meaning).
    public static func uri(_ object: ObjectRef) -> String {
        let bucket = object.bucket.addingPercentEncoding(withAllowedCharacters: uriAllowed) ?? ""
        let key = object.key.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: uriAllowed) ?? "" }
            .joined(separator: "/")
        return "s3://\(bucket)/\(key)"
    }

    /// 128 bits (two FNV-1a passes) over identifier, bucket, key, embedded file and location.
    /// Not a cryptographic hash: it identifies a place, it protects nothing.
    static func fingerprint(id: String, object: ObjectRef, location: ReportLocation?) -> String {
        var place = "object"
        if let location {
            switch location.kind {
            case .line: place = "line:\(location.line ?? 0):\(location.column ?? 0)"
            case .cell: place = "cell:\(location.row ?? 0):\(location.column ?? 0):\(location.cellReference ?? "")"
            case .record: place = "record:\(location.recordIndex ?? 0):\(location.jsonPath ?? "")"
            }
        }
        let text = ["v1", id, object.bucket, object.key, location?.embeddedFile ?? "", place].joined(separator: "\u{0}")
        func fnv(_ basis: UInt64) -> String {
            var hash = basis
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        return fnv(0xcbf2_9ce4_8422_2325) + fnv(0x6c62_272e_07bb_0142)
    }
}

/// Collects results during a scan and writes the SARIF log when the scan is done.
public final class SARIFWriter {
    let output: TextOutput
    public private(set) var log: SARIFLog
    let started = Date()

    public init(output: TextOutput, context: FindingContext, toolVersion: String = "0.1.0", sourceRoot: String? = nil) {
        self.output = output
        log = SARIFLog(context: context, toolVersion: toolVersion, sourceRoot: sourceRoot)
    }

    public func write(_ result: ObjectResult) { log.add(result) }

    public func finish(executionSuccessful: Bool = true) throws {
        try output.write(log.json(executionSuccessful: executionSuccessful, startTime: started, endTime: Date()))
    }
}
