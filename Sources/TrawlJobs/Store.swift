import Foundation
import GRDB
import TrawlCore
import TrawlObjects

#if canImport(Glibc)
    import Glibc
#endif

/// The job store: one SQLite database (`trawl.sqlite`) under the state directory, in WAL
/// mode, changed only through migrations.
///
/// Durability contract: a run records its results one batch per write transaction, so a
/// kill loses at most the batch in flight, and an object recorded as classified by a run is
/// never read again when that run resumes. Times are stored as seconds since 1970 (REAL).
public final class JobStore: Sendable {
    public let path: String
    let db: DatabaseQueue

    /// The state directory: `--state`, else `TRAWL_HOME`, else `~/.trawl`.
    public static func stateDirectory(
        _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let option, !option.isEmpty { return option }
        if let home = environment["TRAWL_HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".trawl").path
    }

    /// Opens (creating if needed) the store in `directory`. A damaged or foreign database
    /// is reported, never reset.
    public init(directory: String) throws(JobError) {
        do {
            // Private to the user: the store says where sensitive data is.
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JobError.state("cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        path = URL(fileURLWithPath: directory).appendingPathComponent("trawl.sqlite").path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "trawl.jobs"
        do {
            db = try DatabaseQueue(path: path, configuration: configuration)
            // SQLite gives the -wal and -shm files the database's own mode.
            chmod(path, 0o600)
            try Self.migrator.migrate(db)
            let check = try db.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
            guard check == "ok" else {
                throw JobError.state(Self.damaged(path, detail: check ?? "integrity check failed"))
            }
        } catch let error as JobError {
            throw error
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        } catch {
            throw JobError.state("cannot open the state database \(path): \(error)")
        }
    }

    static func damaged(_ path: String, detail: String) -> String {
        "the state database \(path) is damaged or not a trawl database (\(detail)); trawl left it untouched. "
            + "Move it away to start with an empty store, or restore it from a backup."
    }

    /// Maps SQLite errors to messages a user can act on (never with statement arguments).
    static func translate(_ error: DatabaseError, path: String) -> JobError {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .state(damaged(path, detail: error.message ?? "\(error.resultCode)"))
        case .SQLITE_FULL:
            return .state(
                "the disk holding \(path) is full; free some space and run the job again (it resumes where it stopped)")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return .state("cannot write the state database \(path): \(error.message ?? "permission denied")")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .state("the state database \(path) stayed busy; another trawl process holds it")
        default: return .state("state database error (\(error.resultCode)): \(error.message ?? "unknown")")
        }
    }

    /// Runs a write transaction, translating SQLite errors.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try db.write(body)
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try db.read(body)
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        macieJobId TEXT NOT NULL,
                        createdAt REAL NOT NULL,
                        revision INTEGER NOT NULL,
                        userStatus TEXT NOT NULL DEFAULT 'ACTIVE',
                        scheduleAnchor REAL NOT NULL,
                        lockPid INTEGER,
                        lockHost TEXT,
                        lockedAt REAL
                    );
                    CREATE TABLE revisions (
                        jobId INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        revision INTEGER NOT NULL,
                        createdAt REAL NOT NULL,
                        changed TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        PRIMARY KEY (jobId, revision)
                    );
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        jobId INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        number INTEGER NOT NULL,
                        revision INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        status TEXT NOT NULL,
                        scheduledFor REAL,
                        startedAt REAL NOT NULL,
                        endedAt REAL,
                        attempts INTEGER NOT NULL DEFAULT 1,
                        pid INTEGER,
                        estimate TEXT,
                        estimatedBytes INTEGER,
                        estimatedUSD REAL,
                        newObjects INTEGER NOT NULL DEFAULT 0,
                        changedObjects INTEGER NOT NULL DEFAULT 0,
                        unchangedObjects INTEGER NOT NULL DEFAULT 0,
                        deletedObjects INTEGER NOT NULL DEFAULT 0,
                        notSampled INTEGER NOT NULL DEFAULT 0,
                        planned INTEGER NOT NULL DEFAULT 0,
                        classified INTEGER NOT NULL DEFAULT 0,
                        bytesClassified INTEGER NOT NULL DEFAULT 0,
                        findings INTEGER NOT NULL DEFAULT 0,
                        suppressed INTEGER NOT NULL DEFAULT 0,
                        errors INTEGER NOT NULL DEFAULT 0,
                        message TEXT,
                        UNIQUE (jobId, number)
                    );
                    CREATE TABLE objects (
                        jobId INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        eTag TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        lastModified REAL NOT NULL,
                        classifiedRun INTEGER,
                        status TEXT NOT NULL,
                        reason TEXT,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        deletedRun INTEGER,
                        PRIMARY KEY (jobId, bucket, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE findings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        jobId INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        runId INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        eTag TEXT NOT NULL,
                        type TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        identifiers TEXT NOT NULL,
                        createdAt REAL NOT NULL,
                        json TEXT NOT NULL,
                        archived INTEGER NOT NULL DEFAULT 0,
                        archivedAt REAL,
                        UNIQUE (runId, bucket, key)
                    );
                    CREATE INDEX findings_by_job ON findings(jobId, createdAt);
                    CREATE TABLE suppressionRules (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        createdAt REAL NOT NULL,
                        filter TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2") { db in
            // The report model of each run (HTML report, trend), kept as JSON.
            try db.execute(
                sql: """
                    CREATE TABLE run_reports (
                        runId INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
                        json TEXT NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v3") { db in
            // Objects a run's workers have taken and whose results are not recorded yet (what was
            // in hand if the process dies), and the suspects a resumed run retries alone
            // (see CrashRecovery.swift).
            try db.execute(
                sql: """
                    CREATE TABLE in_hand (
                        runId INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        eTag TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        inHand INTEGER NOT NULL DEFAULT 1,
                        suspect INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (runId, bucket, key)
                    ) WITHOUT ROWID
                    """)
        }
        return migrator
    }
}

// MARK: Records

/// A job as stored: identity, current revision and definition, status set by the user.
public struct JobRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var macieJobId: String
    public var createdAt: Date
    public var revision: Int
    /// What the user set: ACTIVE, USER_PAUSED or CANCELLED.
    public var userStatus: JobUserStatus
    /// The scheduled occurrence the daemon last ran (or the creation time).
    public var scheduleAnchor: Date
    public var lockPid: Int32?
    public var lockedAt: Date?
    public var definition: JobDefinition
}

/// One run of a job (Macie: a job run), with its plan, estimate and actual totals.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var jobId: Int64
    public var number: Int
    public var revision: Int
    /// FULL (every object in scope) or INCREMENTAL (new and changed objects only).
    public var kind: RunKind
    /// manual, daemon.
    public var trigger: RunTrigger
    public var status: RunStatus
    public var scheduledFor: Date?
    public var startedAt: Date
    public var endedAt: Date?
    public var attempts: Int
    public var pid: Int32?
    public var estimateJSON: String?
    public var estimatedBytes: Int64?
    public var estimatedUSD: Double?
    public var newObjects: Int
    public var changedObjects: Int
    public var unchangedObjects: Int
    public var deletedObjects: Int
    public var notSampled: Int
    public var planned: Int
    public var classified: Int
    public var bytesClassified: Int64
    public var findings: Int
    public var suppressed: Int
    public var errors: Int
    public var message: String?
}

/// The status of a job the user controls (Macie's `JobStatus` values the user sets).
public enum JobUserStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case active = "ACTIVE"
    case userPaused = "USER_PAUSED"
    /// Final, as in Macie: a cancelled job never runs again.
    case cancelled = "CANCELLED"
}

/// Which objects a run reads.
public enum RunKind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Every object in scope.
    case full = "FULL"
    /// Only objects new or changed since the job's preceding run.
    case incremental = "INCREMENTAL"
}

/// What started a run.
public enum RunTrigger: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case manual
    case daemon
}

/// Run statuses: Macie's where they exist (RUNNING, COMPLETE, PAUSED for a budget,
/// USER_PAUSED, CANCELLED) plus INTERRUPTED (killed or stopped; resumes) and FAILED.
public enum RunStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case running = "RUNNING"
    case complete = "COMPLETE"
    case interrupted = "INTERRUPTED"
    case paused = "PAUSED"
    case userPaused = "USER_PAUSED"
    case cancelled = "CANCELLED"
    case failed = "FAILED"

    /// A run in one of these states continues (same run, from its checkpoint) next time.
    public var isResumable: Bool { self == .interrupted || self == .paused || self == .userPaused }
}

/// What the store remembers of an object for a job.
public struct ObjectState: Sendable, Equatable {
    public var eTag: String
    public var size: Int64
    public var lastModified: Date
    /// The run that last classified it (nil: only seen, as in a baseline or not sampled).
    public var classifiedRun: Int64?
    /// COMPLETE, PARTIAL, SKIPPED (Macie's), or BASELINE, NOT_SAMPLED.
    public var status: String
    public var deleted: Bool

    public init(
        eTag: String, size: Int64, lastModified: Date, classifiedRun: Int64?, status: String, deleted: Bool = false
    ) {
        self.eTag = eTag
        self.size = size
        self.lastModified = lastModified
        self.classifiedRun = classifiedRun
        self.status = status
        self.deleted = deleted
    }

    public init(_ object: ObjectRef, classifiedRun: Int64?, status: String) {
        self.init(
            eTag: object.eTag, size: object.size, lastModified: object.lastModified, classifiedRun: classifiedRun,
            status: status)
    }

    /// Whether `object` is the same version (ETag, size and last-modified all equal).
    public func matches(_ object: ObjectRef) -> Bool {
        eTag == object.eTag && size == object.size && abs(lastModified.timeIntervalSince(object.lastModified)) < 0.001
    }
}

/// Bucket and key: an object's identity within a job.
public struct ObjectKey: Sendable, Hashable, Comparable {
    public var bucket: String
    public var key: String
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }
    public init(_ object: ObjectRef) { self.init(bucket: object.bucket, key: object.key) }
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool { (a.bucket, a.key) < (b.bucket, b.key) }
}

extension Date {
    var seconds: Double { timeIntervalSince1970 }
    init(seconds: Double) { self.init(timeIntervalSince1970: seconds) }
}

extension JobRecord: FetchableRecord {
    public init(row: Row) throws {
        let json: String = row["definition"]
        id = row["id"]
        name = row["name"]
        macieJobId = row["macieJobId"]
        createdAt = Date(seconds: row["createdAt"])
        revision = row["revision"]
        userStatus = row["userStatus"]
        scheduleAnchor = Date(seconds: row["scheduleAnchor"])
        lockPid = row["lockPid"]
        lockedAt = (row["lockedAt"] as Double?).map(Date.init(seconds:))
        definition = try JSONDecoder().decode(JobDefinition.self, from: Data(json.utf8))
    }
}

extension RunRecord: FetchableRecord {
    public init(row: Row) {
        id = row["id"]
        jobId = row["jobId"]
        number = row["number"]
        revision = row["revision"]
        kind = row["kind"]
        trigger = row["trigger"]
        status = row["status"] ?? .failed
        scheduledFor = (row["scheduledFor"] as Double?).map(Date.init(seconds:))
        startedAt = Date(seconds: row["startedAt"])
        endedAt = (row["endedAt"] as Double?).map(Date.init(seconds:))
        attempts = row["attempts"]
        pid = row["pid"]
        estimateJSON = row["estimate"]
        estimatedBytes = row["estimatedBytes"]
        estimatedUSD = row["estimatedUSD"]
        newObjects = row["newObjects"]
        changedObjects = row["changedObjects"]
        unchangedObjects = row["unchangedObjects"]
        deletedObjects = row["deletedObjects"]
        notSampled = row["notSampled"]
        planned = row["planned"]
        classified = row["classified"]
        bytesClassified = row["bytesClassified"]
        findings = row["findings"]
        suppressed = row["suppressed"]
        errors = row["errors"]
        message = row["message"]
    }
}

func canonicalJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
}

// MARK: Jobs

extension JobStore {
    static let jobSelect =
        "SELECT jobs.*, revisions.definition FROM jobs JOIN revisions ON revisions.jobId = jobs.id AND revisions.revision = jobs.revision"

    public func jobs() throws -> [JobRecord] {
        try read { db in try JobRecord.fetchAll(db, sql: Self.jobSelect + " ORDER BY jobs.name") }
    }

    public func job(named name: String) throws -> JobRecord {
        let found = try read { db in
            try JobRecord.fetchOne(db, sql: Self.jobSelect + " WHERE jobs.name = ?", arguments: [name])
        }
        guard let found else { throw JobError.unknownJob(name) }
        return found
    }

    /// Creates a job at revision 1. `baseline` (for `initialRun: false`) is the listing at
    /// creation: those objects are recorded as seen, so the first run skips them.
    @discardableResult
    public func createJob(_ definition: JobDefinition, now: Date, baseline: [ObjectRef]? = nil) throws -> JobRecord {
        let definition = try definition.validated()
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM jobs WHERE name = ?", arguments: [definition.name]) == true {
                throw JobError.exists(definition.name)
            }
            let macieJobId = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try db.execute(
                sql: "INSERT INTO jobs (name, macieJobId, createdAt, revision, scheduleAnchor) VALUES (?, ?, ?, 1, ?)",
                arguments: [definition.name, macieJobId, now.seconds, now.seconds])
            let jobId = db.lastInsertedRowID
            try db.execute(
                sql:
                    "INSERT INTO revisions (jobId, revision, createdAt, changed, definition) VALUES (?, 1, ?, 'created', ?)",
                arguments: [jobId, now.seconds, canonicalJSON(definition)])
            for object in baseline ?? [] {
                try Self.upsertObject(
                    db, jobId: jobId, object: object, classifiedRun: nil, status: "BASELINE", reason: nil)
            }
        }
        return try job(named: definition.name)
    }

    public enum ApplyOutcome: Sendable, Equatable {
        case created(JobRecord)
        case updated(JobRecord, changed: [String])
        case unchanged(JobRecord)
    }

    /// Stores `definition` as a new revision when it differs from the current one.
    public func update(_ definition: JobDefinition, now: Date) throws -> ApplyOutcome {
        let definition = try definition.validated()
        let current = try job(named: definition.name)
        let changed = definition.changedFields(from: current.definition)
        guard !changed.isEmpty else { return .unchanged(current) }
        try write { db in
            let revision = current.revision + 1
            try db.execute(
                sql: "INSERT INTO revisions (jobId, revision, createdAt, changed, definition) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    current.id, revision, now.seconds, changed.joined(separator: ","), canonicalJSON(definition),
                ])
            try db.execute(sql: "UPDATE jobs SET revision = ? WHERE id = ?", arguments: [revision, current.id])
        }
        return .updated(try job(named: definition.name), changed: changed)
    }

    public struct Revision: Sendable {
        public var revision: Int
        public var createdAt: Date
        public var changed: String
        public var definition: JobDefinition
    }

    public func revisions(of job: JobRecord) throws -> [Revision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revisions WHERE jobId = ? ORDER BY revision", arguments: [job.id])
                .map { row in
                    let json: String = row["definition"]
                    return Revision(
                        revision: row["revision"], createdAt: Date(seconds: row["createdAt"]), changed: row["changed"],
                        definition: try JSONDecoder().decode(JobDefinition.self, from: Data(json.utf8)))
                }
        }
    }

    /// Sets the status the user controls: ACTIVE, USER_PAUSED or CANCELLED (terminal).
    public func setUserStatus(_ name: String, to status: JobUserStatus, now: Date = Date()) throws {
        let job = try job(named: name)
        if job.userStatus == .cancelled && status != .cancelled {
            throw JobError.notRunnable(
                "job \(name) is cancelled, which is final (Macie's rule); create a new job instead")
        }
        try write { db in
            try db.execute(sql: "UPDATE jobs SET userStatus = ? WHERE id = ?", arguments: [status, job.id])
            // A run stopped by a pause or cancel that is not running any more takes that status too.
            if status == .cancelled {
                try db.execute(
                    sql:
                        "UPDATE runs SET status = 'CANCELLED', endedAt = COALESCE(endedAt, ?) WHERE jobId = ? AND status IN ('INTERRUPTED', 'PAUSED', 'USER_PAUSED')",
                    arguments: [now.seconds, job.id])
            }
        }
    }

    /// Deletes a job with its revisions, runs, object state and findings.
    public func deleteJob(_ name: String) throws {
        let job = try job(named: name)
        if let pid = job.lockPid, Self.isAlive(pid) {
            throw JobError.locked(job: name, pid: pid, since: job.lockedAt ?? job.createdAt)
        }
        try write { db in try db.execute(sql: "DELETE FROM jobs WHERE id = ?", arguments: [job.id]) }
    }

    /// Moves the schedule anchor (the occurrence the daemon last started).
    func setAnchor(_ db: Database, jobId: Int64, to date: Date) throws {
        try db.execute(sql: "UPDATE jobs SET scheduleAnchor = ? WHERE id = ?", arguments: [date.seconds, jobId])
    }
}

// MARK: Locks

extension JobStore {
    public static func isAlive(_ pid: Int32) -> Bool {
        if pid <= 0 { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Takes the job's run lock for process `pid`. A lock held by a live process refuses; a
    /// lock whose process is gone is taken over, and that process's RUNNING run becomes
    /// INTERRUPTED (it resumes from its checkpoint).
    public func lock(_ job: JobRecord, pid: Int32, now: Date, isAlive: (Int32) -> Bool = JobStore.isAlive) throws {
        try write { db in
            let row = try Row.fetchOne(db, sql: "SELECT lockPid, lockedAt FROM jobs WHERE id = ?", arguments: [job.id])
            if let holder: Int32 = row?["lockPid"], holder != pid {
                if isAlive(holder) {
                    throw JobError.locked(
                        job: job.name, pid: holder, since: Date(seconds: row?["lockedAt"] ?? now.seconds))
                }
            }
            try Self.interruptOrphanedRuns(db, jobId: job.id, now: now, livePid: pid)
            try db.execute(
                sql: "UPDATE jobs SET lockPid = ?, lockedAt = ? WHERE id = ?", arguments: [pid, now.seconds, job.id])
        }
    }

    public func unlock(_ job: JobRecord, pid: Int32) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE jobs SET lockPid = NULL, lockedAt = NULL WHERE id = ? AND lockPid = ?",
                arguments: [job.id, pid])
        }
    }

    static let orphanMessage = "the process running it stopped (killed or crashed); resumes from its checkpoint"

    /// A run holds its job's lock while RUNNING, so once the lock is free any RUNNING run of
    /// the job belongs to a process that is gone (killed, crashed, machine off).
    static func interruptOrphanedRuns(_ db: Database, jobId: Int64, now: Date, livePid: Int32?) throws {
        try db.execute(
            sql:
                "UPDATE runs SET status = 'INTERRUPTED', message = ? WHERE jobId = ? AND status = 'RUNNING' AND (pid IS NULL OR pid IS NOT ?)",
            arguments: [orphanMessage, jobId, livePid])
    }

    /// Marks runs of dead processes INTERRUPTED (for `job list/show/history`).
    public func reapOrphanedRuns(now: Date) throws {
        try write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, jobId, pid FROM runs WHERE status = 'RUNNING'")
            for row in rows {
                let pid: Int32? = row["pid"]
                if let pid, Self.isAlive(pid) { continue }
                try db.execute(
                    sql: "UPDATE runs SET status = 'INTERRUPTED', message = ? WHERE id = ?",
                    arguments: [Self.orphanMessage, row["id"] as Int64])
                try db.execute(
                    sql: "UPDATE jobs SET lockPid = NULL, lockedAt = NULL WHERE id = ? AND lockPid = ?",
                    arguments: [row["jobId"] as Int64, pid])
            }
        }
    }
}

// MARK: Runs

extension JobStore {
    public func runs(of job: JobRecord) throws -> [RunRecord] {
        try read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE jobId = ? ORDER BY number", arguments: [job.id])
        }
    }

    public func run(id: Int64) throws -> RunRecord {
        guard
            let run = try read({ db in
                try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id])
            })
        else {
            throw JobError.state("run \(id) is gone from the store")
        }
        return run
    }

    /// Starts a new run, or resumes the job's latest run when it was interrupted or paused.
    /// With `scheduledFor`, moves the job's schedule anchor in the same transaction.
    func beginRun(job: JobRecord, kind: RunKind, trigger: RunTrigger, scheduledFor: Date?, pid: Int32, now: Date) throws
        -> (run: RunRecord, resumed: Bool)
    {
        let (id, resumed): (Int64, Bool) = try write { db in
            if let scheduledFor { try setAnchor(db, jobId: job.id, to: scheduledFor) }
            if let last = try RunRecord.fetchOne(
                db, sql: "SELECT * FROM runs WHERE jobId = ? ORDER BY number DESC LIMIT 1", arguments: [job.id]),
                last.status.isResumable
            {
                try db.execute(
                    sql:
                        "UPDATE runs SET status = 'RUNNING', attempts = attempts + 1, pid = ?, endedAt = NULL, message = NULL, trigger = ? WHERE id = ?",
                    arguments: [pid, trigger, last.id])
                return (last.id, true)
            }
            let number =
                (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM runs WHERE jobId = ?", arguments: [job.id]) ?? 0)
                + 1
            try db.execute(
                sql: """
                    INSERT INTO runs (jobId, number, revision, kind, trigger, status, scheduledFor, startedAt, pid)
                    VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?)
                    """,
                arguments: [job.id, number, job.revision, kind, trigger, scheduledFor?.seconds, now.seconds, pid])
            return (db.lastInsertedRowID, false)
        }
        return (try run(id: id), resumed)
    }

    /// Records the plan and the estimate, before anything is read. On a resumed run the
    /// counts of the first attempt are kept (objects it finished now count as unchanged).
    func recordPlan(
        run: RunRecord, jobId: Int64, plan: IncrementalPlan, estimateJSON: String, estimatedBytes: Int64,
        estimatedUSD: Double, resumed: Bool
    ) throws {
        try write { db in
            if resumed {
                try db.execute(
                    sql:
                        "UPDATE runs SET estimate = ?, estimatedBytes = ?, estimatedUSD = ?, deletedObjects = deletedObjects + ?, planned = classified + ? WHERE id = ?",
                    arguments: [
                        estimateJSON, estimatedBytes, estimatedUSD, plan.deleted.count, plan.toClassify.count, run.id,
                    ])
            } else {
                try db.execute(
                    sql: """
                        UPDATE runs SET estimate = ?, estimatedBytes = ?, estimatedUSD = ?, newObjects = ?, changedObjects = ?,
                        unchangedObjects = ?, deletedObjects = ?, notSampled = ?, planned = ? WHERE id = ?
                        """,
                    arguments: [
                        estimateJSON, estimatedBytes, estimatedUSD, plan.new.count, plan.changed.count, plan.unchanged,
                        plan.deleted.count, plan.notSampled.count, plan.toClassify.count, run.id,
                    ])
            }
        }
    }

    /// Applies the parts of the plan that read nothing: objects not sampled are remembered
    /// as seen, deleted objects are flagged.
    func recordSeen(run: RunRecord, jobId: Int64, plan: IncrementalPlan) throws {
        try write { db in
            for object in plan.notSampled {
                try Self.upsertObject(
                    db, jobId: jobId, object: object, classifiedRun: nil, status: "NOT_SAMPLED", reason: nil)
            }
            for key in plan.deleted {
                try db.execute(
                    sql: "UPDATE objects SET deleted = 1, deletedRun = ? WHERE jobId = ? AND bucket = ? AND key = ?",
                    arguments: [run.id, jobId, key.bucket, key.key])
            }
        }
    }

    /// Keeps a run's report model (JSON of `ScanReport`); a resumed run replaces it.
    public func saveReport(runId: Int64, json: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO run_reports (runId, json) VALUES (?, ?)", arguments: [runId, json])
        }
    }

    /// The stored report model of a run, if any.
    public func reportJSON(runId: Int64) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT json FROM run_reports WHERE runId = ?", arguments: [runId])
        }
    }

    public func finishRun(_ runId: Int64, status: RunStatus, message: String?, now: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, message = ?, endedAt = ?, pid = NULL WHERE id = ?",
                arguments: [status.rawValue, message, now.seconds, runId])
            try Self.releaseInHand(db, runId: runId)
        }
    }

    func finishRunIfRunning(_ runId: Int64, status: RunStatus, message: String?, now: Date) throws {
        try write { db in
            try db.execute(
                sql:
                    "UPDATE runs SET status = ?, message = ?, endedAt = ?, pid = NULL WHERE id = ? AND status = 'RUNNING'",
                arguments: [status.rawValue, message, now.seconds, runId])
            if db.changesCount > 0 { try Self.releaseInHand(db, runId: runId) }
        }
    }

    static func upsertObject(
        _ db: Database, jobId: Int64, object: ObjectRef, classifiedRun: Int64?, status: String, reason: String?
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO objects (jobId, bucket, key, eTag, size, lastModified, classifiedRun, status, reason, deleted, deletedRun)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)
                ON CONFLICT (jobId, bucket, key) DO UPDATE SET eTag = excluded.eTag, size = excluded.size,
                lastModified = excluded.lastModified, classifiedRun = COALESCE(excluded.classifiedRun, objects.classifiedRun),
                status = excluded.status, reason = excluded.reason, deleted = 0, deletedRun = NULL
                """,
            arguments: [
                jobId, object.bucket, object.key, object.eTag, object.size, object.lastModified.seconds, classifiedRun,
                status, reason,
            ])
    }

    /// Everything the store knows about the job's objects.
    public func objectStates(jobId: Int64) throws -> [ObjectKey: ObjectState] {
        try read { db in
            var states: [ObjectKey: ObjectState] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM objects WHERE jobId = ?", arguments: [jobId])
            while let row = try cursor.next() {
                states[ObjectKey(bucket: row["bucket"], key: row["key"])] = ObjectState(
                    eTag: row["eTag"], size: row["size"], lastModified: Date(seconds: row["lastModified"]),
                    classifiedRun: row["classifiedRun"],
                    status: row["status"], deleted: row["deleted"])
            }
            return states
        }
    }

    /// One classified object for `recordBatch`.
    struct ClassifiedObject {
        var object: ObjectRef
        var status: StatusCode
        var reason: ReasonCode?
        var bytesClassified: Int64
        var isError: Bool
        var finding: StoredFinding?
    }

    struct StoredFinding {
        var type: String
        var severity: String
        var identifiers: String
        var json: String
        var archived: Bool
    }

    /// Records a batch of results in one transaction: object state, findings and the run's
    /// counters. Returns the job's user status as it is now (a pause or cancel from
    /// another process stops the run at the next batch).
    func recordBatch(run: RunRecord, jobId: Int64, objects: [ClassifiedObject], extraErrors: Int, now: Date) throws
        -> JobUserStatus
    {
        try write { db in
            var findings = 0
            var suppressed = 0
            var errors = extraErrors
            var bytes: Int64 = 0
            for item in objects {
                try Self.clearInHand(db, runId: run.id, object: item.object)
                if item.isError {
                    errors += 1
                    continue
                }
                try Self.upsertObject(
                    db, jobId: jobId, object: item.object, classifiedRun: run.id, status: item.status.rawValue,
                    reason: item.reason?.rawValue)
                bytes += item.bytesClassified
                if let finding = item.finding {
                    try db.execute(
                        sql: """
                            INSERT INTO findings (jobId, runId, bucket, key, eTag, type, severity, identifiers, createdAt, json, archived, archivedAt)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (runId, bucket, key) DO UPDATE SET eTag = excluded.eTag, json = excluded.json,
                            type = excluded.type, severity = excluded.severity, identifiers = excluded.identifiers
                            """,
                        arguments: [
                            jobId, run.id, item.object.bucket, item.object.key, item.object.eTag, finding.type,
                            finding.severity,
                            finding.identifiers, now.seconds, finding.json, finding.archived,
                            finding.archived ? now.seconds : nil,
                        ])
                    if finding.archived { suppressed += 1 } else { findings += 1 }
                }
            }
            try db.execute(
                sql:
                    "UPDATE runs SET classified = classified + ?, bytesClassified = bytesClassified + ?, findings = findings + ?, suppressed = suppressed + ?, errors = errors + ? WHERE id = ?",
                arguments: [objects.count - (errors - extraErrors), bytes, findings, suppressed, errors, run.id])
            return try JobUserStatus.fetchOne(db, sql: "SELECT userStatus FROM jobs WHERE id = ?", arguments: [jobId])
                ?? .cancelled
        }
    }

    /// Counts of the job's objects by state, for `job show`.
    public func objectCounts(jobId: Int64) throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT CASE WHEN deleted THEN 'DELETED' ELSE status END AS s, COUNT(*) AS n FROM objects WHERE jobId = ? GROUP BY s",
                arguments: [jobId])
            {
                counts[row["s"]] = row["n"]
            }
            return counts
        }
    }
}
