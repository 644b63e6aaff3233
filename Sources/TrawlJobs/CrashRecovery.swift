import Foundation
import GRDB
import TrawlCore
import TrawlObjects

// An object that kills the process (a trap in a reader, a stack overflow) must not stop a job
// for good. Before a worker reads an object, the run records it as in hand; a live process
// clears that when the result is recorded or the run ends. A resumed run finds what the dead
// attempt had in hand: those objects become suspects, read first and one at a time; a suspect
// in hand when the process dies again is recorded SKIPPED and never read again (unless it
// changes). docs/jobs.md, "Objects that crash trawl".

extension JobStore {
    /// The message of an object SKIPPED because reading it killed trawl twice.
    public static let crashedTwiceMessage = "trawl crashed twice reading this object; skipped"
    /// Macie has no reason code for it; this is the nearest.
    public static let crashedTwiceReason = ReasonCode.unableToParseFile

    /// Records that workers of run `runId` are about to read `objects`: one small write,
    /// committed before the reads start so that it outlives the process. It only has to
    /// survive the process dying, not a power loss, so it is written with
    /// `synchronous = NORMAL` (no fsync).
    func markInHand(runId: Int64, objects: [ObjectRef]) throws {
        do {
            try db.writeWithoutTransaction { db in
                let previous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = \(previous)") }
                try db.inTransaction {
                    let insert = try db.cachedStatement(
                        sql: """
                            INSERT INTO in_hand (runId, bucket, key, eTag, size, inHand) VALUES (?, ?, ?, ?, ?, 1)
                            ON CONFLICT (runId, bucket, key) DO UPDATE SET inHand = 1
                            """)
                    for object in objects {
                        try insert.execute(arguments: [runId, object.bucket, object.key, object.eTag, object.size])
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path)
        }
    }

    /// The object's result is recorded: it is neither in hand nor a suspect any more.
    static func clearInHand(_ db: Database, runId: Int64, object: ObjectRef) throws {
        try db.execute(
            sql: "DELETE FROM in_hand WHERE runId = ? AND bucket = ? AND key = ?",
            arguments: [runId, object.bucket, object.key])
    }

    /// The run ends in a live process: nothing is in hand. Suspects not read yet stay suspects.
    static func releaseInHand(_ db: Database, runId: Int64) throws {
        try db.execute(sql: "DELETE FROM in_hand WHERE runId = ? AND suspect = 0", arguments: [runId])
        try db.execute(sql: "UPDATE in_hand SET inHand = 0 WHERE runId = ?", arguments: [runId])
    }

    /// What a resumed run does about the objects its dead attempts had in hand.
    struct CrashReview {
        /// Suspects in hand when the process died again: now recorded SKIPPED.
        var skipped: [ObjectRef] = []
        /// Objects to read first, one at a time.
        var suspects: Set<ObjectKey> = []
        /// Those of them that were in hand when the previous attempt died (a changed version
        /// is a suspect, read alone, but has not crashed anything).
        var crashed: Set<ObjectKey> = []
    }

    /// On resuming run `runId`: objects still in hand were in hand when the previous attempt
    /// died. A suspect among them (it had already been in hand at an earlier death) is recorded
    /// SKIPPED, if `listed` still has the same version; the others become suspects. A changed
    /// object is read alone but starts afresh; a gone one is forgotten.
    func reviewInHand(runId: Int64, jobId: Int64, listed: [ObjectRef]) throws -> CrashReview {
        try write { db in
            var rows: [ObjectKey: Row] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM in_hand WHERE runId = ?", arguments: [runId]) {
                rows[ObjectKey(bucket: row["bucket"], key: row["key"])] = row
            }
            var review = CrashReview()
            guard !rows.isEmpty else { return review }
            var current: [ObjectKey: ObjectRef] = [:]
            for object in listed where rows[ObjectKey(object)] != nil { current[ObjectKey(object)] = object }
            for (key, row) in rows {
                guard let object = current[key] else {
                    try db.execute(
                        sql: "DELETE FROM in_hand WHERE runId = ? AND bucket = ? AND key = ?",
                        arguments: [runId, key.bucket, key.key])
                    continue
                }
                let sameVersion = object.eTag == row["eTag"] && object.size == row["size"]
                let inHand: Bool = row["inHand"]
                let suspect: Bool = row["suspect"]
                review.suspects.insert(key)
                if !sameVersion {
                    // A new version has not crashed anything yet: read alone, but not a suspect.
                    try Self.clearInHand(db, runId: runId, object: object)
                } else if inHand && suspect {
                    review.suspects.remove(key)
                    try Self.upsertObject(
                        db, jobId: jobId, object: object, classifiedRun: runId, status: StatusCode.skipped.rawValue,
                        reason: Self.crashedTwiceReason.rawValue)
                    try Self.clearInHand(db, runId: runId, object: object)
                    try db.execute(sql: "UPDATE runs SET classified = classified + 1 WHERE id = ?", arguments: [runId])
                    review.skipped.append(object)
                } else {
                    if inHand { review.crashed.insert(key) }
                    try db.execute(
                        sql: "UPDATE in_hand SET inHand = 0, suspect = 1 WHERE runId = ? AND bucket = ? AND key = ?",
                        arguments: [runId, key.bucket, key.key])
                }
            }
            review.skipped.sort { ObjectKey($0) < ObjectKey($1) }
            return review
        }
    }
}

extension ObjectResult {
    /// The result recorded for an object that killed trawl twice.
    static func crashedTwice(_ object: ObjectRef) -> ObjectResult {
        ObjectResult(
            object: object, status: .skipped, reason: JobStore.crashedTwiceReason, message: JobStore.crashedTwiceMessage
        )
    }
}
