import Foundation
import Testing
import TrawlCore
import TrawlObjects
import TrawlReport
import TrawlTestSupport

@testable import TrawlJobs

/// A temporary bucket tree and state directory.
final class Fixture {
    let root: URL
    var source: URL { root.appendingPathComponent("src") }
    var state: URL { root.appendingPathComponent("state") }

    init() throws {
        root = try TemporaryDirectory.make("jobs")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
    }

    deinit { TemporaryDirectory.remove(root) }

    /// Writes a file and sets its modification time (so a rewrite is a change even within a second).
    func write(_ path: String, _ text: String, modified: Date = Date()) throws {
        let url = source.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: source.appendingPathComponent(path)) }

    func store() throws -> JobStore { try JobStore(directory: state.path) }

    func definition(_ name: String = "nightly", schedule: String = "daily@02:00", initialRun: Bool = true)
        -> JobDefinition
    {
        JobDefinition(name: name, source: source.path, schedule: schedule, timezone: "UTC", initialRun: initialRun)
    }
}

let ssnText = "name,ssn\nJohn Smith,123-45-6789\n"

/// Collects the keys a run read.
final class Recorder: ResultSink {
    var keys: [String] = []
    var cancelAfter: Int?
    var cancellation: Cancellation?
    func consume(_ result: ObjectResult) throws {
        keys.append(result.object.bucket + "/" + result.object.key)
        if let cancelAfter, keys.count >= cancelAfter { cancellation?.cancel() }
    }
}

func runJob(
    _ store: JobStore, _ name: String = "nightly", options: JobRunner.Options = .init(), batchSize: Int = 64,
    recorder: Recorder = Recorder(), cancellation: Cancellation = Cancellation()
) throws -> (JobRunner.Outcome, [String]) {
    var runner = JobRunner(store: store, workers: 1)
    runner.batchSize = batchSize
    var events = JobRunner.Events()
    events.output = recorder
    let outcome = try runner.run(name, options: options, cancellation: cancellation, events: events)
    return (outcome, recorder.keys.sorted())
}

@Suite(.serialized) struct IncrementalRunTests {
    @Test func laterRunsReadOnlyNewAndChangedObjectsAndNoteDeletedOnes() throws {
        let f = try Fixture()
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        try f.write("b1/people.csv", ssnText, modified: old)
        try f.write("b1/notes.txt", "nothing here\n", modified: old)
        try f.write("b2/keep.txt", "still nothing\n", modified: old)
        let store = try f.store()
        try store.createJob(f.definition(), now: Date())

        let (first, read1) = try runJob(store)
        #expect(first.run.status == .complete)
        #expect(first.run.kind == .full)
        #expect(read1 == ["b1/notes.txt", "b1/people.csv", "b2/keep.txt"])
        #expect(first.run.findings == 1)

        let (second, read2) = try runJob(store)
        #expect(read2.isEmpty)
        #expect(second.run.unchangedObjects == 3)

        // New, changed (same size, older time: clock skew), deleted, unchanged.
        try f.write("b2/new.csv", ssnText, modified: old)
        try f.write("b1/notes.txt", "nothing HERE\n", modified: old.addingTimeInterval(-3600))
        try f.remove("b2/keep.txt")
        let (third, read3) = try runJob(store)
        #expect(read3 == ["b1/notes.txt", "b2/new.csv"])
        #expect(third.run.newObjects == 1)
        #expect(third.run.changedObjects == 1)
        #expect(third.run.unchangedObjects == 1)
        #expect(third.run.deletedObjects == 1)
        #expect(third.run.findings == 1)
        #expect(try store.objectCounts(jobId: third.run.jobId)["DELETED"] == 1)

        // Findings are kept per run, none twice.
        let all = try store.findings(FindingFilter())
        #expect(all.map { "\($0.run) \($0.bucket)/\($0.key)" } == ["1 b1/people.csv", "3 b2/new.csv"])

        // A deleted object that comes back is new again.
        try f.write("b2/keep.txt", "still nothing\n", modified: old)
        let (_, read4) = try runJob(store)
        #expect(read4 == ["b2/keep.txt"])

        // --full reads everything in scope again.
        var full = JobRunner.Options()
        full.full = true
        let (_, read5) = try runJob(store, options: full)
        #expect(read5.count == 4)
    }

    @Test func noInitialRunSkipsObjectsPresentAtCreation() throws {
        let f = try Fixture()
        try f.write("b1/old.csv", ssnText)
        let store = try f.store()
        let definition = f.definition(initialRun: false)
        try store.createJob(definition, now: Date(), baseline: try JobRunner.baseline(definition))
        try f.write("b1/fresh.csv", ssnText)
        let (outcome, read) = try runJob(store)
        #expect(read == ["b1/fresh.csv"])
        #expect(outcome.run.kind == .incremental)
        #expect(outcome.run.unchangedObjects == 1)
    }

    @Test func anInterruptedRunResumesWithoutRereadingOrDuplicating() throws {
        let f = try Fixture()
        for index in 0..<12 { try f.write("b1/file\(index).csv", index % 2 == 0 ? ssnText : "clean\n") }
        let store = try f.store()
        try store.createJob(f.definition(), now: Date())

        let cancellation = Cancellation()
        let recorder = Recorder()
        recorder.cancelAfter = 5
        recorder.cancellation = cancellation
        let (stopped, firstPart) = try runJob(store, batchSize: 1, recorder: recorder, cancellation: cancellation)
        #expect(stopped.run.status == .interrupted)
        #expect(firstPart.count >= 5 && firstPart.count < 12)

        let (resumed, rest) = try runJob(store, batchSize: 1)
        #expect(resumed.resumed)
        #expect(resumed.run.id == stopped.run.id)
        #expect(resumed.run.status == .complete)
        #expect(resumed.run.attempts == 2)
        #expect(Set(firstPart).isDisjoint(with: rest))
        #expect(firstPart.count + rest.count == 12)
        #expect(resumed.run.classified == 12)
        let findings = try store.findings(FindingFilter())
        #expect(findings.count == 6)
        #expect(Set(findings.map(\.key)).count == 6)
    }

    @Test func aRunOverBudgetIsPausedBeforeReadingAnything() throws {
        let f = try Fixture()
        try f.write("b1/people.csv", ssnText)
        let store = try f.store()
        var definition = f.definition()
        definition.maxBytes = 5
        try store.createJob(definition, now: Date())
        let (paused, read) = try runJob(store)
        #expect(paused.run.status == .paused)
        #expect(read.isEmpty)
        #expect(paused.run.estimatedBytes == Int64(ssnText.utf8.count))
        #expect(paused.run.message?.contains("maxBytes") == true)
        // The same run goes on when allowed.
        var options = JobRunner.Options()
        options.ignoreBudget = true
        let (done, read2) = try runJob(store, options: options)
        #expect(done.run.id == paused.run.id)
        #expect(read2 == ["b1/people.csv"])
    }

    @Test func suppressionRulesArchiveLaterFindings() throws {
        let f = try Fixture()
        try f.write("b1/a.csv", ssnText)
        let store = try f.store()
        try store.createJob(f.definition(), now: Date())
        _ = try runJob(store)
        var filter = FindingFilter()
        filter.bucket = "b1"
        #expect(try store.archive(filter, saveRule: true, now: Date()) == 1)
        #expect(try store.findings(FindingFilter()).isEmpty)
        try f.write("b1/b.csv", ssnText)
        let (outcome, _) = try runJob(store)
        #expect(outcome.run.findings == 0)
        #expect(outcome.run.suppressed == 1)
        var archived = FindingFilter()
        archived.includeArchived = true
        #expect(try store.findings(archived).count == 2)
    }

    @Test func aSecondProcessIsRefusedAndAStaleLockIsTakenOver() throws {
        let f = try Fixture()
        let store = try f.store()
        let job = try store.createJob(f.definition(), now: Date())
        try store.lock(job, pid: 4242, now: Date(), isAlive: { _ in true })
        #expect(throws: JobError.self) { try store.lock(job, pid: 4343, now: Date(), isAlive: { _ in true }) }
        do {
            try store.lock(job, pid: 4343, now: Date(), isAlive: { _ in true })
        } catch {
            #expect("\(error)".contains("already running in process 4242"))
        }
        // The holder died: the lock is taken over.
        try store.lock(job, pid: 4343, now: Date(), isAlive: { _ in false })
        #expect(try store.job(named: "nightly").lockPid == 4343)
    }

    @Test func unknownJobsAndCancelledJobsSayWhy() throws {
        let f = try Fixture()
        let store = try f.store()
        #expect(throws: JobError.unknownJob("nope")) { try runJob(store, "nope") }
        try store.createJob(f.definition(), now: Date())
        try store.setUserStatus("nightly", to: .cancelled)
        #expect(throws: JobError.self) { try store.setUserStatus("nightly", to: .active) }
        #expect(throws: JobError.notRunnable("job nightly is cancelled (final); it no longer runs")) {
            try runJob(store)
        }
    }

    @Test func aDamagedDatabaseIsReportedNotReset() throws {
        let f = try Fixture()
        try FileManager.default.createDirectory(at: f.state, withIntermediateDirectories: true)
        let garbage = Data(repeating: 0x5A, count: 8192)
        try garbage.write(to: f.state.appendingPathComponent("trawl.sqlite"))
        #expect(throws: JobError.self) { try f.store() }
        #expect(try Data(contentsOf: f.state.appendingPathComponent("trawl.sqlite")) == garbage)
    }
}

@Suite struct SchedulerDueTests {
    func job(schedule: String, anchor: Date, userStatus: JobUserStatus = .active) -> JobRecord {
        JobRecord(
            id: 1, name: "j", macieJobId: "x", createdAt: anchor, revision: 1, userStatus: userStatus,
            scheduleAnchor: anchor,
            definition: JobDefinition(name: "j", source: "/tmp", schedule: schedule, timezone: "UTC"))
    }

    func run(_ status: RunStatus) -> RunRecord {
        RunRecord(
            id: 1, jobId: 1, number: 1, revision: 1, kind: .full, trigger: .daemon, status: status, startedAt: Date(),
            attempts: 1,
            newObjects: 0, changedObjects: 0, unchangedObjects: 0, deletedObjects: 0, notSampled: 0, planned: 0,
            classified: 0,
            bytesClassified: 0, findings: 0, suppressed: 0, errors: 0)
    }

    @Test func dueRules() {
        let created = utc("2024-01-01T12:00:00Z")
        let daily = job(schedule: "daily@02:00", anchor: created)
        #expect(Scheduler.due(daily, runs: [], now: utc("2024-01-02T01:59:00Z")) == nil)
        #expect(
            Scheduler.due(daily, runs: [], now: utc("2024-01-02T02:00:00Z")) == .scheduled(utc("2024-01-02T02:00:00Z")))
        // Off for a week: one run, for the latest occurrence.
        #expect(
            Scheduler.due(daily, runs: [], now: utc("2024-01-09T08:00:00Z")) == .scheduled(utc("2024-01-09T02:00:00Z")))
        #expect(Scheduler.nextRun(daily, runs: [], now: utc("2024-01-01T13:00:00Z")) == utc("2024-01-02T02:00:00Z"))
        // Interrupted runs resume at once; paused jobs never run.
        #expect(Scheduler.due(daily, runs: [run(.interrupted)], now: created) == .resume)
        #expect(
            Scheduler.due(
                job(schedule: "daily@02:00", anchor: created, userStatus: .userPaused), runs: [run(.interrupted)],
                now: utc("2024-02-01T00:00:00Z")) == nil)
        // One-time jobs run once.
        let once = job(schedule: "once", anchor: created)
        #expect(Scheduler.due(once, runs: [], now: created) == .firstRun)
        #expect(Scheduler.due(once, runs: [run(.complete)], now: utc("2025-01-01T00:00:00Z")) == nil)
        #expect(Scheduler.status(once, runs: [run(.complete)]) == "COMPLETE")
        #expect(Scheduler.status(daily, runs: [run(.complete)]) == "IDLE")
    }
}

@Suite struct JobsFileTests {
    @Test func applyRoundTripsAndAChangedDefinitionKeepsHistory() throws {
        let f = try Fixture()
        try f.write("b1/a.csv", ssnText)
        let allow = f.root.appendingPathComponent("allow.txt")
        try Data("Jane Doe\n".utf8).write(to: allow)
        let text = """
            {"jobs": [{"name": "nightly", "source": "src", "schedule": "weekly:mon@03:00", "timezone": "Europe/Paris",
                       "scope": {"includeExtensions": ["csv"]}, "allowLists": ["allow.txt"], "maxCostUSD": 2}]}
            """
        let path = f.root.appendingPathComponent("jobs.json")
        try Data(text.utf8).write(to: path)
        let file = try JobsFile.load(path: path.path)
        let definition = try file.jobs[0].definition(base: f.root)
        #expect(definition.source == f.source.standardizedFileURL.path)
        #expect(definition.schedule == "weekly:monday@03:00")
        #expect(definition.allowLists.first?.content == "Jane Doe\n")

        let store = try f.store()
        try store.createJob(definition, now: Date())
        _ = try runJob(store)

        // Export, then apply the export: nothing changes.
        let exported = JobsFile(jobs: try store.jobs().map { JobsFile.Entry($0.definition) })
        let exportPath = f.root.appendingPathComponent("export.json")
        try Data(exported.text().utf8).write(to: exportPath)
        let reread = try JobsFile.load(path: exportPath.path).jobs[0].definition(base: f.root)
        #expect(reread == definition)
        #expect(try store.update(reread, now: Date()) == .unchanged(try store.job(named: "nightly")))

        // A change of the allow list file's content and of the schedule: a new revision.
        try Data("Jane Doe\nJohn Smith\n".utf8).write(to: allow)
        var changed = try JobsFile.load(path: exportPath.path).jobs[0].definition(base: f.root)
        changed.schedule = "daily@04:00"
        guard case .updated(let job, let fields) = try store.update(changed, now: Date()) else {
            Issue.record("not updated")
            return
        }
        #expect(job.revision == 2)
        #expect(fields == ["schedule", "allowLists"])
        #expect(try store.revisions(of: job).count == 2)
        #expect(try store.runs(of: job).count == 1)
        // The next run is still incremental: nothing changed in the source.
        let (outcome, read) = try runJob(store)
        #expect(read.isEmpty)
        #expect(outcome.run.revision == 2)
    }

    @Test func badFilesSayWhereTheProblemIs() throws {
        let f = try Fixture()
        let path = f.root.appendingPathComponent("jobs.json")
        try Data(#"{"jobs": [{"name": "x"}]}"#.utf8).write(to: path)
        #expect(throws: JobError.invalid("\(path.path): missing \"source\" at .jobs[0]")) {
            try JobsFile.load(path: path.path)
        }
        try Data(#"{"jobs": [{"name": "x", "source": "src", "schedule": "hourly"}]}"#.utf8).write(to: path)
        let entry = try JobsFile.load(path: path.path).jobs[0]
        #expect(throws: JobError.self) { try entry.definition(base: f.root) }
    }
}
