import ArgumentParser
import Dispatch
import Foundation
import TrawlCore
import TrawlJobs
import TrawlObjects
import TrawlReport

#if canImport(Glibc)
    import Glibc
#endif

struct JobRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job now: only objects new or changed since its preceding run, or resume an interrupted run.",
        discussion: """
            Prints and stores the estimate before reading anything; a run over the job's budgets is \
            PAUSED (exit status 3). SIGINT/SIGTERM stop at the next object and record a checkpoint; \
            a run killed outright is resumed from its last checkpoint by the next `job run` or daemon \
            tick. Exit status: 0 no findings, 1 findings, 2 errors, 3 paused over budget, 75 the job \
            is running in another process, 130 interrupted.
            """)

    @Argument(help: "Job name.")
    var name: String

    @OptionGroup var stateOptions: StateOptions

    @Flag(name: .customLong("full"), help: "Analyse every object in scope, not only new and changed ones.")
    var full = false

    @Flag(
        name: .customLong("ignore-budget"), help: "Run even if the estimate is over the job's --max-cost / --max-bytes."
    )
    var ignoreBudget = false

    @Option(
        name: .customLong("format"), help: "text: a summary (default); json: this run's findings as JSON Lines; csv.")
    var format: OutputFormat = .text

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "Write this run's findings here instead of standard output.")
    var output: String?

    @Option(name: [.customShort("j"), .customLong("workers")], help: "Worker threads (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-progress"), help: "Never show the progress line.")
    var noProgress = false

    @OptionGroup var s3: S3Options

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            var options = JobRunner.Options()
            options.full = full
            options.ignoreBudget = ignoreBudget
            let cancellation = Cancellation()
            let stop = SignalStop(cancellation: cancellation)
            defer { stop.stop() }
            return try JobRunFlow(
                store: store, workers: workers, opener: s3.storeOpener(region: nil), format: format, output: output,
                quiet: false
            )
            .execute(name, options: options, cancellation: cancellation)
        }
    }
}

/// A job run with its console output: shared by `job run` and `daemon`.
struct JobRunFlow {
    var store: JobStore
    var workers: Int
    var opener: StoreOpener
    var format: OutputFormat = .text
    var output: String?
    /// The daemon prints less (no findings table).
    var quiet: Bool

    func execute(_ name: String, options: JobRunner.Options, cancellation: Cancellation) throws -> Int32 {
        let job = try store.job(named: name)
        let findingsToStdout = format != .text && (output == nil || output == "-")
        let info: (String) -> Void = { text in
            if findingsToStdout { FileHandle.standardError.write(Data(text.utf8)) } else { print(text, terminator: "") }
        }
        var runner = JobRunner(store: store, workers: workers)
        runner.opener = opener
        if let delay = ProcessInfo.processInfo.environment["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS"].flatMap(Double.init) {
            runner.testOnlyDelayPerObject = delay / 1000
        }
        runner.testOnlyBeforeAnalyze = testOnlyCrashHook()
        // An object that was in hand when a run died is read again in a process of its own.
        let state = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        runner.isolate = { object in probeSurvives(job: name, bucket: object.bucket, key: object.key, state: state) }
        let context = FindingContext(accountId: "000000000000", region: job.definition.region, jobId: job.macieJobId)
        let sink = try ScanSink(
            format: ScanSink.Format(rawValue: format.rawValue) ?? .text, output: output, results: nil, context: context,
            source: job.definition.source)
        var events = JobRunner.Events()
        events.warning = warn
        var runNumber = 0
        events.started = { run, resumed in
            runNumber = run.number
            info(
                "Run #\(run.number) of job \(name)"
                    + (resumed
                        ? " resumed from its checkpoint (attempt \(run.attempts))"
                        : " (\(run.kind.rawValue.lowercased()))") + "\n")
        }
        events.planned = { plan in
            var line =
                "  objects         \(plan.new.count) new, \(plan.changed.count) changed, \(plan.unchanged) unchanged, \(plan.deleted.count) deleted"
            if plan.alreadyDone > 0 { line += " (\(plan.alreadyDone) already done by this run)" }
            if !plan.notSampled.isEmpty { line += ", \(plan.notSampled.count) not sampled" }
            info(line + "; reading \(plan.toClassify.count)\n")
        }
        events.output = sink
        let start = DispatchTime.now().uptimeNanoseconds
        events.estimated = { report in
            sink.estimate = report
            info(EstimateText.render(report, source: "run #\(runNumber) of \(name)"))
        }
        let outcome = try runner.run(name, options: options, cancellation: cancellation, events: events)
        try sink.finish()
        let run = outcome.run
        if run.status == .paused {
            warn("job \(name): run #\(run.number) \(run.message ?? "paused")")
            return ExitStatus.notConfirmed
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if !quiet {
            info(
                SummaryText.render(
                    sink.summary, seconds: seconds, interrupted: run.status == .interrupted, resultsPath: nil,
                    findingsPath: output))
        }
        info(
            "  run #\(run.number)         \(run.status.rawValue): \(run.classified) object(s) classified, \(run.findings) finding(s)"
                + (run.suppressed > 0 ? " (\(run.suppressed) suppressed)" : "")
                + ", \(run.errors) error(s); stored in \(store.path)\n")
        if let message = run.message { info("                  \(UntrustedText.forTerminal(message))\n") }
        switch run.status {
        case .interrupted: return 130
        case .cancelled, .userPaused: return ExitStatus.clean
        default: break
        }
        if run.errors > 0 { return ExitStatus.errors }
        return run.findings > 0 ? ExitStatus.findings : ExitStatus.clean
    }
}

/// SIGINT and SIGTERM stop a run at the next object, with a checkpoint; a second SIGINT
/// exits at once (the run then resumes from its last checkpoint).
// SAFETY: `sources` is written in init and read in stop(), both on the caller's thread; the
// handlers capture only Sendable values.
final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    /// Called on the first signal (the daemon wakes from its sleep).
    var onSignal: (@Sendable () -> Void)?

    init(cancellation: Cancellation, onSignal: (@Sendable () -> Void)? = nil) {
        self.onSignal = onSignal
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [onSignal] in
                if cancellation.isCancelled && number == SIGINT { exit(130) }
                cancellation.cancel()
                onSignal?()
                FileHandle.standardError.write(
                    Data("\ntrawl: stopping; finishing the objects in hand and recording a checkpoint\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// Test only: the object whose key is `TRAWL_TEST_ONLY_CRASH_ON_KEY` kills the process, as a
/// trap in a reader would.
func testOnlyCrashHook() -> (@Sendable (ObjectRef) -> Void)? {
    guard let key = ProcessInfo.processInfo.environment["TRAWL_TEST_ONLY_CRASH_ON_KEY"], !key.isEmpty else {
        return nil
    }
    return { object in
        if object.key == key { abort() }
    }
}

/// Runs `trawl job probe` on one object in a child process: false when the child was killed
/// (a signal: a trap, an abort, the kernel's OOM killer), true when it exited by itself.
func probeSurvives(job: String, bucket: String, key: String, state: String) -> Bool {
    let process = Process()
    let executable =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["job", "probe", job, "--bucket", bucket, "--key", key, "--state", state]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return true  // no child to ask: read it here, as without isolation
    }
    process.waitUntilExit()
    return process.terminationReason == .exit
}

/// `trawl job probe NAME --bucket B --key K`: reads one object of a job as a run would, in a
/// process of its own, and exits. A resumed run uses it to learn whether an object that was in
/// hand when the run died kills trawl, without dying itself.
struct JobProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Read one object of a job in this process (used by resumed runs).",
        shouldDisplay: false)

    @Argument(help: "Job name.")
    var name: String

    @Option(name: .customLong("bucket"), help: "The object's bucket.")
    var bucket: String

    @Option(name: .customLong("key"), help: "The object's key.")
    var key: String

    @OptionGroup var stateOptions: StateOptions
    @OptionGroup var s3: S3Options

    func run() throws {
        try withJobErrors {
            var runner = JobRunner(store: try stateOptions.open(), workers: 1)
            runner.opener = s3.storeOpener(region: nil)
            runner.testOnlyBeforeAnalyze = testOnlyCrashHook()
            let result = try runner.probe(name, bucket: bucket, key: key)
            print("\(result.status.rawValue) \(result.reason?.rawValue ?? "-")")
            return 0
        }
    }
}
