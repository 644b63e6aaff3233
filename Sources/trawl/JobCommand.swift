import ArgumentParser
import Foundation
import TrawlCore
import TrawlDetect
import TrawlJobs
import TrawlObjects
import TrawlS3

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "One-time and scheduled scans that are incremental, persistent and resumable.",
        discussion: """
            Jobs, their runs, per-object state and findings live in a SQLite store under the state \
            directory (--state DIR, else TRAWL_HOME, else ~/.trawl). Every run after the first reads only \
            objects that are new or changed since the preceding run. See docs/jobs.md.
            """,
        subcommands: [
            JobCreate.self, JobList.self, JobShow.self, JobHistory.self, JobRun.self, JobPause.self, JobResume.self,
            JobCancel.self, JobDelete.self, JobApply.self, JobExport.self, JobCron.self, JobSystemd.self, JobProbe.self,
        ])
}

/// Where the job store lives.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: "State directory (default: $TRAWL_HOME, else ~/.trawl).")
    var state: String?

    var directory: String {
        URL(fileURLWithPath: JobStore.stateDirectory(state)).standardizedFileURL.path
    }

    func open() throws -> JobStore { try JobStore(directory: directory) }
}

/// Exit status when a job is locked by another process (EX_TEMPFAIL: try again later).
let lockedExitStatus: Int32 = 75

/// Runs a command body, turning the errors users can act on into messages and exit codes.
func withJobErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch let error as JobError {
        switch error {
        case .locked: throw fail(error.description, code: lockedExitStatus)
        case .state: throw fail(error.description, code: ExitStatus.errors)
        default: throw fail(error.description)
        }
    } catch let error where usageMessage(error) != nil {
        throw fail(usageMessage(error)!)
    }
    if status != 0 { throw ExitCode(status) }
}

/// Checks that a job's SOURCE can be opened, without listing it (an `s3://` URL is only parsed:
/// credentials may be the daemon's, not this shell's).
func checkSource(_ definition: JobDefinition) throws {
    if definition.source.hasPrefix("s3://") {
        do {
            _ = try S3Location.parse(definition.source)
        } catch {
            throw UsageError(error.description)
        }
        return
    }
    _ = try StoreOpener().open(definition.source, bucket: definition.bucket)
}

/// Opens sources with the S3 settings of the environment (AWS_PROFILE, AWS_ENDPOINT_URL_S3...).
func defaultOpener() throws -> StoreOpener {
    try S3Options.parse([]).storeOpener(region: nil)
}

func absoluteSource(_ source: String) -> String {
    source.contains("://") ? source : URL(fileURLWithPath: source).standardizedFileURL.path
}

struct JobCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a job (Macie's CreateClassificationJob), without running it.",
        discussion: """
            --schedule: \(Schedule.forms). Times are in --timezone (default: this machine's). \
            A monthly job on day 29-31 does not run in months without that day (Macie). \
            --no-initial-run records the objects present now, so the first run reads only objects \
            created or changed after this command.
            """)

    @Argument(help: "Job name: letters, digits, '.', '_' or '-'.")
    var name: String

    @Argument(help: "A directory of buckets (or one bucket with --bucket).")
    var source: String

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var detection: DetectionOptions
    @OptionGroup var stateOptions: StateOptions

    @Option(
        name: .customLong("schedule"), help: "once (default), daily[@HH:MM], weekly:DAY[@HH:MM] or monthly:N[@HH:MM].")
    var schedule: String = "once"

    @Option(name: .customLong("timezone"), help: "IANA time zone of the schedule (default: this machine's).")
    var timezone: String = TimeZone.current.identifier

    @Flag(
        inversion: .prefixedNo,
        help: "Whether the first run analyses existing objects (Macie's initialRun; default yes).")
    var initialRun = true

    @Option(
        name: .customLong("max-cost"),
        help: "Budget per run: a run whose estimated Macie charge is over this many USD is PAUSED instead.")
    var maxCost: Double?

    @Option(
        name: .customLong("max-bytes"),
        help: "Budget per run: a run with more bytes to analyse than this (K/M/G suffixes) is PAUSED instead.")
    var maxBytes: String?

    @Option(name: .customLong("region"), help: "Region whose Macie prices the estimates use (default us-east-1).")
    var region: String = "us-east-1"

    func run() throws {
        try withJobErrors {
            var definition = JobDefinition(
                name: name, source: absoluteSource(source), bucket: scope.singleBucket, schedule: schedule,
                timezone: timezone,
                initialRun: initialRun, scope: ScopeSpec(try scope.scope()), identifiers: detection.identifiers,
                excludeIdentifiers: detection.excludeIdentifiers,
                patterns: detection.patternsDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                customIdentifiers: try detection.customFiles.map { try JobDefinition.storedFile($0) },
                allowLists: try detection.allowListFiles.map { try JobDefinition.storedFile($0) },
                allowRegexes: detection.allowRegexes,
                maxCostUSD: maxCost, maxBytes: try maxBytes.map { try parseSize($0, flag: "--max-bytes") },
                region: region)
            definition = try definition.validated()
            _ = try definition.detector()
            try checkSource(definition)
            let store = try stateOptions.open()
            let baseline = definition.initialRun ? nil : try JobRunner.baseline(definition, opener: try defaultOpener())
            let job = try store.createJob(definition, now: Date(), baseline: baseline)
            print(
                "created job \(job.name): \(try definition.parsedSchedule.jobType.lowercased().replacingOccurrences(of: "_", with: "-")), \(definition.schedule) (\(definition.timezone))"
            )
            if let baseline {
                print(
                    "  baseline: \(baseline.count) existing objects recorded; the first run reads only new and changed ones"
                )
            }
            let next = Scheduler.nextRun(job, runs: [], now: Date())
            print(
                "  next run: \(next.map { formatDate($0, zone: try? definition.timeZone) } ?? "-") with `trawl daemon`; now with `trawl job run \(job.name)`"
            )
            return 0
        }
    }
}

struct JobList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs with their status, last and next run.")

    @OptionGroup var stateOptions: StateOptions

    @Option(name: .customLong("format"), help: "text (default) or json.")
    var format: OutputFormat = .text

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            try store.reapOrphanedRuns(now: Date())
            let now = Date()
            var rows: [[String: Any]] = []
            for job in try store.jobs() {
                let runs = try store.runs(of: job)
                let zone = try? job.definition.timeZone
                rows.append([
                    "name": job.name, "jobType": (try? job.definition.parsedSchedule.jobType) ?? "",
                    "schedule": job.definition.schedule,
                    "timezone": job.definition.timezone, "status": Scheduler.status(job, runs: runs),
                    "revision": job.revision,
                    "runs": runs.count, "lastRun": runs.last.map { formatDate($0.startedAt, zone: zone) } ?? NSNull(),
                    "nextRun": Scheduler.nextRun(job, runs: runs, now: now).map { formatDate($0, zone: zone) }
                        ?? NSNull(),
                ])
            }
            if format == .json {
                print(
                    String(
                        decoding: try JSONSerialization.data(
                            withJSONObject: rows, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
                return 0
            }
            if rows.isEmpty {
                print("no jobs (create one with trawl job create or trawl job apply)")
                return 0
            }
            let header = ["NAME", "STATUS", "SCHEDULE", "TIMEZONE", "REV", "RUNS", "LAST RUN", "NEXT RUN"]
            let table = rows.map { row in
                [
                    row["name"], row["status"], row["schedule"], row["timezone"], row["revision"], row["runs"],
                    row["lastRun"], row["nextRun"],
                ]
                .map { value -> String in value is NSNull ? "-" : "\(value ?? "-")" }
            }
            print(renderTable(header: header, rows: table), terminator: "")
            return 0
        }
    }
}

func renderTable(header: [String], rows: [[String]]) -> String {
    let rows = rows.map { $0.map(UntrustedText.forTerminal) }
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }
        .joined(separator: "  ") + "\n"
    }
    return line(header) + rows.map(line).joined()
}

struct JobShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a job's definition, status, objects and last run.")

    @Argument(help: "Job name.")
    var name: String

    @OptionGroup var stateOptions: StateOptions

    @Option(name: .customLong("format"), help: "text (default) or json.")
    var format: OutputFormat = .text

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            try store.reapOrphanedRuns(now: Date())
            let job = try store.job(named: name)
            let runs = try store.runs(of: job)
            let counts = try store.objectCounts(jobId: job.id)
            let zone = try? job.definition.timeZone
            let next = Scheduler.nextRun(job, runs: runs, now: Date())
            if format == .json {
                var object: [String: Any] = [
                    "name": job.name, "jobId": job.macieJobId, "createdAt": formatDate(job.createdAt, zone: zone),
                    "revision": job.revision,
                    "status": Scheduler.status(job, runs: runs),
                    "nextRun": next.map { formatDate($0, zone: zone) } ?? NSNull(),
                    "objects": counts, "statistics": ["numberOfRuns": runs.count],
                ]
                object["definition"] = try JSONSerialization.jsonObject(
                    with: JSONEncoder().encode(JobsFile.Entry(job.definition)))
                if let last = runs.last { object["lastRun"] = runJSON(last, zone: zone) }
                print(
                    String(
                        decoding: try JSONSerialization.data(
                            withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
                return 0
            }
            let d = job.definition
            var out =
                "job \(job.name)  (\(Scheduler.status(job, runs: runs)); revision \(job.revision); job id \(job.macieJobId))\n"
            out +=
                "  source        " + UntrustedText.forTerminal("\(d.source)\(d.bucket.map { " (bucket \($0))" } ?? "")")
                + "\n"
            out +=
                "  schedule      \((try? d.parsedSchedule.jobType) ?? "") \(d.schedule) \(d.timezone); initial run: \(d.initialRun ? "existing objects" : "new objects only")\n"
            out += "  created       \(formatDate(job.createdAt, zone: zone))\n"
            out += "  next run      \(next.map { formatDate($0, zone: zone) } ?? "-")\n"
            out +=
                "  identifiers   \(d.identifiers)\(d.excludeIdentifiers.map { " minus \($0)" } ?? "")"
                + "\(d.customIdentifiers.isEmpty ? "" : "; \(d.customIdentifiers.count) custom file(s)")"
                + "\(d.allowLists.isEmpty && d.allowRegexes.isEmpty ? "" : "; \(d.allowLists.count) allow list(s), \(d.allowRegexes.count) allow regex(es)")\n"
            if d.maxCostUSD != nil || d.maxBytes != nil {
                out +=
                    "  budgets       \(d.maxCostUSD.map { "$\($0)" } ?? "-") per run, \(d.maxBytes.map { formatBytes($0) } ?? "-") per run\n"
            }
            out +=
                "  objects       "
                + (counts.isEmpty
                    ? "none recorded"
                    : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.lowercased())" }.joined(
                        separator: ", ")) + "\n"
            out += "  runs          \(runs.count)\n"
            if let last = runs.last {
                out +=
                    "  last run      #\(last.number) \(last.status.rawValue) \(formatDate(last.startedAt, zone: zone)): \(last.classified) classified, \(last.findings) finding(s), \(last.errors) error(s)\n"
                if let message = last.message { out += "                \(UntrustedText.forTerminal(message))\n" }
            }
            print(out, terminator: "")
            return 0
        }
    }
}

func runJSON(_ run: RunRecord, zone: TimeZone?) -> [String: Any] {
    [
        "number": run.number, "revision": run.revision, "kind": run.kind.rawValue, "trigger": run.trigger.rawValue,
        "status": run.status.rawValue,
        "scheduledFor": run.scheduledFor.map { formatDate($0, zone: zone) } ?? NSNull(),
        "startedAt": formatDate(run.startedAt, zone: zone),
        "endedAt": run.endedAt.map { formatDate($0, zone: zone) } ?? NSNull(), "attempts": run.attempts,
        "newObjects": run.newObjects, "changedObjects": run.changedObjects, "unchangedObjects": run.unchangedObjects,
        "deletedObjects": run.deletedObjects, "notSampled": run.notSampled, "planned": run.planned,
        "classified": run.classified,
        "estimatedBytes": run.estimatedBytes ?? NSNull(), "estimatedUSD": run.estimatedUSD ?? NSNull(),
        "bytesClassified": run.bytesClassified,
        "findings": run.findings, "suppressed": run.suppressed, "errors": run.errors,
        "message": run.message ?? NSNull(),
    ]
}

struct JobHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a job's runs and revisions.")

    @Argument(help: "Job name.")
    var name: String

    @OptionGroup var stateOptions: StateOptions

    @Option(name: .customLong("format"), help: "text (default) or json.")
    var format: OutputFormat = .text

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            try store.reapOrphanedRuns(now: Date())
            let job = try store.job(named: name)
            let runs = try store.runs(of: job)
            let revisions = try store.revisions(of: job)
            let zone = try? job.definition.timeZone
            if format == .json {
                let object: [String: Any] = [
                    "runs": runs.map { runJSON($0, zone: zone) },
                    "revisions": revisions.map {
                        [
                            "revision": $0.revision, "createdAt": formatDate($0.createdAt, zone: zone),
                            "changed": $0.changed,
                        ] as [String: Any]
                    },
                ]
                print(
                    String(
                        decoding: try JSONSerialization.data(
                            withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
                return 0
            }
            print("revisions")
            for revision in revisions {
                print("  \(revision.revision)  \(formatDate(revision.createdAt, zone: zone))  \(revision.changed)")
            }
            if runs.isEmpty {
                print("runs: none yet")
                return 0
            }
            print("runs")
            let header = [
                "RUN", "REV", "STATUS", "KIND", "STARTED", "NEW", "CHANGED", "UNCHANGED", "DELETED", "READ",
                "EST. BYTES", "BYTES", "EST. USD", "FINDINGS", "ERRORS",
            ]
            let rows = runs.map { run in
                [
                    "#\(run.number)", "\(run.revision)",
                    run.status.rawValue + (run.attempts > 1 ? " (\(run.attempts) attempts)" : ""), run.kind.rawValue,
                    formatDate(run.startedAt, zone: zone), "\(run.newObjects)", "\(run.changedObjects)",
                    "\(run.unchangedObjects)",
                    "\(run.deletedObjects)", "\(run.classified)/\(run.planned)",
                    run.estimatedBytes.map(formatBytes) ?? "-",
                    formatBytes(run.bytesClassified), run.estimatedUSD.map { String(format: "%.2f", $0) } ?? "-",
                    "\(run.findings)" + (run.suppressed > 0 ? " (+\(run.suppressed) suppressed)" : ""), "\(run.errors)",
                ]
            }
            print(renderTable(header: header, rows: rows), terminator: "")
            for run in runs { if let message = run.message { print("  #\(run.number): \(message)") } }
            return 0
        }
    }
}

struct JobPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract:
            "Pause a job (Macie's USER_PAUSED): it is not run until resumed; a run in progress stops at its next checkpoint."
    )
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions
    func run() throws {
        try withJobErrors {
            try stateOptions.open().setUserStatus(name, to: .userPaused)
            print("paused job \(name); resume it with trawl job resume \(name)")
            return 0
        }
    }
}

struct JobResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused job: its schedule applies again and a stopped run continues where it stopped.")
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions
    func run() throws {
        try withJobErrors {
            try stateOptions.open().setUserStatus(name, to: .active)
            print("resumed job \(name)")
            return 0
        }
    }
}

struct JobCancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job (final, as in Macie): it never runs again; its history and findings stay.")
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions
    func run() throws {
        try withJobErrors {
            try stateOptions.open().setUserStatus(name, to: .cancelled)
            print("cancelled job \(name)")
            return 0
        }
    }
}

struct JobDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a job with its revisions, runs, object state and findings.")
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions
    func run() throws {
        try withJobErrors {
            try stateOptions.open().deleteJob(name)
            print("deleted job \(name)")
            return 0
        }
    }
}

struct JobApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update jobs from a jobs file (JSON, see docs/jobs.md).",
        discussion: """
            A job whose definition changed gets a new revision; its runs, object state and findings \
            are kept, and its next run is still incremental. Jobs not in the file are left alone.
            """)

    @Argument(help: "A jobs file, as `trawl job export` writes.")
    var file: String

    @OptionGroup var stateOptions: StateOptions

    @Flag(name: .customLong("dry-run"), help: "Say what would change without changing anything.")
    var dryRun = false

    func run() throws {
        try withJobErrors {
            let jobsFile = try JobsFile.load(path: file)
            let base = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent()
            let definitions = try jobsFile.jobs.map { try $0.definition(base: base) }
            for definition in definitions { _ = try definition.detector() }
            let store = try stateOptions.open()
            let existing = Set(try store.jobs().map(\.name))
            for definition in definitions {
                if !existing.contains(definition.name) {
                    if dryRun {
                        print("would create \(definition.name)")
                        continue
                    }
                    try checkSource(definition)
                    let baseline =
                        definition.initialRun ? nil : try JobRunner.baseline(definition, opener: try defaultOpener())
                    _ = try store.createJob(definition, now: Date(), baseline: baseline)
                    print("created \(definition.name) (revision 1)")
                    continue
                }
                if dryRun {
                    let changed = definition.changedFields(from: try store.job(named: definition.name).definition)
                    print(
                        changed.isEmpty
                            ? "unchanged \(definition.name)"
                            : "would update \(definition.name): \(changed.joined(separator: ", "))")
                    continue
                }
                switch try store.update(definition, now: Date()) {
                case .created(let job): print("created \(job.name) (revision 1)")
                case .updated(let job, let changed):
                    print("updated \(job.name): revision \(job.revision) (\(changed.joined(separator: ", ")) changed)")
                case .unchanged(let job): print("unchanged \(job.name) (revision \(job.revision))")
                }
            }
            return 0
        }
    }
}

struct JobExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write jobs as a jobs file (JSON) that `trawl job apply` accepts.")

    @Argument(help: "Jobs to export (default: all).")
    var names: [String] = []

    @OptionGroup var stateOptions: StateOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write here instead of standard output.")
    var output: String?

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            let jobs = names.isEmpty ? try store.jobs() : try names.map { try store.job(named: $0) }
            let text = JobsFile(jobs: jobs.map { JobsFile.Entry($0.definition) }).text()
            if let output, output != "-" {
                guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                    throw UsageError("cannot write \(output)")
                }
            } else {
                print(text, terminator: "")
            }
            return 0
        }
    }
}
