import Foundation
import TrawlAudit
import TrawlCore
import TrawlObjects

/// Fans each result out to the findings writer, the results writer and the summary.
public final class ScanSink: ResultSink {
    public enum Format: String, Sendable { case text, json, csv, html, sarif }

    let findingsJSON: FindingsJSONWriter?
    let findingsCSV: FindingsCSVWriter?
    let sarif: SARIFWriter?
    let output: TextOutput?
    let results: DiscoveryResultsWriter?
    /// Gathers the HTML report and the bucket records (only when one of them is asked for).
    let collector: ScanReportCollector?
    let bucketsPath: String?
    let context: FindingContext
    public private(set) var summary = ScanSummary()
    /// Test only: sleep after each object so a test can interrupt a scan mid-way (set by the
    /// CLI from `TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS`).
    public var testOnlyDelayPerObject: TimeInterval = 0

    /// For the HTML report: the estimate made before the scan, the audit of the same buckets
    /// (marks public and shared buckets on the map), the time the scan took and whether it was
    /// interrupted. Set them before `finish()`.
    public var estimate: EstimateReport?
    public var audit: AuditReport?
    public var elapsedSeconds: Double?
    public var interrupted = false

    /// - Parameters:
    ///   - source: the SOURCE as the user gave it (the HTML report's header).
    ///   - buckets: where to write one bucket record (JSON Lines) per bucket, with its sensitivity score.
    ///   - inScope: the objects in scope before sampling, so bucket scores know what was left out.
    ///   - collectReport: gather the HTML report's model whatever the format (a job store keeps
    ///     `report()` per run to render it later with the job's trend).
    ///   - sourceRoot: the local folder scanned, if any (SARIF gives artifacts relative to it).
    public init(
        format: Format, output path: String?, results: String?, context: FindingContext, source: String = "",
        buckets: String? = nil, inScope: [ObjectRef]? = nil, collectReport: Bool = false, sourceRoot: String? = nil
    ) throws {
        self.context = context
        switch format {
        case .text:
            output = nil
        case .json, .csv, .html, .sarif:
            output = try TextOutput(path: path)
        }
        findingsJSON = format == .json ? FindingsJSONWriter(output: output!, context: context) : nil
        findingsCSV = format == .csv ? FindingsCSVWriter(output: output!) : nil
        sarif = format == .sarif ? SARIFWriter(output: output!, context: context, sourceRoot: sourceRoot) : nil
        if format == .html || buckets != nil || collectReport {
            let collector = ScanReportCollector(
                source: source, jobId: context.jobId, generatedAt: context.createdAt,
                locationsPerType: context.occurrencesPerFinding)
            if let inScope { collector.setScope(inScope) }
            self.collector = collector
        } else {
            collector = nil
        }
        htmlOutput = format == .html
        bucketsPath = buckets
        self.results = try results.map { try DiscoveryResultsWriter(directory: $0, context: context) }
    }

    private let htmlOutput: Bool

    public var resultsPath: String? { results?.path }

    public func consume(_ result: ObjectResult) throws {
        summary.add(result)
        try findingsJSON?.write(result)
        try findingsCSV?.write(result)
        sarif?.write(result)
        collector?.add(result)
        try results?.write(result)
        if testOnlyDelayPerObject > 0 { Thread.sleep(forTimeInterval: testOnlyDelayPerObject) }
    }

    /// The report the HTML output shows (nil unless HTML, bucket records or `collectReport` were asked for).
    public func report() -> ScanReport? {
        collector?.report(
            estimate: estimate.map(EstimateSnapshot.init), exposure: audit.map(BucketExposure.byBucket) ?? [:],
            elapsedSeconds: elapsedSeconds, interrupted: interrupted)
    }

    public func finish() throws {
        if let sarif { try sarif.finish(executionSuccessful: !interrupted) }
        if let report = report() {
            var report = report
            report.auditWarnings = audit?.warnings ?? []
            if htmlOutput, let output { try output.write(HTMLReport.scan(report)) }
            if let bucketsPath {
                let records = try TextOutput(path: bucketsPath)
                for bucket in report.buckets {
                    try records.write(
                        MacieJSON.line(bucket.profileJSON(partition: context.partition, updatedAt: context.createdAt))
                            + "\n")
                }
                try records.close()
            }
        }
        try output?.close()
        try results?.finish()
    }
}

extension EstimateSnapshot {
    /// The parts of an estimate the HTML report compares with the scan.
    public init(_ report: EstimateReport) {
        self.init()
        objectsInScope = report.objectsInScope.objects
        bytesInScope = report.objectsInScope.bytes
        samplingPercentage = report.samplingPercentage
        selectedObjects = report.selected.objects
        classifiableObjects = report.classifiable.objects
        classifiableBytes = report.classifiable.bytes
        bytesToAnalyse = report.classifiableUncompressedBytes
        notClassifiable = report.notClassifiable.mapValues(\.objects)
        macieUSD = report.macie.usd
        macieRegion = report.macie.region
        estimatedSeconds = report.time.seconds
        workers = report.time.workers
    }
}
