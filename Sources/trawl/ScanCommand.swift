import ArgumentParser
import Dispatch
import Foundation
import TrawlAudit
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport

#if canImport(Glibc)
    import Glibc
#endif

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan objects for sensitive data and report Macie-shaped findings.",
        discussion: """
            Prints the estimate first. On a terminal it asks before scanning; otherwise it scans only \
            with --yes, or when the estimate is within --max-cost / --max-bytes (exit status 3 if not).
            Matched values never appear in any output; --show-redacted-samples adds masked samples.
            """)

    @Argument(
        help: "A directory of buckets (or one bucket with --bucket), s3://BUCKET[/PREFIX], or s3:// for every bucket.")
    var source: String

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var detection: DetectionOptions
    @OptionGroup var estimateOptions: EstimateOptions
    @OptionGroup var s3: S3Options

    @Option(
        name: .customLong("format"),
        help:
            "text: a summary (default); json: Macie findings as JSON Lines; csv: one row per object and type; html: a self-contained report with charts and a bucket map; sarif: SARIF 2.1.0 for code scanning."
    )
    var format: OutputFormat = .text

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write findings here instead of standard output.")
    var output: String?

    @Option(
        name: .customLong("buckets"),
        help:
            "Also write one record per bucket (JSON Lines: sensitivity score, statistics, identifiers found) to this file."
    )
    var buckets: String?

    @Option(
        name: .customLong("audit"), parsing: .singleValue,
        help:
            "Audit these bucket configurations too (as trawl audit reads them) and mark public or shared buckets in the HTML report and bucket records. Repeatable."
    )
    var auditSources: [String] = []

    @Option(
        name: .customLong("results"), help: "Write per-object discovery results (JSON Lines, gzip) into this directory."
    )
    var results: String?

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Scan without asking, whatever the estimate.")
    var yes = false

    @Option(
        name: .customLong("max-cost"),
        help: "Scan without asking when Macie's estimated charge is at most this many USD.")
    var maxCost: Double?

    @Option(
        name: .customLong("max-bytes"),
        help: "Scan without asking when the bytes to analyse are at most this (K/M/G suffixes).")
    var maxBytes: ByteSize?

    @Option(
        name: .customLong("occurrences"),
        help: "Locations recorded per type in each finding (Macie: 15; results keep up to 1000).")
    var occurrences: Int = ScanLimits.findingOccurrences

    @Flag(
        name: .customLong("show-redacted-samples"),
        help: "Add up to three masked samples per type (first and last two characters only).")
    var redactedSamples = false

    @Flag(name: .customLong("no-progress"), help: "Never show the progress line.")
    var noProgress = false

    @Flag(
        name: .customLong("strict"),
        help: "Exit 2 when any object was SKIPPED or PARTIAL, not only when one could not be read.")
    var strict = false

    @Option(
        name: .customLong("object-time-limit"),
        help:
            "Seconds one object may take; past it the object is PARTIAL with TIME_CUT_OFF_REACHED and what was found so far (default 600)."
    )
    var objectTimeLimit: Double = AnalyzerSettings.defaultTimeLimitPerObject

    @Option(name: .customLong("account-id"), help: "Account ID to put in findings (default 000000000000).")
    var accountId: String = "000000000000"

    @Option(name: .customLong("job-id"), help: "Job ID to put in findings and the results file name (default: random).")
    var jobId: String?

    func validate() throws {
        guard (1...ScanLimits.occurrencesPerType).contains(occurrences) else {
            throw ValidationError("--occurrences takes 1 to \(ScanLimits.occurrencesPerType)")
        }
        guard objectTimeLimit > 0 else {
            throw ValidationError("--object-time-limit takes a number of seconds above 0")
        }
        if let maxCost, maxCost < 0 { throw ValidationError("--max-cost takes a positive amount of USD") }
    }

    func run() throws {
        try withUsageErrors { try scan() }
    }

    func scan() throws -> Int32 {
        let audit = auditSources.isEmpty ? nil : Auditor.audit(try AuditSource.load(paths: auditSources))
        var session = try estimateOptions.session(source: source, scope: scope, detection: detection, s3: s3)
        guard session.store.canReadObjects else {
            throw UsageError(
                "\(source) lists objects but cannot read them: `trawl estimate` it, or scan the objects themselves")
        }
        session.settings.redactedSamples = redactedSamples
        session.settings.timeLimitPerObject = objectTimeLimit
        let listing = try session.list()
        let estimate = session.estimate(listing)
        let findingsToStdout = format != .text && (output == nil || output == "-")
        let info: (String) -> Void = { text in
            if findingsToStdout { FileHandle.standardError.write(Data(text.utf8)) } else { print(text, terminator: "") }
        }
        info(EstimateText.render(estimate, source: source))
        for note in session.store.notes { info("  note            \(UntrustedText.forTerminal(note))\n") }
        if let why = listing.emptyReason, listing.problems.isEmpty {
            warn("nothing to scan: \(UntrustedText.forTerminal(why))")
            return ExitStatus.nothingInScope
        }

        let gate = CostGate(confirmed: yes, maxCostUSD: maxCost, maxBytes: maxBytes?.bytes)
        switch gate.decide(estimate, canAsk: isatty(0) == 1 && isatty(2) == 1) {
        case .proceed:
            break
        case .refuse(let why):
            warn(why)
            return ExitStatus.notConfirmed
        case .ask:
            FileHandle.standardError.write(Data("Scan now? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                warn("not scanning")
                return ExitStatus.notConfirmed
            }
        }

        let context = FindingContext(
            accountId: accountId, region: session.pricingRegion,
            jobId: jobId ?? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
            occurrencesPerFinding: occurrences)
        let sink = try ScanSink(
            format: ScanSink.Format(rawValue: format.rawValue)!, output: output, results: results, context: context,
            source: source,
            buckets: buckets, inScope: listing.inScope, sourceRoot: (session.store as? DirectorySource)?.root.path)
        sink.estimate = estimate
        sink.audit = audit
        if let delay = ProcessInfo.processInfo.environment["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS"].flatMap(Double.init) {
            sink.testOnlyDelayPerObject = delay / 1000
        }

        let counters = ScanCounters()
        let cancellation = Cancellation()
        let interrupt = InterruptHandler(cancellation: cancellation)
        let progress =
            noProgress
            ? nil
            : ProgressLine(
                counters: counters, totalObjects: listing.selected.count, totalBytes: estimate.selected.bytes)
        let outcome = try session.run(listing, sink: sink, counters: counters, cancellation: cancellation)
        progress?.stop()
        interrupt.stop()
        sink.elapsedSeconds = outcome.seconds
        sink.interrupted = outcome.cancelled
        try sink.finish()
        info(
            SummaryText.render(
                sink.summary, seconds: outcome.seconds, interrupted: outcome.cancelled && outcome.sinkError == nil,
                resultsPath: sink.resultsPath, findingsPath: output))
        if let error = outcome.sinkError {
            warn("output failed: \(error)")
            return ExitStatus.errors
        }
        if outcome.cancelled { return 130 }
        if sink.summary.errors > 0 { return ExitStatus.errors }
        if strict, sink.summary.byStatus[.complete, default: 0] < sink.summary.objects {
            warn(
                "--strict: \(sink.summary.objects - sink.summary.byStatus[.complete, default: 0]) object(s) were not read in full"
            )
            return ExitStatus.errors
        }
        return sink.summary.findings > 0 ? ExitStatus.findings : ExitStatus.clean
    }
}

/// Ctrl-C stops the scan cleanly (what was found so far is still written); a second one
/// exits at once.
final class InterruptHandler {
    private let source: DispatchSourceSignal
    init(cancellation: Cancellation) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if cancellation.isCancelled { exit(130) }
            cancellation.cancel()
            FileHandle.standardError.write(
                Data(
                    "\ntrawl: interrupted; finishing the objects in hand and writing what was found (Ctrl-C again to quit now)\n"
                        .utf8))
        }
        source.resume()
    }
    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// A one-line progress display on standard error, only when it is a terminal.
// SAFETY: every stored property is a `let` set in init; the timer's handler reads only
// atomics and constants.
final class ProgressLine: @unchecked Sendable {
    private let timer: DispatchSourceTimer?
    private let start = DispatchTime.now().uptimeNanoseconds

    init(counters: ScanCounters, totalObjects: Int, totalBytes: Int64) {
        guard isatty(2) == 1 else {
            timer = nil
            return
        }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        self.timer = timer
        let begin = start
        timer.schedule(deadline: .now() + .milliseconds(300), repeating: .milliseconds(250))
        timer.setEventHandler {
            let objects = counters.objectsDone.load(ordering: .relaxed)
            let bytes = counters.bytesDone.load(ordering: .relaxed)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
            let rate = elapsed > 0 ? Double(bytes) / elapsed : 0
            let eta = rate > 0 ? Double(max(0, totalBytes - bytes)) / rate : 0
            let line =
                "\r\u{1B}[2K  \(objects)/\(totalObjects) objects  \(formatBytes(bytes))/\(formatBytes(totalBytes))  \(formatBytes(Int64(rate)))/s  ETA \(formatSeconds(eta))  findings \(counters.findings.load(ordering: .relaxed))"
            FileHandle.standardError.write(Data(line.utf8))
        }
        timer.resume()
    }

    func stop() {
        guard let timer else { return }
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

enum SummaryText {
    static func render(
        _ s: ScanSummary, seconds: Double, interrupted: Bool, resultsPath: String?, findingsPath: String?
    ) -> String {
        var out = interrupted ? "\nScan interrupted; partial results:\n" : "\nScan complete\n"
        let rate = seconds > 0 ? Double(s.classifiedBytes) / seconds : 0
        out +=
            "  scanned         \(s.objects) objects in \(s.buckets.count) bucket(s), \(formatBytes(s.classifiedBytes)) analysed in \(formatSeconds(seconds)) (\(formatBytes(Int64(rate)))/s)\n"
        let complete = s.byStatus[.complete] ?? 0
        let partial = s.byStatus[.partial] ?? 0
        let skipped = s.byStatus[.skipped] ?? 0
        out += "  status          \(complete) complete, \(partial) partial, \(skipped) skipped\n"
        for (reason, count) in s.partialByReason.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "    partial  \(reason.rawValue): \(count)\n"
        }
        for (reason, count) in s.skippedByReason.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "    skipped  \(reason.rawValue): \(count)\n"
        }
        if s.findings == 0 {
            out += "  findings        none\n"
        } else {
            let bands = [Severity.high, .medium, .low].compactMap { severity in
                s.findingsBySeverity[severity].map { "\($0) \(severity.label)" }
            }
            out += "  findings        \(s.findings) object(s) with sensitive data: \(bands.joined(separator: ", "))\n"
            out += "  by type\n"
            for (id, entry) in s.byType.sorted(by: {
                ($0.value.severity, $0.value.occurrences) > ($1.value.severity, $1.value.occurrences)
            }) {
                out +=
                    "    \(id.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(entry.occurrences).leftPad(7)) in \(entry.objects) object(s)\n"
            }
            out += "  objects\n"
            for object in s.topObjects.sorted(by: { ($0.severity, $1.path) > ($1.severity, $0.path) }) {
                out +=
                    "    \(object.severity.label.padding(toLength: 6, withPad: " ", startingAt: 0)) \(UntrustedText.forTerminal(object.path))  \(object.types)\n"
            }
            if s.findings > s.topObjects.count {
                out += "    … and \(s.findings - s.topObjects.count) more (use --format json)\n"
            }
        }
        if let findingsPath, findingsPath != "-" { out += "  findings file   \(findingsPath)\n" }
        if let resultsPath { out += "  results         \(resultsPath)\n" }
        return out
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
