import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport
import TrawlTestSupport

/// Object results made by hand, with real identifier metadata from the built-in catalog.
enum Fixture {
    static let resources = Repository.fixtures("TrawlReportTests/Resources")

    static let infos: [String: DetectorInfo] = {
        let ids = [
            "CREDIT_CARD_NUMBER", "USA_SOCIAL_SECURITY_NUMBER", "AWS_CREDENTIALS", "TRAWL_EMAIL_ADDRESS",
            "TRAWL_IPV4_ADDRESS",
        ]
        let identifiers = ids.compactMap { Catalog.builtin.identifier($0) }
        let detector = try! Detector(identifiers: identifiers)
        return Dictionary(uniqueKeysWithValues: detector.infos.map { ($0.id, $0) })
    }()

    static func object(_ bucket: String, _ key: String, size: Int64 = 100) -> ObjectRef {
        ObjectRef(
            bucket: bucket, key: key, size: size, lastModified: Date(timeIntervalSince1970: 1_700_000_000), eTag: "e",
            location: .file(path: "/dev/null"))
    }

    static func detection(_ id: String, _ occurrences: [Occurrence], count: Int? = nil, samples: [String] = [])
        -> TypeDetections
    {
        TypeDetections(
            info: infos[id]!, count: count ?? occurrences.count, occurrences: occurrences, redactedSamples: samples)
    }

    static func result(
        _ bucket: String, _ key: String, _ detections: [TypeDetections], status: StatusCode = .complete,
        reason: ReasonCode? = nil, size: Int64 = 100
    ) -> ObjectResult {
        ObjectResult(
            object: object(bucket, key, size: size), status: status, reason: reason, mimeType: "text/plain",
            sizeClassified: status == .skipped ? 0 : size, detections: detections)
    }

    static let hostileKey = "<script>alert(1)</script>.csv"
    static let hostileBucket = "<img src=x onerror=alert(2)>"
    static let hostileColumn = "<i onmouseover=alert(3)>email</i>"
    static let hostilePath = "$.<svg onload=alert(4)>"
    /// A masked sample; the report must never show it (nor any value).
    static let sample = "41**********1111"

    /// A small scan: a clean bucket, a sensitive one, hostile names everywhere, skipped objects.
    static func results() -> [ObjectResult] {
        [
            result("clean", "readme.txt", []),
            result("clean", "notes.txt", []),
            result(
                "finance", "cards.csv",
                [
                    detection(
                        "CREDIT_CARD_NUMBER",
                        [.cell(row: 2, column: 3, columnName: "card", cellReference: nil, embeddedFile: nil)],
                        samples: [sample]),
                    detection(
                        "USA_SOCIAL_SECURITY_NUMBER",
                        [.cell(row: 2, column: 4, columnName: hostileColumn, cellReference: nil, embeddedFile: nil)]),
                ]),
            result(
                "finance", "keys/app.env",
                [detection("AWS_CREDENTIALS", [.lineRange(start: 3, end: 3, startColumn: 7, embeddedFile: nil)])]),
            result("finance", "logo.png", [], status: .skipped, reason: .unsupportedFileTypeException),
            result(
                hostileBucket, hostileKey,
                [
                    detection(
                        "TRAWL_EMAIL_ADDRESS", [.record(recordIndex: 0, jsonPath: hostilePath, embeddedFile: nil)]),
                    detection(
                        "TRAWL_IPV4_ADDRESS",
                        [.lineRange(start: 1, end: 1, startColumn: 1, embeddedFile: "inner/<b>x</b>.txt")]),
                ]),
            result("locked", "secret.txt", [], status: .skipped, reason: .permissionDenied),
        ]
    }

    static func report(runs: [RunSummary] = [], exposure: [String: BucketExposure] = [:]) -> ScanReport {
        let collector = ScanReportCollector(
            source: "demo", jobId: "job-1", generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
        for result in results() { collector.add(result) }
        var estimate = EstimateSnapshot()
        estimate.objectsInScope = 7
        estimate.selectedObjects = 7
        estimate.classifiableObjects = 6
        estimate.bytesToAnalyse = 600
        estimate.notClassifiable = ["UNSUPPORTED_FILE_TYPE_EXCEPTION": 1]
        return collector.report(estimate: estimate, exposure: exposure, runs: runs, elapsedSeconds: 0.5)
    }
}
