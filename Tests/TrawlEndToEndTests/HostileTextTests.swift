import Foundation
import Testing
import TrawlTestSupport

/// What a hostile object name can do to the person reading trawl's output, and what trawl's
/// files tell other users of the machine: through the built binary.
@Suite(.serialized) struct HostileTextTests {
    static let ssn = "name,ssn\nJohn Smith,123-45-6789\n"

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theStateDirectoryAndEveryFileTrawlWritesArePrivate() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(src, "b1/people.csv", Self.ssn)
        #expect(try TrawlBinary.run(["job", "create", "private", src.path, "--state", state]).status == 0)
        let run = try TrawlBinary.run(["job", "run", "private", "--state", state, "--no-progress"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try mode(state) == 0o700)
        for file in ["trawl.sqlite", "trawl.sqlite-wal", "trawl.sqlite-shm"] {
            let path = state + "/" + file
            if FileManager.default.fileExists(atPath: path) { #expect(try mode(path) == 0o600, "\(file)") }
        }

        let out = dir.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let scan = try TrawlBinary.run([
            "scan", src.path, "--yes", "--no-progress", "--format", "json", "-o", out + "/findings.json",
            "--results", out + "/results", "--buckets", out + "/buckets.jsonl",
        ])
        #expect(scan.status == 1, "\(scan.stderr)")
        let written = try FileManager.default.subpathsOfDirectory(atPath: out).map { out + "/" + $0 }
        #expect(written.count >= 4, "\(written)")
        for path in written {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            #expect(try mode(path) == (isDirectory.boolValue ? 0o700 : 0o600), "\(path)")
        }
    }

    @Test func aKeyWithTerminalEscapesIsPrintedInert() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(src, "b1/evil\u{1B}[2J\nname.csv", Self.ssn)
        let shown = "evil\\x1b[2J\\nname.csv"

        let scan = try TrawlBinary.run(["scan", src.path, "--yes", "--no-progress"])
        #expect(scan.status == 1, "\(scan.stderr)")
        #expect(scan.stdout.contains(shown), "\(scan.stdout)")
        #expect(!scan.stdout.contains("\u{1B}") && !scan.stderr.contains("\u{1B}[2J"))

        #expect(try TrawlBinary.run(["job", "create", "evil", src.path, "--state", state]).status == 0)
        #expect(try TrawlBinary.run(["job", "run", "evil", "--state", state, "--no-progress"]).status == 1)
        let table = try TrawlBinary.run(["findings", "--job", "evil", "--state", state])
        #expect(table.stdout.contains(shown), "\(table.stdout)")
        #expect(!table.stdout.contains("\u{1B}"))
    }

    @Test func csvCellsThatLookLikeFormulasAreNeutralised() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(src, "b1/=HYPERLINK(1).csv", Self.ssn)
        try TestFiles.write(src, "b1/\tcmd.csv", Self.ssn)

        let scan = try TrawlBinary.run(["scan", src.path, "--yes", "--no-progress", "--format", "csv"])
        #expect(scan.stdout.contains(",'=HYPERLINK(1).csv,"), "\(scan.stdout)")
        #expect(scan.stdout.contains(",'\tcmd.csv,"), "\(scan.stdout)")

        #expect(try TrawlBinary.run(["job", "create", "formulas", src.path, "--state", state]).status == 0)
        #expect(try TrawlBinary.run(["job", "run", "formulas", "--state", state, "--no-progress"]).status == 1)
        let csv = try TrawlBinary.run(["findings", "--job", "formulas", "--state", state, "--format", "csv"])
        #expect(csv.stdout.contains(",'=HYPERLINK(1).csv,"), "\(csv.stdout)")
        #expect(csv.stdout.contains(",'\tcmd.csv,"), "\(csv.stdout)")
    }

    @Test func archiveFiltersMatchTheirTextLiterally() throws {
        let dir = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(dir) }
        let src = dir.appendingPathComponent("src")
        let state = dir.appendingPathComponent("state").path
        try TestFiles.write(src, "b1/people.csv", Self.ssn)
        #expect(try TrawlBinary.run(["job", "create", "literal", src.path, "--state", state]).status == 0)
        #expect(try TrawlBinary.run(["job", "run", "literal", "--state", state, "--no-progress"]).status == 1)

        // `%` and `_` were LIKE wildcards: each of these used to archive the finding.
        for filter in [
            ["--identifier", "USA%"], ["--identifier", "USA_SOCIAL_SECURITY_NUMBE_"], ["--identifier", "%"],
            ["--type", "%"], ["--type", "Persona_"],
        ] {
            let archive = try TrawlBinary.run(["findings", "archive", "--no-rule", "--state", state] + filter)
            #expect(
                archive.status == 0 && archive.stdout.contains("archived 0 finding"),
                "\(filter): \(archive.stdout)\(archive.stderr)")
        }
        let exact = try TrawlBinary.run([
            "findings", "archive", "--no-rule", "--identifier", "USA_SOCIAL_SECURITY_NUMBER", "--state", state,
        ])
        #expect(exact.stdout.contains("archived 1 finding"), "\(exact.stdout)\(exact.stderr)")
    }
}
