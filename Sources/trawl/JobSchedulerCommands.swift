import ArgumentParser
import Foundation
import TrawlCore
import TrawlJobs

/// The command line a scheduler should run for a job: this binary, the state directory,
/// `job run NAME`.
func jobRunCommandLine(_ name: String, state: String) -> String {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let executable = FileManager.default.isExecutableFile(atPath: binary) ? binary : CommandLine.arguments[0]
    return [executable, "job", "run", name, "--state", state, "--no-progress"].map(shellQuote).joined(separator: " ")
}

func shellQuote(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/=:@%+,")
    if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

struct JobCron: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Print a crontab line that runs the job on its schedule (`trawl job run NAME`).",
        discussion: """
            cron skips a day-of-month that a month lacks, as Macie does. cron uses the machine's time \
            zone; when the job's differs, a CRON_TZ line is printed (cronie honours it; Debian's cron \
            does not: use `trawl job systemd` or the daemon there). cron does not catch up missed runs; \
            systemd timers (Persistent=true) and the daemon do.
            """)
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions

    func run() throws {
        try withJobErrors {
            let job = try stateOptions.open().job(named: name)
            let schedule = try job.definition.parsedSchedule
            let fields: String
            switch schedule {
            case .once:
                throw JobError.invalid(
                    "job \(name) runs once: run it with `trawl job run \(name)` (or `at`), not from cron")
            case .daily(let time): fields = "\(time.minute) \(time.hour) * * *"
            case .weekly(let weekday, let time): fields = "\(time.minute) \(time.hour) * * \(weekday - 1)"
            case .monthly(let day, let time): fields = "\(time.minute) \(time.hour) \(day) * *"
            }
            print("# trawl job \(name): \(job.definition.schedule) (\(job.definition.timezone))")
            if job.definition.timezone != TimeZone.current.identifier { print("CRON_TZ=\(job.definition.timezone)") }
            print("\(fields) \(jobRunCommandLine(name, state: stateOptions.directory))")
            return 0
        }
    }
}

struct JobSystemd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "systemd",
        abstract: "Print a systemd service and timer that run the job on its schedule (`trawl job run NAME`).",
        discussion: """
            Save them as ~/.config/systemd/user/trawl-job-NAME.{service,timer} (or under \
            /etc/systemd/system), then `systemctl --user daemon-reload && systemctl --user enable --now \
            trawl-job-NAME.timer`. Persistent=true runs a missed occurrence once after the machine was off.
            """)
    @Argument(help: "Job name.") var name: String
    @OptionGroup var stateOptions: StateOptions

    func run() throws {
        try withJobErrors {
            let job = try stateOptions.open().job(named: name)
            let schedule = try job.definition.parsedSchedule
            let calendar: String
            let zone = job.definition.timezone
            switch schedule {
            case .once:
                throw JobError.invalid("job \(name) runs once: run it with `trawl job run \(name)`, not from a timer")
            case .daily(let time): calendar = String(format: "*-*-* %02d:%02d:00 %@", time.hour, time.minute, zone)
            case .weekly(let weekday, let time):
                let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][weekday - 1]
                calendar = String(format: "%@ *-*-* %02d:%02d:00 %@", day, time.hour, time.minute, zone)
            case .monthly(let day, let time):
                calendar = String(format: "*-*-%02d %02d:%02d:00 %@", day, time.hour, time.minute, zone)
            }
            let unit = "trawl-job-\(name)"
            print(
                """
                # --- \(unit).service ---
                [Unit]
                Description=trawl job \(name) (\(job.definition.schedule) \(zone))

                [Service]
                Type=oneshot
                ExecStart=\(jobRunCommandLine(name, state: stateOptions.directory))
                # Exit 1 means findings, not failure; 3 a run paused over budget.
                SuccessExitStatus=1 3
                KillSignal=SIGTERM
                TimeoutStopSec=120

                # --- \(unit).timer ---
                [Unit]
                Description=Schedule of trawl job \(name)

                [Timer]
                OnCalendar=\(calendar)
                Persistent=true
                Unit=\(unit).service

                [Install]
                WantedBy=timers.target
                """)
            return 0
        }
    }
}
