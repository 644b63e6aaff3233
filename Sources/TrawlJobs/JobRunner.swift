import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one job once: lock, plan (incremental), estimate, budget gate, analysis with a
/// checkpoint per batch, final status. Used by `trawl job run` and `trawl daemon`.
public struct JobRunner {
    public var store: JobStore
    public var workers: Int
    /// Opens a job's SOURCE (the CLI adds `s3://`; local trees open without it).
    public var opener = StoreOpener()
    public var pid: Int32
    /// The clock; injected so tests can pin it.
    public var now: @Sendable () -> Date
    /// Objects per write transaction (a kill loses at most one batch), and the longest a
    /// batch waits before it is written anyway.
    public var batchSize = 64
    public var batchInterval: TimeInterval = 1
    /// Test only: sleep this long after each object, so a test can kill a run mid-way.
    /// Set from the environment variable `TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS` by the CLI.
    public var testOnlyDelayPerObject: TimeInterval = 0
    /// Test only: called before an object is read, after it is recorded as in hand, so a test
    /// can make a named object kill the process. Set from `TRAWL_TEST_ONLY_CRASH_ON_KEY` by the CLI.
    public var testOnlyBeforeAnalyze: (@Sendable (ObjectRef) -> Void)?
    /// Reads one object in a process of its own (`trawl job probe`) and says whether that
    /// process lived. A resumed run probes each object that was in hand when its previous
    /// attempt died: one that kills the probe too is recorded SKIPPED at once, so the run
    /// completes instead of dying on it again. Nil: suspects are read in this process.
    public var isolate: (@Sendable (ObjectRef) -> Bool)?

    public init(store: JobStore, workers: Int, pid: Int32 = getpid(), now: @escaping @Sendable () -> Date = { Date() })
    {
        self.store = store
        self.workers = workers
        self.pid = pid
        self.now = now
    }

    public struct Options {
        /// What started the run.
        public var trigger = RunTrigger.manual
        /// The schedule occurrence this run is for (daemon); moves the job's anchor.
        public var scheduledFor: Date?
        /// Analyse every object in scope, not only new and changed ones.
        public var full = false
        /// Run even if the estimate is over the job's budgets.
        public var ignoreBudget = false
        public init() {}
    }

    /// What the caller shows while a run goes (the CLI prints; tests ignore).
    public struct Events {
        public var started: (RunRecord, _ resumed: Bool) -> Void = { _, _ in }
        /// A store could not keep the run's report model (the run itself is recorded).
        public var warning: (String) -> Void = { _ in }
        public var planned: (IncrementalPlan) -> Void = { _ in }
        public var estimated: (EstimateReport) -> Void = { _ in }
        /// The sink that also receives every result (the CLI's findings output and summary).
        public var output: ResultSink?
        public init() {}
    }

    public struct Outcome {
        public var run: RunRecord
        public var plan: IncrementalPlan
        public var estimate: EstimateReport?
        public var resumed: Bool
    }

    /// Runs `name`. Throws `JobError` for what stops a run before it starts (unknown,
    /// cancelled, paused, locked, unusable source).
    public func run(
        _ name: String, options: Options = Options(), cancellation: Cancellation = Cancellation(),
        events: Events = Events()
    ) throws -> Outcome {
        let job = try store.job(named: name)
        switch job.userStatus {
        case .cancelled: throw JobError.notRunnable("job \(name) is cancelled (final); it no longer runs")
        case .userPaused: throw JobError.notRunnable("job \(name) is paused; run `trawl job resume \(name)` first")
        case .active: break
        }
        let definition = job.definition
        let scope = try definition.scope.scope()
        let detector: Detector
        do {
            detector = try definition.detector()
        } catch {
            throw JobError.invalid("job \(name): \(error.description)")
        }

        try store.lock(job, pid: pid, now: now())
        defer { try? store.unlock(job, pid: pid) }

        let hasRuns = try !store.runs(of: job).isEmpty
        let kind: RunKind = options.full || (!hasRuns && definition.initialRun) ? .full : .incremental
        let (run, resumed) = try store.beginRun(
            job: job, kind: kind, trigger: options.trigger, scheduledFor: options.scheduledFor, pid: pid, now: now())
        events.started(run, resumed)
        do {
            return try execute(
                job: job, run: run, resumed: resumed, scope: scope, detector: detector, options: options,
                cancellation: cancellation, events: events)
        } catch {
            // Whatever stopped the run, it must not stay RUNNING: what was recorded is its checkpoint.
            try? store.finishRunIfRunning(
                run.id, status: .interrupted, message: "stopped by an error: \(error)", now: now())
            throw error
        }
    }

    func execute(
        job: JobRecord, run: RunRecord, resumed: Bool, scope: Scope, detector: Detector, options: Options,
        cancellation: Cancellation, events: Events
    ) throws -> Outcome {
        let name = job.name
        let definition = job.definition
        // List the included buckets whole (object scoping is applied by the plan, so objects
        // outside the scope are not mistaken for deleted ones).
        let session: ScanSession
        let listing: SourceListing
        do {
            session = try Self.session(definition, opener: opener, scope: scope, detector: detector, workers: workers)
            listing = try session.list(scope: scope.bucketsOnly)
        } catch {
            let message = "the source cannot be listed: \(error)"
            try store.finishRun(run.id, status: .failed, message: message, now: now())
            throw JobError.state("job \(name): \(message)")
        }

        // What a dead attempt had in hand: skipped if it died twice with it, else read alone first.
        let review =
            resumed
            ? try store.reviewInHand(runId: run.id, jobId: job.id, listed: listing.inScope) : JobStore.CrashReview()
        for object in review.skipped {
            events.warning(
                "s3://\(object.bucket)/\(object.key): \(JobStore.crashedTwiceMessage) (\(JobStore.crashedTwiceReason.rawValue))"
            )
        }
        let plan = IncrementalPlan(
            listing: listing.inScope, states: try store.objectStates(jobId: job.id), scope: scope, runId: run.id,
            full: run.kind == .full)
        events.planned(plan)

        // The estimate, stored and shown before anything is read.
        let report = session.estimate(listing, inScope: plan.candidates, selected: plan.toClassify)
        try store.recordPlan(
            run: run, jobId: job.id, plan: plan, estimateJSON: canonicalJSON(report),
            estimatedBytes: report.classifiableUncompressedBytes,
            estimatedUSD: report.macie.usd, resumed: resumed)
        events.estimated(report)

        if !options.ignoreBudget, let over = Self.overBudget(report, definition: definition) {
            try store.finishRun(run.id, status: .paused, message: over, now: now())
            return Outcome(run: try store.run(id: run.id), plan: plan, estimate: report, resumed: resumed)
        }
        try store.recordSeen(run: run, jobId: job.id, plan: plan)

        let context = FindingContext(
            accountId: "000000000000", region: definition.region, jobId: job.macieJobId, createdAt: now())
        // The run's report model, kept for `trawl report` (HTML with the job's trend).
        let collector = ScanReportCollector(
            source: definition.source, jobId: context.jobId, generatedAt: context.createdAt,
            locationsPerType: context.occurrencesPerFinding)
        collector.setScope(plan.candidates)
        let sink = JobSink(
            store: store, run: run, jobId: job.id, jobName: job.name, context: context,
            rules: try store.suppressionRules(),
            output: events.output, collector: collector, cancellation: cancellation, batchSize: batchSize,
            batchInterval: batchInterval, delay: testOnlyDelayPerObject, now: now)
        sink.beforeAnalyze = testOnlyBeforeAnalyze
        for object in review.skipped { try sink.show(.crashedTwice(object)) }
        // Entries that could not be listed count as errors of this run.
        sink.listingErrors = listing.problems.count

        var failure: (any Error)?
        do {
            // Suspects first, each alone and recorded before the next, so that a death among
            // them points at one object.
            let (suspects, others) = plan.toClassify.partitioned { review.suspects.contains(ObjectKey($0)) }
            var alone = session
            alone.workers = 1
            var quietListing = listing
            quietListing.problems = []
            sink.upcoming = []
            for suspect in suspects where !cancellation.isCancelled && failure == nil {
                if review.crashed.contains(ObjectKey(suspect)), let isolate, !isolate(suspect) {
                    // It killed the previous attempt and now a process of its own: never again.
                    try sink.consume(.crashedTwice(suspect))
                    try sink.flush()
                    events.warning(
                        "s3://\(suspect.bucket)/\(suspect.key): \(JobStore.crashedTwiceMessage) (\(JobStore.crashedTwiceReason.rawValue))"
                    )
                    continue
                }
                failure = try alone.run(quietListing, objects: [suspect], sink: sink, cancellation: cancellation)
                    .sinkError
                if failure == nil { try sink.flush() }
            }
            if failure == nil {
                // Roughly the order the workers take them: largest first.
                sink.upcoming = others.sorted { $0.size > $1.size }
                let outcome = try session.run(
                    listing, objects: others, sink: sink,
                    problemsSink: ProblemsSink(collector: collector, output: events.output),
                    cancellation: cancellation)
                failure = outcome.sinkError
            }
        } catch {
            failure = error
        }
        do {
            try sink.flush()
        } catch {
            if failure == nil { failure = error }
        }

        let status: RunStatus
        var message: String?
        if let failure {
            // The checkpoint holds what was recorded; the next run resumes from it.
            status = .interrupted
            message = "stopped by an error: \(failure)"
        } else if let stop = sink.stoppedBy {
            status = stop == .cancelled ? .cancelled : .userPaused
            message =
                stop == .cancelled ? "cancelled by the user" : "paused by the user; resumes after `trawl job resume`"
        } else if cancellation.isCancelled {
            status = .interrupted
            message = "stopped by a signal; resumes from its checkpoint"
        } else {
            status = .complete
        }
        try store.finishRun(run.id, status: status, message: message, now: now())
        saveReport(
            collector, estimate: report, run: run, name: name, interrupted: status == .interrupted, events: events)
        if let failure, let jobError = failure as? JobError { throw jobError }
        return Outcome(run: try store.run(id: run.id), plan: plan, estimate: report, resumed: resumed)
    }

    /// Keeps the run's report model in the store; a failure to keep it is a warning, not a failed run.
    func saveReport(
        _ collector: ScanReportCollector, estimate: EstimateReport, run: RunRecord, name: String, interrupted: Bool,
        events: Events
    ) {
        var report = collector.report(
            estimate: EstimateSnapshot(estimate), exposure: [:], elapsedSeconds: nil, interrupted: interrupted)
        report.title = "trawl job \(name), run #\(run.number)"
        do {
            let data = try JSONEncoder().encode(report)
            try store.saveReport(runId: run.id, json: String(decoding: data, as: UTF8.self))
        } catch {
            events.warning("run #\(run.number) of job \(name): its report could not be stored: \(error)")
        }
    }

    /// The scan session of a definition.
    static func session(
        _ definition: JobDefinition, opener: StoreOpener, scope: Scope, detector: Detector, workers: Int
    ) throws -> ScanSession {
        let store = try opener.open(definition.source, bucket: definition.bucket)
        return ScanSession(store: store, scope: scope, detector: detector, workers: workers, region: definition.region)
    }

    /// Why the estimate is over the job's budgets, or nil.
    static func overBudget(_ report: EstimateReport, definition: JobDefinition) -> String? {
        let gate = CostGate(maxCostUSD: definition.maxCostUSD, maxBytes: definition.maxBytes)
        guard let over = gate.overLimit(report) else { return nil }
        return
            "paused: \(over) (the job's maxCostUSD / maxBytes); raise it (trawl job apply) or run with --ignore-budget"
    }
}

/// Receives the runner's results (one at a time) and records them in batches: one write
/// transaction per batch is the run's checkpoint.
final class JobSink: ResultSink {
    let store: JobStore
    let run: RunRecord
    let jobId: Int64
    let jobName: String
    let context: FindingContext
    let rules: [FindingFilter]
    let output: ResultSink?
    let collector: ScanReportCollector
    let cancellation: Cancellation
    let batchSize: Int
    let batchInterval: TimeInterval
    let delay: TimeInterval
    let now: @Sendable () -> Date
    var listingErrors = 0
    /// Test only: see `JobRunner.testOnlyBeforeAnalyze`.
    var beforeAnalyze: (@Sendable (ObjectRef) -> Void)?
    /// Objects recorded as in hand by this process (a split object is announced once).
    private var announced = Set<ObjectKey>()
    /// The objects the workers are expected to take next. An object taken is announced with
    /// the next few of these, one write for many objects; announcing one early only makes it
    /// a suspect, read alone, should the process die. Empty while suspects are read.
    var upcoming: [ObjectRef] = [] {
        didSet { nextUpcoming = 0 }
    }
    private var nextUpcoming = 0
    static let announcedAhead = 31
    /// The first failure to record an object as in hand; the next `consume` throws it.
    private var inHandError: (any Error)?
    private var pending: [JobStore.ClassifiedObject] = []
    private lazy var lastFlush = now()
    /// Set when the user paused or cancelled the job while this run went on.
    private(set) var stoppedBy: JobUserStatus?

    init(
        store: JobStore, run: RunRecord, jobId: Int64, jobName: String, context: FindingContext, rules: [FindingFilter],
        output: ResultSink?,
        collector: ScanReportCollector, cancellation: Cancellation, batchSize: Int, batchInterval: TimeInterval,
        delay: TimeInterval,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.run = run
        self.jobId = jobId
        self.jobName = jobName
        self.context = context
        self.rules = rules
        self.output = output
        self.collector = collector
        self.cancellation = cancellation
        self.batchSize = max(1, batchSize)
        self.batchInterval = batchInterval
        self.delay = delay
        self.now = now
    }

    func willAnalyze(_ object: ObjectRef) {
        if announced.insert(ObjectKey(object)).inserted && inHandError == nil {
            var batch = [object]
            while batch.count <= Self.announcedAhead && nextUpcoming < upcoming.count {
                let next = upcoming[nextUpcoming]
                nextUpcoming += 1
                if announced.insert(ObjectKey(next)).inserted { batch.append(next) }
            }
            do {
                try store.markInHand(runId: run.id, objects: batch)
            } catch {
                inHandError = error
            }
        }
        beforeAnalyze?(object)
    }

    /// Shows a result already recorded in the store (the report and the caller's output).
    func show(_ result: ObjectResult) throws {
        collector.add(result)
        try output?.consume(result)
    }

    func consume(_ result: ObjectResult) throws {
        if let inHandError { throw inHandError }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        var finding: JobStore.StoredFinding?
        var shown = result
        if let json = MacieJSON.finding(result, context: context), let type = result.findingType,
            let severity = result.severity
        {
            let identifiers = result.reportable.map(\.info.id).joined(separator: ",")
            let candidate = FindingFilter.Candidate(
                job: jobName, bucket: result.object.bucket, key: result.object.key, type: type,
                severity: severity.label, identifiers: identifiers)
            let archived = rules.contains { $0.matches(candidate) }
            var stored = json
            stored["archived"] = archived
            finding = .init(
                type: type, severity: severity.label, identifiers: identifiers, json: MacieJSON.line(stored),
                archived: archived)
            // A suppressed finding is kept (archived) but not reported.
            if archived { shown.detections = [] }
        }
        // Objects that could not be read are not recorded as classified: the next run retries them.
        let isError = result.reason.map(ScanSummary.errorReasons.contains) ?? false
        pending.append(
            .init(
                object: result.object, status: result.status, reason: result.reason,
                bytesClassified: result.sizeClassified, isError: isError,
                finding: finding))
        try show(shown)
        if pending.count >= batchSize || now().timeIntervalSince(lastFlush) >= batchInterval { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty || listingErrors > 0 else { return }
        let status = try store.recordBatch(
            run: run, jobId: jobId, objects: pending, extraErrors: listingErrors, now: now())
        pending.removeAll(keepingCapacity: true)
        listingErrors = 0
        lastFlush = now()
        if status != .active && stoppedBy == nil {
            stoppedBy = status
            cancellation.cancel()
        }
    }
}

extension JobRunner {
    /// Reads `bucket`/`key` of job `name` as a run would, in this process (the body of `trawl job
    /// probe`, which a resumed run starts to see whether an object kills trawl). Throws
    /// `JobError` when the object is not in the job's source any more.
    public func probe(_ name: String, bucket: String, key: String) throws -> ObjectResult {
        let job = try store.job(named: name)
        let definition = job.definition
        var scope = try definition.scope.scope().bucketsOnly
        scope.buckets = [bucket]
        let session = try Self.session(
            definition, opener: opener, scope: scope, detector: try definition.detector(), workers: 1)
        var found: ObjectRef?
        try session.store.listObjects(
            in: [bucket],
            object: { object in
                if object.key == key { found = object }
                return found == nil
            }, problem: { _ in })
        guard let object = found else {
            throw JobError.state("job \(name): \(bucket)/\(key) is not in its source any more")
        }
        testOnlyBeforeAnalyze?(object)
        let reader = session.store.reader(for: [object])
        return Analyzer(detector: session.detector, settings: session.settings).analyze(object, bytes: reader(object))
    }

    /// Lists every object of the definition's included buckets (object scoping left to the
    /// plan): the baseline of a job created with `initialRun: false`.
    public static func baseline(_ definition: JobDefinition, opener: StoreOpener = StoreOpener()) throws -> [ObjectRef]
    {
        let scope = try definition.scope.scope()
        let store = try opener.open(definition.source, bucket: definition.bucket)
        return try SourceListing.list(store, scope: scope.bucketsOnly).inScope
    }
}

/// The listing's problems: they are not objects of the run's checkpoint, but the report and
/// the caller's output show them.
final class ProblemsSink: ResultSink {
    let collector: ScanReportCollector
    let output: ResultSink?
    init(collector: ScanReportCollector, output: ResultSink?) {
        self.collector = collector
        self.output = output
    }
    func consume(_ result: ObjectResult) throws {
        collector.add(result)
        try output?.consume(result)
    }
}

extension Array {
    /// The elements that satisfy `belongs` and the others, each in their original order.
    func partitioned(_ belongs: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        var matching: [Element] = []
        var others: [Element] = []
        for element in self {
            if belongs(element) { matching.append(element) } else { others.append(element) }
        }
        return (matching, others)
    }
}
