import Foundation
import Testing
import TrawlTestSupport

/// A clean result must mean clean: nothing the user pointed at is silently left out of scope.
@Suite struct ScopeTests {
    static func tree() throws -> URL {
        let root = try TemporaryDirectory.make("scope")
        let source = root.appendingPathComponent("exports")
        try FileManager.default.createDirectory(
            at: source.appendingPathComponent("acme-docs/hr"), withIntermediateDirectories: true)
        try "ssn 345-67-8912\n".write(
            to: source.appendingPathComponent("acme-docs/hr/offer.txt"), atomically: true, encoding: .utf8)
        try "ssn 456-78-9123\n".write(to: source.appendingPathComponent("loose.txt"), atomically: true, encoding: .utf8)
        return root
    }

    @Test func filesDirectlyInTheSourceAreObjectsOfABucketNamedAfterIt() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let run = try TrawlBinary.run(["scan", root.appendingPathComponent("exports").path, "--yes"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stdout.contains("scanned         2 objects in 2 bucket(s)"))
        #expect(run.stdout.contains("exports/loose.txt"))
        #expect(run.stdout.contains("files directly in"))
    }

    @Test func aSingleFileIsASource() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let run = try TrawlBinary.run(["scan", root.appendingPathComponent("exports/loose.txt").path, "--yes"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stdout.contains("scanned         1 objects in 1 bucket(s)"))
        #expect(run.stdout.contains("exports/loose.txt"))
    }

    @Test func aBucketFilterNamingNoBucketIsAnError() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let run = try TrawlBinary.run([
            "scan", root.appendingPathComponent("exports").path, "--include-bucket", "acme-doc", "--yes",
        ])
        #expect(run.status == 64, "\(run.output)")
        #expect(run.stderr.contains("has no bucket named acme-doc"))
        #expect(run.stderr.contains("acme-docs"))  // the buckets it does have
    }

    @Test func aScopeThatSelectsNothingSaysWhichFilterAndExits4() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let source = root.appendingPathComponent("exports").path
        let prefix = try TrawlBinary.run(["scan", source, "--include-prefix", "acme-docs/", "--yes"])
        #expect(prefix.status == 4, "\(prefix.output)")
        #expect(prefix.stderr.contains("--include-prefix acme-docs/ matches none of the 2 object(s) listed"))
        let estimate = try TrawlBinary.run(["estimate", source, "--include-ext", "pdf"])
        #expect(estimate.status == 4, "\(estimate.output)")
        #expect(estimate.stderr.contains("--include-ext pdf"))
        // Two filters that each match something but nothing together.
        let both = try TrawlBinary.run(["scan", source, "--include-prefix", "hr/", "--include-ext", "csv", "--yes"])
        #expect(both.status == 4)
        #expect(both.stderr.contains("--include-ext csv matches none"))
    }

    @Test func strictMakesASkippedObjectAFailure() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let source = root.appendingPathComponent("exports")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).write(
            to: source.appendingPathComponent("acme-docs/logo.png"))
        let relaxed = try TrawlBinary.run(["scan", source.path, "--yes"])
        #expect(relaxed.status == 1, "\(relaxed.output)")
        let strict = try TrawlBinary.run(["scan", source.path, "--yes", "--strict"])
        #expect(strict.status == 2, "\(strict.output)")
        #expect(strict.stderr.contains("--strict: 1 object(s) were not read in full"))
    }
}
