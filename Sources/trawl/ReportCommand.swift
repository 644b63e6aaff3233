import ArgumentParser
import Foundation
import TrawlJobs
import TrawlReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a job's run as a self-contained HTML report, with the trend over its runs.",
        discussion: """
            JOB is a job name: its latest run with a report is shown (or run N with --run N), and \
            every earlier run of the job feeds the trend chart. Runs made before trawl kept reports \
            have none. See docs/reports.md.
            """)

    @Argument(help: "The job's name.")
    var job: String

    @Option(name: .customLong("run"), help: "The run number to show (default: the latest run with a report).")
    var runNumber: Int?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the HTML here instead of standard output.")
    var output: String?

    @OptionGroup var stateOptions: StateOptions

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            let record = try store.job(named: job)
            let runs = try store.runs(of: record).sorted { $0.number < $1.number }
            var reports: [(number: Int, report: ScanReport)] = []
            let decoder = JSONDecoder()
            for run in runs {
                guard let json = try store.reportJSON(runId: run.id),
                    let report = try? decoder.decode(ScanReport.self, from: Data(json.utf8))
                else { continue }
                reports.append((run.number, report))
            }
            guard !reports.isEmpty else {
                throw UsageError("job \(job) has no run with a report yet: `trawl job run \(job)` first")
            }
            let chosen: (number: Int, report: ScanReport)
            if let wanted = runNumber {
                guard let found = reports.last(where: { $0.number == wanted }) else {
                    throw UsageError(
                        "job \(job) has no report for run #\(wanted) (runs with reports: \(reports.map { "#\($0.number)" }.joined(separator: ", ")))"
                    )
                }
                chosen = found
            } else {
                chosen = reports[reports.count - 1]
            }
            var report = chosen.report
            report.runs = reports.filter { $0.number <= chosen.number }.map {
                RunSummary(runId: "run #\($0.number)", report: $0.report)
            }
            let html = HTMLReport.scan(report)
            if let output, output != "-" {
                try html.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(html, terminator: "")
            }
            return ExitStatus.clean
        }
    }
}
