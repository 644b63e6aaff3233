import Foundation
import Testing
import TrawlCore
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `trawl job ...` end to end: the built binary on temporary trees and state directories.
@Suite(.serialized) struct JobsEndToEndTests {
    static let ssn = "name,ssn\nJohn Smith,123-45-6789\n"

    func json(_ result: ProcessResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func runs(_ name: String, state: String) throws -> [[String: Any]] {
        let history = try TrawlBinary.run(["job", "history", name, "--state", state, "--format", "json"])
        #expect(history.status == 0, "\(history.stderr)")
        return try json(history)["runs"] as? [[String: Any]] ?? []
    }

    @Test func aDailyJobReadsOnlyWhatIsNewOrChangedOnItsSecondRun() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(src, "b1/people.csv", Self.ssn)
        try TestFiles.write(src, "b1/notes.txt", "nothing\n")
        try TestFiles.write(src, "b2/other.txt", "nothing either\n")

        let create = try TrawlBinary.run([
            "job", "create", "nightly", src.path, "--schedule", "daily@02:00", "--timezone", "UTC", "--state", state,
        ])
        #expect(create.status == 0, "\(create.stderr)")
        let first = try TrawlBinary.run([
            "job", "run", "nightly", "--state", state, "--format", "json", "--no-progress",
        ])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("Estimate for run #1 of nightly"))
        #expect(try JSONLines.parse(first.stdout).count == 1)

        // A new file with a finding, a changed one (different size), an untouched one, a deleted one.
        try TestFiles.write(src, "b2/new.csv", Self.ssn)
        try TestFiles.write(src, "b1/notes.txt", "nothing, still, but longer\n")
        try FileManager.default.removeItem(at: src.appendingPathComponent("b2/other.txt"))
        let second = try TrawlBinary.run([
            "job", "run", "nightly", "--state", state, "--format", "json", "--no-progress",
        ])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("1 new, 1 changed, 1 unchanged, 1 deleted; reading 2"))
        let findings = try JSONLines.parse(second.stdout)
        #expect(
            findings.map {
                (($0["resourcesAffected"] as? [String: Any])?["s3Object"] as? [String: Any])?["key"] as? String
            } == ["new.csv"])

        let history = try runs("nightly", state: state)
        #expect(history.count == 2)
        #expect(history.last?["classified"] as? Int == 2)
        #expect(history.last?["kind"] as? String == "INCREMENTAL")

        // The store keeps both runs' findings; filters select them.
        let stored = try TrawlBinary.run(["findings", "--job", "nightly", "--state", state, "--format", "json"])
        #expect(try JSONLines.parse(stored.stdout).count == 2)
        let second2 = try TrawlBinary.run([
            "findings", "--job", "nightly", "--run", "2", "--bucket", "b2", "--severity", "high", "--state", state,
            "--format", "csv",
        ])
        #expect(second2.stdout.split(separator: "\n").count == 2, "\(second2.stdout)")
        // Matched values never leave the store.
        #expect(!stored.stdout.contains("123-45-6789"))
        #expect(!second.stderr.contains("123-45-6789") && !second.stdout.contains("123-45-6789"))

        // Archive with a rule: a later finding in b2 is not reported.
        let archive = try TrawlBinary.run(["findings", "archive", "--bucket", "b2", "--state", state])
        #expect(archive.status == 0 && archive.stdout.contains("archived 1 finding"), "\(archive.stderr)")
        try TestFiles.write(src, "b2/another.csv", Self.ssn)
        let third = try TrawlBinary.run([
            "job", "run", "nightly", "--state", state, "--format", "json", "--no-progress",
        ])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.isEmpty)
        #expect(third.stderr.contains("(1 suppressed)"))
    }

    @Test func aKilledRunResumesWithoutLosingOrDuplicatingFindings() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        for index in 0..<30 {
            try TestFiles.write(
                src, "b1/file\(String(format: "%02d", index)).csv", index % 2 == 0 ? Self.ssn : "clean\n")
        }
        #expect(
            try TrawlBinary.run(["job", "create", "big", src.path, "--schedule", "daily", "--state", state]).status == 0
        )

        // A slow run (test-only delay per object), killed once some batches are recorded.
        let process = try TrawlBinary.start(
            ["job", "run", "big", "--state", state, "-j", "1", "--no-progress"],
            environment: ["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS": "150"], output: .discard)
        var classifiedBeforeKill = 0
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            let show = try TrawlBinary.run(["job", "show", "big", "--state", state, "--format", "json"])
            classifiedBeforeKill = (try json(show)["lastRun"] as? [String: Any])?["classified"] as? Int ?? 0
            if classifiedBeforeKill > 0 { break }
        }
        #expect(classifiedBeforeKill > 0 && classifiedBeforeKill < 30)

        // A second process refuses while the first holds the job.
        let second = try TrawlBinary.run(["job", "run", "big", "--state", state, "--no-progress"])
        #expect(second.status == 75)
        #expect(
            second.stderr.contains("job big is already running in process \(process.processIdentifier)"),
            "\(second.stderr)")

        process.send(SIGKILL)
        process.wait()
        let show = try TrawlBinary.run(["job", "show", "big", "--state", state, "--format", "json"])
        #expect(try json(show)["status"] as? String == "INTERRUPTED")
        let findingsBefore = try JSONLines.parse(
            TrawlBinary.run(["findings", "--job", "big", "--state", state, "--format", "json"]).stdout)

        let resumed = try TrawlBinary.run(["job", "run", "big", "--state", state, "--no-progress"])
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed from its checkpoint"))
        let history = try runs("big", state: state)
        #expect(history.count == 1)
        #expect(history[0]["status"] as? String == "COMPLETE")
        #expect(history[0]["attempts"] as? Int == 2)
        #expect(history[0]["classified"] as? Int == 30)

        let findings = try JSONLines.parse(
            TrawlBinary.run(["findings", "--job", "big", "--state", state, "--format", "json"]).stdout)
        let keys = findings.compactMap {
            (($0["resourcesAffected"] as? [String: Any])?["s3Object"] as? [String: Any])?["key"] as? String
        }
        #expect(keys.count == 15)
        #expect(Set(keys).count == 15)
        // The findings written before the kill are still there, unchanged.
        let ids = Set(findings.compactMap { $0["id"] as? String })
        #expect(findingsBefore.allSatisfy { ids.contains($0["id"] as? String ?? "") })
    }

    @Test func applyRoundTripsAJobsFileAndAChangeKeepsHistory() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(dir, "src/b1/people.csv", Self.ssn)
        try TestFiles.write(
            dir, "jobs.json",
            """
            {"jobs": [{"name": "weekly-scan", "source": "src", "schedule": "weekly:mon@03:00", "timezone": "UTC",
                       "scope": {"includeExtensions": ["csv"]}, "maxCostUSD": 5}]}
            """)
        let jobsFile = dir.appendingPathComponent("jobs.json").path
        let applied = try TrawlBinary.run(["job", "apply", jobsFile, "--state", state])
        #expect(applied.status == 0 && applied.stdout.contains("created weekly-scan"), "\(applied.stderr)")
        #expect(try TrawlBinary.run(["job", "run", "weekly-scan", "--state", state, "--no-progress"]).status == 1)

        let exported = dir.appendingPathComponent("exported.json").path
        #expect(try TrawlBinary.run(["job", "export", "--state", state, "-o", exported]).status == 0)
        let again = try TrawlBinary.run(["job", "apply", exported, "--state", state])
        #expect(again.stdout.contains("unchanged weekly-scan (revision 1)"), "\(again.stdout)\(again.stderr)")

        var text = try String(contentsOfFile: exported, encoding: .utf8)
        text = text.replacingOccurrences(of: "weekly:monday@03:00", with: "monthly:31@01:00")
        try Data(text.utf8).write(to: URL(fileURLWithPath: exported))
        let changed = try TrawlBinary.run(["job", "apply", exported, "--state", state])
        #expect(
            changed.stdout.contains("updated weekly-scan: revision 2 (schedule changed)"),
            "\(changed.stdout)\(changed.stderr)")
        let history = try TrawlBinary.run(["job", "history", "weekly-scan", "--state", state, "--format", "json"])
        let object = try json(history)
        #expect((object["revisions"] as? [Any])?.count == 2)
        #expect((object["runs"] as? [Any])?.count == 1)

        // cron and systemd call `trawl job run NAME`.
        let cron = try TrawlBinary.run(["job", "cron", "weekly-scan", "--state", state])
        #expect(cron.stdout.contains("0 1 31 * * ") && cron.stdout.contains("job run weekly-scan"), "\(cron.stdout)")
        let systemd = try TrawlBinary.run(["job", "systemd", "weekly-scan", "--state", state])
        #expect(systemd.stdout.contains("OnCalendar=*-*-31 01:00:00 UTC") && systemd.stdout.contains("Persistent=true"))
    }

    @Test func clearErrors() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let state = dir.appendingPathComponent("state").path
        let unknown = try TrawlBinary.run(["job", "run", "nope", "--state", state])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no job named 'nope'"))
        let bad = try TrawlBinary.run(["job", "create", "x", dir.path, "--schedule", "fortnightly", "--state", state])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("accepted forms: once, daily[@HH:MM], weekly:DAY[@HH:MM]"))
        // A damaged store is reported and left as it is.
        let other = dir.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: other.appendingPathComponent("trawl.sqlite"))
        let damaged = try TrawlBinary.run(["job", "list", "--state", other.path])
        #expect(damaged.status == 2)
        #expect(damaged.stderr.contains("damaged or not a trawl database"))
    }

    @Test func theDaemonRunsDueJobsOnce() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(dir, "src/b1/people.csv", Self.ssn)
        #expect(
            try TrawlBinary.run(["job", "create", "now", dir.appendingPathComponent("src").path, "--state", state])
                .status == 0)
        #expect(
            try TrawlBinary.run([
                "job", "create", "later", dir.appendingPathComponent("src").path, "--schedule", "monthly:1", "--state",
                state,
            ]).status == 0)
        let tick = try TrawlBinary.run(["daemon", "--once", "--state", state])
        #expect(tick.status == 0, "\(tick.stderr)")
        #expect(tick.stdout.contains("job now: one-time job, running"))
        #expect(!tick.stdout.contains("job later"))
        #expect(try runs("now", state: state).count == 1)
        // Nothing more is due.
        let again = try TrawlBinary.run(["daemon", "--once", "--state", state])
        #expect(!again.stdout.contains("running"))
        let list = try TrawlBinary.run(["job", "list", "--state", state])
        #expect(list.stdout.contains("COMPLETE"))
    }
}

extension JobsEndToEndTests {
    @Test func sigtermStopsTheDaemonAtACheckpointAndTheNextTickResumes() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        for index in 0..<20 { try TestFiles.write(src, "b1/f\(index).csv", index % 4 == 0 ? Self.ssn : "clean\n") }
        #expect(try TrawlBinary.run(["job", "create", "once-job", src.path, "--state", state]).status == 0)

        let daemon = try TrawlBinary.start(
            ["daemon", "--once", "--state", state, "-j", "1"],
            environment: ["TRAWL_TEST_ONLY_DELAY_PER_OBJECT_MS": "150"], output: .discard)
        let deadline = Date().addingTimeInterval(30)
        var classified = 0
        while Date() < deadline && classified == 0 {
            Thread.sleep(forTimeInterval: 0.1)
            let show = try TrawlBinary.run(["job", "show", "once-job", "--state", state, "--format", "json"])
            classified = (try json(show)["lastRun"] as? [String: Any])?["classified"] as? Int ?? 0
        }
        daemon.send(SIGTERM)
        #expect(daemon.wait(timeout: 600).terminationReason == .exit)
        let stopped = try runs("once-job", state: state)
        #expect(stopped.first?["status"] as? String == "INTERRUPTED")
        let done = stopped.first?["classified"] as? Int ?? 0
        #expect(done > 0 && done < 20)

        let tick = try TrawlBinary.run(["daemon", "--once", "--state", state])
        #expect(tick.stdout.contains("resuming its interrupted run"), "\(tick.stdout)")
        let after = try runs("once-job", state: state)
        #expect(after.count == 1)
        #expect(after.first?["status"] as? String == "COMPLETE")
        #expect(after.first?["classified"] as? Int == 20)
        #expect(after.first?["findings"] as? Int == 5)
    }
}
