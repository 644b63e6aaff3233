import ArgumentParser
import Dispatch
import Foundation
import TrawlCore
import TrawlJobs

struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run jobs when they are due; resume interrupted runs.",
        discussion: """
            Checks the jobs every --interval seconds (and at each job's next occurrence). A job whose \
            occurrences were missed while the machine was off runs once, for the latest one. One run at \
            a time; a job already running in another process is skipped. SIGTERM/SIGINT stop the run in \
            progress at a checkpoint (it resumes next time) and exit. --once runs what is due, then exits.
            """)

    @OptionGroup var stateOptions: StateOptions

    @Flag(name: .customLong("once"), help: "Run the jobs that are due now, then exit.")
    var once = false

    @Option(name: .customLong("interval"), help: "Longest sleep between checks, in seconds (default 60).")
    var interval: Double = 60

    @Option(name: [.customShort("j"), .customLong("workers")], help: "Worker threads per run (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard interval >= 1 else { throw ValidationError("--interval must be at least 1 second") }
    }

    func run() throws {
        try withJobErrors {
            let store = try stateOptions.open()
            let cancellation = Cancellation()
            let wake = DispatchSemaphore(value: 0)
            let stop = SignalStop(cancellation: cancellation, onSignal: { wake.signal() })
            defer { stop.stop() }
            let flow = JobRunFlow(store: store, workers: workers, quiet: true)
            var worst: Int32 = 0
            log("daemon started (state \(store.path))")
            while !cancellation.isCancelled {
                try store.reapOrphanedRuns(now: Date())
                var ranSomething = false
                for job in try store.jobs() {
                    if cancellation.isCancelled { break }
                    let now = Date()
                    guard let due = Scheduler.due(job, runs: try store.runs(of: job), now: now) else { continue }
                    var options = JobRunner.Options()
                    options.trigger = "daemon"
                    options.scheduledFor = due.scheduledFor
                    switch due {
                    case .resume: log("job \(job.name): resuming its interrupted run")
                    case .firstRun: log("job \(job.name): one-time job, running")
                    case .scheduled(let date): log("job \(job.name): due (occurrence \(formatDate(date, zone: try? job.definition.timeZone)))")
                    }
                    do {
                        let status = try flow.execute(job.name, options: options, cancellation: cancellation)
                        if status == ExitStatus.errors { worst = ExitStatus.errors }
                        ranSomething = true
                    } catch let error as JobError {
                        // A locked job is running elsewhere; other errors belong to that job only.
                        warn(error.description)
                        if case .state = error { worst = ExitStatus.errors }
                    }
                }
                if once || cancellation.isCancelled { break }
                if ranSomething { continue }
                let sleep = secondsUntilNextRun(store: store, cap: interval)
                _ = wake.wait(timeout: .now() + sleep)
            }
            log(cancellation.isCancelled ? "daemon stopped by a signal" : "daemon done")
            return worst
        }
    }

    func secondsUntilNextRun(store: JobStore, cap: Double) -> Double {
        let now = Date()
        var soonest = cap
        for job in (try? store.jobs()) ?? [] {
            guard let next = Scheduler.nextRun(job, runs: (try? store.runs(of: job)) ?? [], now: now) else { continue }
            soonest = min(soonest, max(0.5, next.timeIntervalSince(now) + 0.5))
        }
        return soonest
    }

    func log(_ message: String) {
        print("\(formatDate(Date())) \(message)")
        fflush(nil)
    }
}
