import Foundation
import TrawlObjects
import TrawlReport

/// Fans each result out to the findings writer, the results writer and the summary.
public final class ScanSink: ResultSink {
    public enum Format: String, Sendable { case text, json, csv }

    let findingsJSON: FindingsJSONWriter?
    let findingsCSV: FindingsCSVWriter?
    let output: TextOutput?
    let results: DiscoveryResultsWriter?
    public private(set) var summary = ScanSummary()
    /// Test only: sleep after each object so a test can interrupt a scan mid-way (set by the
    /// CLI from `TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS`).
    public var testOnlyDelayPerObject: TimeInterval = 0

    public init(format: Format, output path: String?, results: String?, context: FindingContext) throws {
        switch format {
        case .json:
            output = try TextOutput(path: path)
            findingsJSON = FindingsJSONWriter(output: output!, context: context)
            findingsCSV = nil
        case .csv:
            output = try TextOutput(path: path)
            findingsCSV = FindingsCSVWriter(output: output!)
            findingsJSON = nil
        case .text:
            output = nil
            findingsJSON = nil
            findingsCSV = nil
        }
        self.results = try results.map { try DiscoveryResultsWriter(directory: $0, context: context) }
    }

    public var resultsPath: String? { results?.path }

    public func consume(_ result: ObjectResult) throws {
        summary.add(result)
        try findingsJSON?.write(result)
        try findingsCSV?.write(result)
        try results?.write(result)
        if testOnlyDelayPerObject > 0 { Thread.sleep(forTimeInterval: testOnlyDelayPerObject) }
    }

    public func finish() throws {
        try output?.close()
        try results?.finish()
    }
}

