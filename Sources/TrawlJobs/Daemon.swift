import Dispatch
import Foundation
import TrawlCore

/// Runs jobs when they are due, one at a time, until cancelled: the loop behind `trawl daemon`.
///
/// Each pass reaps runs whose process died, runs every due job (an interrupted run is resumed
/// first), then sleeps until the soonest next occurrence, at most `interval`. The clock is
/// injected so tests can pin it; `runJob` is how a due job is run (the CLI prints as it goes).
public struct Daemon {
    public var store: JobStore
    /// Longest sleep between passes.
    public var interval: TimeInterval
    public var now: @Sendable () -> Date
    /// Runs one due job; returns its exit status. Throwing `JobError` skips that job only.
    public var runJob: (_ name: String, _ options: JobRunner.Options) throws -> Int32
    /// What the daemon says as it goes.
    public var log: (String) -> Void = { _ in }
    /// A job could not run (locked elsewhere, unusable source).
    public var warn: (String) -> Void = { _ in }

    public init(
        store: JobStore, interval: TimeInterval, now: @escaping @Sendable () -> Date = { Date() },
        runJob: @escaping (_ name: String, _ options: JobRunner.Options) throws -> Int32
    ) {
        self.store = store
        self.interval = interval
        self.now = now
        self.runJob = runJob
    }

    /// Runs passes until `cancellation` (a signal) or, with `once`, after one pass. `wake` cuts a
    /// sleep short. Returns 2 when a run ended with errors or a job could not run for a reason
    /// of its own state, else 0.
    public func run(once: Bool, cancellation: Cancellation, wake: DispatchSemaphore) throws -> Int32 {
        var worst: Int32 = 0
        log("daemon started (state \(store.path))")
        while !cancellation.isCancelled {
            let (ran, status) = try pass(cancellation: cancellation)
            worst = max(worst, status)
            if once || cancellation.isCancelled { break }
            if ran { continue }
            _ = wake.wait(timeout: .now() + secondsUntilNextRun())
        }
        log(cancellation.isCancelled ? "daemon stopped by a signal" : "daemon done")
        return worst
    }

    /// One pass: every due job once. Returns whether anything ran and the worst status.
    func pass(cancellation: Cancellation) throws -> (ran: Bool, status: Int32) {
        try store.reapOrphanedRuns(now: now())
        var ran = false
        var worst: Int32 = 0
        for job in try store.jobs() {
            if cancellation.isCancelled { break }
            guard let due = Scheduler.due(job, runs: try store.runs(of: job), now: now()) else { continue }
            var options = JobRunner.Options()
            options.trigger = .daemon
            options.scheduledFor = due.scheduledFor
            switch due {
            case .resume: log("job \(job.name): resuming its interrupted run")
            case .firstRun: log("job \(job.name): one-time job, running")
            case .scheduled(let date):
                log("job \(job.name): due (occurrence \(formatDate(date, zone: try? job.definition.timeZone)))")
            }
            do {
                if try runJob(job.name, options) == 2 { worst = 2 }
                ran = true
            } catch let error as JobError {
                // A locked job is running elsewhere; other errors belong to that job only.
                warn(error.description)
                if case .state = error { worst = 2 }
            }
        }
        return (ran, worst)
    }

    /// Seconds until the soonest job's next run, at most `interval`, at least half a second.
    func secondsUntilNextRun() -> Double {
        let now = now()
        var soonest = interval
        for job in (try? store.jobs()) ?? [] {
            guard let next = Scheduler.nextRun(job, runs: (try? store.runs(of: job)) ?? [], now: now) else { continue }
            soonest = min(soonest, max(0.5, next.timeIntervalSince(now) + 0.5))
        }
        return soonest
    }
}

/// A time as jobs show it: ISO 8601 to the second in `zone` (default the machine's), "-" for none.
public func formatDate(_ date: Date?, zone: TimeZone? = nil) -> String {
    guard let date else { return "-" }
    var style = Date.ISO8601FormatStyle(timeZone: zone ?? .current)
    style = style.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(
        .colon
    )
    .timeZone(separator: .colon)
    return style.format(date)
}
