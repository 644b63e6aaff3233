import Foundation
import TrawlCore

/// Decides which jobs are due at a given instant. Pure: the daemon passes its clock's "now".
public enum Scheduler {
    /// Why a job runs now.
    public enum Due: Sendable, Equatable {
        /// Its run was interrupted (killed, stopped) or paused by the user and the job resumed;
        /// continue it whatever the schedule says.
        case resume
        /// A one-time job that has not run yet.
        case firstRun
        /// The latest schedule occurrence not yet run (catch-up: only the last one).
        case scheduled(Date)

        public var scheduledFor: Date? {
            if case .scheduled(let date) = self { return date }
            return nil
        }
    }

    /// Whether `job` is due at `now`, given its runs (oldest first).
    public static func due(_ job: JobRecord, runs: [RunRecord], now: Date) -> Due? {
        guard job.userStatus == .active else { return nil }
        // Interrupted runs, and runs stopped by a pause the user has lifted, go on at once
        // (Macie: a resumed job continues where it stopped).
        if let last = runs.last, last.status == .interrupted || last.status == .userPaused { return .resume }
        guard let schedule = try? job.definition.parsedSchedule, let zone = try? job.definition.timeZone else {
            return nil
        }
        if schedule == .once {
            return runs.isEmpty ? .firstRun : nil
        }
        // A run PAUSED over budget waits for the next occurrence (Macie resumes a paused
        // job at its next run), like any other.
        return schedule.latestOccurrence(after: job.scheduleAnchor, upTo: now, in: zone).map(Due.scheduled)
    }

    /// When the job runs next (nil: never again). A time at or before `now` means it is due.
    public static func nextRun(_ job: JobRecord, runs: [RunRecord], now: Date) -> Date? {
        guard job.userStatus == .active else { return nil }
        if let due = due(job, runs: runs, now: now) { return due.scheduledFor ?? now }
        guard let schedule = try? job.definition.parsedSchedule, let zone = try? job.definition.timeZone else {
            return nil
        }
        return schedule.next(after: max(job.scheduleAnchor, now), in: zone)
    }

    /// The job's status in Macie's terms (RUNNING, IDLE, COMPLETE, PAUSED, USER_PAUSED,
    /// CANCELLED) plus INTERRUPTED for a run that will resume.
    public static func status(_ job: JobRecord, runs: [RunRecord]) -> String {
        if job.userStatus != .active { return job.userStatus.rawValue }
        guard let last = runs.last else { return "IDLE" }
        switch last.status {
        case .running: return "RUNNING"
        case .paused: return "PAUSED"
        case .interrupted: return "INTERRUPTED"
        case .userPaused: return "USER_PAUSED"
        case .cancelled: return "CANCELLED"
        case .complete, .failed:
            return (try? job.definition.parsedSchedule) == .once && last.status == .complete ? "COMPLETE" : "IDLE"
        }
    }
}
