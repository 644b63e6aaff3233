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

    @OptionGroup var s3: S3Options

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
            let flow = JobRunFlow(store: store, workers: workers, opener: s3.storeOpener(region: nil), quiet: true)
            var daemon = Daemon(store: store, interval: interval) { name, options in
                try flow.execute(name, options: options, cancellation: cancellation)
            }
            daemon.log = { message in
                print("\(formatDate(Date())) \(message)")
                fflush(nil)
            }
            daemon.warn = warn
            return try daemon.run(once: once, cancellation: cancellation, wake: wake)
        }
    }
}
