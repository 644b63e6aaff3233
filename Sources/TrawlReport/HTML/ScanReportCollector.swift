import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// Gathers what the HTML report (and the bucket records) need from the object results of a
/// scan, in bounded memory: per-bucket and per-identifier totals for every object, locations
/// for the worst `objectLimit` objects with findings, and the first `notAnalysedLimit`
/// objects that were skipped or read in part.
public final class ScanReportCollector {
    /// Objects with findings listed in detail; the rest are counted.
    public static let objectLimit = 5000
    /// Skipped or partial objects listed; the rest are counted.
    public static let notAnalysedLimit = 2000
    /// Reasons that mean "trawl cannot analyse this kind of object" rather than "it failed".
    public static let notClassifiableReasons: Set<String> = ["UNSUPPORTED_FILE_TYPE_EXCEPTION", "INVALID_OBJECT_STATE"]

    let source: String
    let jobId: String
    let title: String
    let generatedAt: Date
    let locationsPerType: Int

    private var totals = ScanReport.Totals()
    private var buckets: [String: BucketAccumulator] = [:]
    private var types: [String: TypeTotal] = [:]
    private var objects: [ObjectFinding] = []
    private var notAnalysed: [NotAnalysedObject] = []
    private var omittedNotAnalysed = 0
    /// Bucket → (objects, non-empty objects) in scope before sampling, when known.
    private var scope: [String: (objects: Int, nonEmpty: Int)]?

    struct BucketAccumulator {
        var report: BucketReport
        var nonEmpty = 0
        var notClassifiable = 0
        var types: [String: TypeTotal] = [:]
    }

    /// - Parameter locationsPerType: locations kept per identifier and object (a finding's 15 by default).
    public init(
        source: String, jobId: String, title: String = "trawl scan report", generatedAt: Date = Date(),
        locationsPerType: Int = ScanLimits.findingOccurrences
    ) {
        self.source = source
        self.jobId = jobId
        self.title = title
        self.generatedAt = generatedAt
        self.locationsPerType = locationsPerType
    }

    /// The objects in scope before sampling, so that "share analysed" counts the objects
    /// sampling left out. Without it, the scanned objects are the scope.
    public func setScope(_ inScope: [ObjectRef]) {
        var counts: [String: (objects: Int, nonEmpty: Int)] = [:]
        for object in inScope {
            var entry = counts[object.bucket] ?? (0, 0)
            entry.objects += 1
            if object.size > 0 { entry.nonEmpty += 1 }
            counts[object.bucket] = entry
        }
        scope = counts
    }

    public func add(_ result: ObjectResult) {
        let object = result.object
        totals.objects += 1
        totals.bytes += object.size
        totals.classifiedBytes += result.sizeClassified
        var bucket = buckets[object.bucket] ?? BucketAccumulator(report: BucketReport(name: object.bucket))
        bucket.report.objectsScanned += 1
        bucket.report.bytes += object.size
        bucket.report.classifiedBytes += result.sizeClassified
        if object.size > 0 { bucket.nonEmpty += 1 }

        switch result.status {
        case .complete:
            totals.complete += 1
            bucket.report.complete += 1
        case .partial:
            totals.partial += 1
            bucket.report.partial += 1
            totals.partialByReason[result.reason?.rawValue ?? "UNKNOWN", default: 0] += 1
        case .skipped:
            totals.skipped += 1
            bucket.report.skipped += 1
            let reason = result.reason?.rawValue ?? "UNKNOWN"
            totals.skippedByReason[reason, default: 0] += 1
            bucket.report.skippedByReason[reason, default: 0] += 1
            if Self.notClassifiableReasons.contains(reason) { bucket.notClassifiable += 1 }
        }
        if let reason = result.reason, ScanSummary.errorReasons.contains(reason) {
            totals.errors += 1
            bucket.report.errors += 1
        }
        if result.status != .complete {
            if notAnalysed.count < Self.notAnalysedLimit {
                notAnalysed.append(
                    NotAnalysedObject(
                        bucket: object.bucket, key: object.key, size: object.size, status: result.status.rawValue,
                        reason: result.reason?.rawValue ?? "UNKNOWN", message: result.message))
            } else {
                omittedNotAnalysed += 1
            }
        }

        if let severity = result.severity, let findingType = result.findingType {
            totals.findings += 1
            bucket.report.objectsWithFindings += 1
            switch severity {
            case .high:
                totals.high += 1
                bucket.report.high += 1
            case .medium:
                totals.medium += 1
                bucket.report.medium += 1
            case .low:
                totals.low += 1
                bucket.report.low += 1
            }
            var found: [ObjectFinding.TypeFinding] = []
            for detection in result.reportable {
                let typeSeverity = detection.severity ?? .low
                totals.occurrences += detection.count
                Self.tally(&types, detection, severity: typeSeverity)
                Self.tally(&bucket.types, detection, severity: typeSeverity)
                found.append(
                    ObjectFinding.TypeFinding(
                        id: detection.info.id, name: detection.info.name, category: detection.info.category.rawValue,
                        count: detection.count, severity: typeSeverity,
                        locations: detection.occurrences.prefix(locationsPerType).map(ReportLocation.init)))
            }
            found.sort { ($0.severity, $0.count, $1.id) > ($1.severity, $1.count, $0.id) }
            objects.append(
                ObjectFinding(
                    bucket: object.bucket, key: object.key, size: object.size, severity: severity,
                    findingType: findingType,
                    status: result.status.rawValue, reason: result.reason?.rawValue, types: found))
            if objects.count >= 2 * Self.objectLimit { trimObjects() }
        }
        buckets[object.bucket] = bucket
    }

    static func tally(_ table: inout [String: TypeTotal], _ detection: TypeDetections, severity: Severity) {
        var entry =
            table[detection.info.id]
            ?? TypeTotal(
                id: detection.info.id, name: detection.info.name, category: detection.info.category.rawValue,
                isCustom: detection.info.isCustom, occurrences: 0, objects: 0, severity: severity)
        entry.occurrences += detection.count
        entry.objects += 1
        entry.severity = max(entry.severity, severity)
        table[detection.info.id] = entry
    }

    static func worstFirst(_ a: TypeTotal, _ b: TypeTotal) -> Bool {
        (a.severity, a.occurrences, b.id) > (b.severity, b.occurrences, a.id)
    }

    private var omittedObjects = 0

    private func trimObjects() {
        objects.sort(by: Self.worstObjectFirst)
        omittedObjects += max(0, objects.count - Self.objectLimit)
        objects.removeLast(max(0, objects.count - Self.objectLimit))
    }

    static func worstObjectFirst(_ a: ObjectFinding, _ b: ObjectFinding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.occurrences != b.occurrences { return a.occurrences > b.occurrences }
        return (a.bucket, a.key) < (b.bucket, b.key)
    }

    /// Builds the report. Buckets the audit knows but the scan did not read are shown as not
    /// yet analysed, so the map covers the whole account.
    public func report(
        estimate: EstimateSnapshot? = nil, exposure: [String: BucketExposure] = [:], runs: [RunSummary] = [],
        elapsedSeconds: Double? = nil, interrupted: Bool = false
    ) -> ScanReport {
        trimObjects()
        var report = ScanReport(title: title, source: source, jobId: jobId, generatedAt: generatedAt)
        report.elapsedSeconds = elapsedSeconds
        report.interrupted = interrupted
        report.totals = totals
        report.types = types.values.sorted(by: Self.worstFirst)
        report.objects = objects
        report.omittedObjects = omittedObjects
        report.notAnalysed = notAnalysed.sorted {
            ($0.status, $0.reason, $0.bucket, $0.key) < ($1.status, $1.reason, $1.bucket, $1.key)
        }
        report.omittedNotAnalysed = omittedNotAnalysed
        report.estimate = estimate
        report.runs = runs

        var names = Set(buckets.keys)
        if let scope { names.formUnion(scope.keys) }
        names.formUnion(exposure.keys)
        report.buckets = names.map { name in
            var accumulator = buckets[name] ?? BucketAccumulator(report: BucketReport(name: name))
            let inScope = scope?[name]
            accumulator.report.objectsInScope = max(inScope?.objects ?? 0, accumulator.report.objectsScanned)
            accumulator.report.types = accumulator.types.values.sorted(by: Self.worstFirst)
            accumulator.report.exposure = exposure[name]
            if buckets[name] == nil && inScope == nil {
                accumulator.report.score = .notAnalysed  // known only from the audit
            } else {
                accumulator.report.score = SensitivityScore.compute(
                    Self.inputs(accumulator, nonEmptyInScope: inScope?.nonEmpty))
            }
            return accumulator.report
        }
        .sorted { ($0.score.value, $1.name) > ($1.score.value, $0.name) }
        return report
    }

    static func inputs(_ bucket: BucketAccumulator, nonEmptyInScope: Int?) -> SensitivityScore.Inputs {
        var inputs = SensitivityScore.Inputs()
        let report = bucket.report
        inputs.objects = report.objectsInScope
        inputs.nonEmptyObjects = max(nonEmptyInScope ?? 0, bucket.nonEmpty)
        inputs.classifiableObjects = max(0, report.objectsInScope - bucket.notClassifiable)
        inputs.analysedObjects = report.analysed
        inputs.failedObjects = report.skipped - bucket.notClassifiable
        for type in report.types { inputs.detections[type.id] = (type.occurrences, type.severity) }
        return inputs
    }
}
