import Foundation
import Testing
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// An object that kills trawl (here through the test-only `TRAWL_TEST_ONLY_CRASH_ON_KEY`) is
/// retried once, alone, in a process of its own, then SKIPPED; it never stops the job twice.
@Suite(.serialized) struct JobCrashTests {
    static let ssn = "name,ssn\nJohn Smith,123-45-6789\n"

    /// `trawl job run` with the poisoned key: its status (the signal number when killed by one).
    func run(_ job: String, state: String, poison: String) throws -> (status: Int32, signalled: Bool, stderr: String) {
        let result = try TrawlBinary.run(
            ["job", "run", job, "--state", state, "-j", "2", "--no-progress"],
            environment: ["TRAWL_TEST_ONLY_CRASH_ON_KEY": poison])
        return (result.status, result.terminationReason == .uncaughtSignal, result.stderr)
    }

    func show(_ job: String, state: String) throws -> [String: Any] {
        let show = try TrawlBinary.run(["job", "show", job, "--state", state, "--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func anObjectThatCrashesTrawlTwiceIsSkippedAndTheJobCompletes() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        for index in 0..<12 {
            try TestFiles.write(
                src, "b1/file\(String(format: "%02d", index)).csv", index % 3 == 0 ? Self.ssn : "clean\n")
        }
        try TestFiles.write(src, "b1/poison.csv", Self.ssn)
        #expect(
            try TrawlBinary.run(["job", "create", "crashy", src.path, "--schedule", "daily", "--state", state]).status
                == 0)

        // The first run dies on the object. The resumed run reads it again in a process of its
        // own, which dies too: it is recorded SKIPPED and the run completes with everything else.
        let first = try run("crashy", state: state, poison: "poison.csv")
        #expect(first.signalled && first.status == SIGABRT, "\(first)")
        let second = try run("crashy", state: state, poison: "poison.csv")
        #expect(!second.signalled && second.status == 1, "\(second)")
        #expect(
            second.stderr.contains(
                "s3://b1/poison.csv: trawl crashed twice reading this object; skipped (UNABLE_TO_PARSE_FILE)"),
            "\(second.stderr)")
        let shown = try show("crashy", state: state)
        #expect((shown["objects"] as? [String: Int])?["SKIPPED"] == 1, "\(shown)")
        let last = shown["lastRun"] as? [String: Any] ?? [:]
        #expect(last["status"] as? String == "COMPLETE")
        #expect(last["classified"] as? Int == 13)
        #expect(last["attempts"] as? Int == 2)
        let findings = try JSONLines.parse(
            TrawlBinary.run(["findings", "--job", "crashy", "--state", state, "--format", "json"]).stdout)
        let keys = findings.compactMap {
            (($0["resourcesAffected"] as? [String: Any])?["s3Object"] as? [String: Any])?["key"] as? String
        }
        #expect(keys.sorted() == ["file00.csv", "file03.csv", "file06.csv", "file09.csv"])

        // Later runs do not read it again while it is unchanged...
        let third = try run("crashy", state: state, poison: "poison.csv")
        #expect(!third.signalled && third.status == 0, "\(third)")
        // ...and read a new version of it.
        try TestFiles.write(src, "b1/poison.csv", Self.ssn + "Jane Roe,123-45-6780\n")
        let fourth = try run("crashy", state: state, poison: "poison.csv")
        #expect(fourth.signalled, "\(fourth)")
    }
}
