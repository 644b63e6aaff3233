import Foundation
import TrawlCore
import TrawlDetect

/// Everything the HTML report of a scan shows, gathered from the object results by
/// `ScanReportCollector`. Codable, so a job store can keep one per run and render it later
/// (`HTMLReport.scan`) with the job's `runs` filled in for the trend.
///
/// Holds locations, counts and names only: never a matched value.
public struct ScanReport: Codable, Sendable {
    public var title: String
    /// What was scanned, as the user named it (a directory or an `s3://` URL).
    public var source: String
    public var jobId: String
    public var generatedAt: Date
    public var elapsedSeconds: Double?
    /// The scan was stopped before every object was read.
    public var interrupted = false
    public var totals = Totals()
    /// One per bucket, most sensitive first.
    public var buckets: [BucketReport] = []
    /// One per identifier found, worst first.
    public var types: [TypeTotal] = []
    /// Objects with findings, worst first; at most `ScanReportCollector.objectLimit`.
    public var objects: [ObjectFinding] = []
    public var omittedObjects = 0
    /// Objects not analysed in full (SKIPPED or PARTIAL); at most `ScanReportCollector.notAnalysedLimit`.
    public var notAnalysed: [NotAnalysedObject] = []
    public var omittedNotAnalysed = 0
    /// What the estimate said before the scan, to show against what was scanned.
    public var estimate: EstimateSnapshot?
    /// Earlier runs of the same job, oldest first, this one included (empty for a one-off scan).
    public var runs: [RunSummary] = []
    /// Problems reading the audit source given with the scan, if any.
    public var auditWarnings: [String] = []

    public init(title: String = "trawl scan report", source: String, jobId: String, generatedAt: Date = Date()) {
        self.title = title
        self.source = source
        self.jobId = jobId
        self.generatedAt = generatedAt
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var objects = 0
        public var bytes: Int64 = 0
        public var classifiedBytes: Int64 = 0
        public var complete = 0
        public var partial = 0
        public var skipped = 0
        public var errors = 0
        /// Objects with a finding, and how many of each severity.
        public var findings = 0
        public var high = 0
        public var medium = 0
        public var low = 0
        /// Occurrences of sensitive data over all objects.
        public var occurrences = 0
        public var skippedByReason: [String: Int] = [:]
        public var partialByReason: [String: Int] = [:]
        public init() {}
    }
}

/// One identifier over the whole scan.
public struct TypeTotal: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var category: String
    public var isCustom: Bool
    public var occurrences: Int
    public var objects: Int
    /// The highest severity it gave any object.
    public var severity: Severity
}

/// A bucket's row in the report and its tile on the map.
public struct BucketReport: Codable, Sendable, Equatable {
    public var name: String
    /// Objects in scope before sampling (the denominator of "analysed").
    public var objectsInScope = 0
    public var objectsScanned = 0
    public var bytes: Int64 = 0
    public var classifiedBytes: Int64 = 0
    public var complete = 0
    public var partial = 0
    public var skipped = 0
    public var errors = 0
    public var objectsWithFindings = 0
    public var high = 0
    public var medium = 0
    public var low = 0
    public var skippedByReason: [String: Int] = [:]
    /// Identifiers found here, worst and most frequent first.
    public var types: [TypeTotal] = []
    public var score = SensitivityScore.notAnalysed
    /// What the audit says about the bucket, when an audit was given.
    public var exposure: BucketExposure?

    public init(name: String) { self.name = name }

    public var analysed: Int { complete + partial }
    public var occurrences: Int { types.reduce(0) { $0 + $1.occurrences } }
    /// Sensitive (score 51+) and public or shared outside the account.
    public var isSensitiveAndExposed: Bool { score.value > 50 && (exposure?.isExposed ?? false) }
}

/// How exposed a bucket is, from `trawl audit` (Macie's bucket inventory fields).
public struct BucketExposure: Codable, Sendable, Equatable {
    /// `effectivePermission`: PUBLIC, NOT_PUBLIC or UNKNOWN.
    public var effectivePermission: String
    /// `sharedAccess`: EXTERNAL, INTERNAL, NOT_SHARED or UNKNOWN.
    public var sharedAccess: String
    /// Default encryption type (NONE, AES256, aws:kms...).
    public var encryption: String
    public var replicatedExternally: Bool
    /// Policy finding titles for the bucket, worst first, with their severity labels.
    public var findings: [PolicyFindingSummary]

    public struct PolicyFindingSummary: Codable, Sendable, Equatable {
        public var type: String
        public var title: String
        public var severity: String
        public init(type: String, title: String, severity: String) {
            self.type = type
            self.title = title
            self.severity = severity
        }
    }

    public init(
        effectivePermission: String, sharedAccess: String, encryption: String, replicatedExternally: Bool = false,
        findings: [PolicyFindingSummary] = []
    ) {
        self.effectivePermission = effectivePermission
        self.sharedAccess = sharedAccess
        self.encryption = encryption
        self.replicatedExternally = replicatedExternally
        self.findings = findings
    }

    public var isPublic: Bool { effectivePermission == "PUBLIC" }
    public var isSharedExternally: Bool { sharedAccess == "EXTERNAL" || replicatedExternally }
    public var isExposed: Bool { isPublic || isSharedExternally }
}

/// An object with sensitive data: what was found and where, never the values.
public struct ObjectFinding: Codable, Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var size: Int64
    public var severity: Severity
    /// `SensitiveData:S3Object/...`
    public var findingType: String
    public var status: String
    public var reason: String?
    public var types: [TypeFinding]

    public var occurrences: Int { types.reduce(0) { $0 + $1.count } }

    public struct TypeFinding: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var category: String
        public var count: Int
        public var severity: Severity
        /// The first recorded locations (as many as the finding records).
        public var locations: [ReportLocation]
    }
}

/// A location of one occurrence, in a form every report can show and store.
public struct ReportLocation: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case line, cell, record }
    public var kind: Kind
    /// Lines: first line and column from 1. Cells: row and column from 1. Records: record index from 0.
    public var line: Int?
    public var endLine: Int?
    public var column: Int?
    public var row: Int?
    public var columnName: String?
    public var cellReference: String?
    public var recordIndex: Int?
    public var jsonPath: String?
    /// The file inside an archive, when the occurrence is in one.
    public var embeddedFile: String?

    public init(_ occurrence: Occurrence) {
        switch occurrence {
        case .lineRange(let start, let end, let column, let file):
            kind = .line
            line = start
            endLine = end
            self.column = column
            embeddedFile = file
        case .cell(let row, let column, let name, let reference, let file):
            kind = .cell
            self.row = row
            self.column = column
            columnName = name
            cellReference = reference
            embeddedFile = file
        case .record(let index, let path, let file):
            kind = .record
            recordIndex = index
            jsonPath = path
            embeddedFile = file
        }
    }

    /// `line 12:5`, `Sheet1!C5 (email)`, `row 3, column 2 (email)`, `record 0 $.customer.ssn`,
    /// prefixed with the embedded file when there is one.
    public var text: String {
        var out = embeddedFile.map { $0 + ": " } ?? ""
        switch kind {
        case .line:
            out += "line \(line ?? 0)"
            if let column { out += ":\(column)" }
        case .cell:
            out += cellReference ?? "row \(row ?? 0), column \(column ?? 0)"
            if let columnName { out += " (\(columnName))" }
        case .record:
            out += "record \(recordIndex ?? 0)"
            if let jsonPath { out += " \(jsonPath)" }
        }
        return out
    }
}

/// An object that was not analysed in full, and why.
public struct NotAnalysedObject: Codable, Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var size: Int64
    public var status: String
    public var reason: String
    public var message: String?
}

/// The estimate made before the scan (`trawl estimate`), reduced to what the report
/// compares with the scan.
public struct EstimateSnapshot: Codable, Sendable, Equatable {
    public var objectsInScope = 0
    public var bytesInScope: Int64 = 0
    public var samplingPercentage = 100
    public var selectedObjects = 0
    public var classifiableObjects = 0
    public var classifiableBytes: Int64 = 0
    /// Bytes the estimate expected to analyse (compressed objects at their estimated size).
    public var bytesToAnalyse: Int64 = 0
    /// Reason → objects the estimate expected to skip.
    public var notClassifiable: [String: Int] = [:]
    public var macieUSD = 0.0
    public var macieRegion = ""
    public var estimatedSeconds = 0.0
    public var workers = 1

    public init() {}
}

/// One run of a job, for the trend chart. A job store fills one per run, from the run's
/// `ScanSummary` (see `init(runId:startedAt:summary:seconds:)`) or its stored `ScanReport`.
public struct RunSummary: Codable, Sendable, Equatable {
    public var runId: String
    public var startedAt: Date
    public var objects: Int
    public var classifiedBytes: Int64
    /// Objects with findings, and per severity.
    public var findings: Int
    public var high: Int
    public var medium: Int
    public var low: Int
    public var skipped: Int
    public var errors: Int
    public var seconds: Double?

    public init(
        runId: String, startedAt: Date, objects: Int, classifiedBytes: Int64, findings: Int, high: Int, medium: Int,
        low: Int,
        skipped: Int, errors: Int, seconds: Double? = nil
    ) {
        self.runId = runId
        self.startedAt = startedAt
        self.objects = objects
        self.classifiedBytes = classifiedBytes
        self.findings = findings
        self.high = high
        self.medium = medium
        self.low = low
        self.skipped = skipped
        self.errors = errors
        self.seconds = seconds
    }

    /// From the summary a scan keeps (`ScanSink.summary`).
    public init(runId: String, startedAt: Date, summary: ScanSummary, seconds: Double? = nil) {
        self.init(
            runId: runId, startedAt: startedAt, objects: summary.objects, classifiedBytes: summary.classifiedBytes,
            findings: summary.findings, high: summary.findingsBySeverity[.high] ?? 0,
            medium: summary.findingsBySeverity[.medium] ?? 0, low: summary.findingsBySeverity[.low] ?? 0,
            skipped: summary.byStatus[.skipped] ?? 0, errors: summary.errors, seconds: seconds)
    }

    /// From a stored report of the run.
    public init(runId: String, report: ScanReport) {
        let t = report.totals
        self.init(
            runId: runId, startedAt: report.generatedAt, objects: t.objects, classifiedBytes: t.classifiedBytes,
            findings: t.findings, high: t.high, medium: t.medium, low: t.low, skipped: t.skipped, errors: t.errors,
            seconds: report.elapsedSeconds)
    }
}
