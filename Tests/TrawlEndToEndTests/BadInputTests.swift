import Foundation
import Testing
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Objects that cannot be read get a status and a reason; the scan goes on and exits 2.
@Suite struct BadInputTests {
    static func tree() throws -> URL {
        let root = try TemporaryDirectory.make("e2e")
        let bucket = root.appendingPathComponent("bucket")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        try "ssn 536-22-1734\n".write(
            to: bucket.appendingPathComponent("readable.txt"), atomically: true, encoding: .utf8)
        try "ssn 482-71-3390\n".write(
            to: bucket.appendingPathComponent("locked.txt"), atomically: true, encoding: .utf8)
        chmod(bucket.appendingPathComponent("locked.txt").path, 0)
        try "outside 301-58-2216\n".write(
            to: root.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: bucket.appendingPathComponent("escape.txt").path, withDestinationPath: "../outside.txt")
        try FileManager.default.createSymbolicLink(
            atPath: bucket.appendingPathComponent("inside.txt").path, withDestinationPath: "readable.txt")
        for path in [root.path, bucket.path] { chmod(path, 0o755) }
        return root
    }

    // As root the permission would not be real: the scan runs as `nobody` through setpriv.
    @Test(
        .enabled(
            if: !TestEnvironment.isRoot || TestEnvironment.canDropPrivileges,
            "as root, needs /usr/bin/setpriv (util-linux) to drop privileges so that an unreadable file is unreadable"))
    func unreadableFileAndEscapingLinkAreReportedAndTheScanGoesOn() throws {
        let root = try Self.tree()
        defer { TemporaryDirectory.remove(root) }
        let results = root.appendingPathComponent("results")
        var arguments = [
            "scan", root.path, "--yes", "--identifiers", "USA_SOCIAL_SECURITY_NUMBER", "--results", results.path,
            "--job-id", "bad",
        ]
        var executable = try TrawlBinary.path
        if TestEnvironment.isRoot {
            // Root reads every file: drop to an ordinary user so the permission is real.
            try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
            chmod(results.path, 0o777)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
            executable = "/usr/bin/setpriv"
        }
        let scan = try Subprocess.run(executable, arguments, timeout: 600)
        let stdout = scan.stdout
        #expect(scan.status == 2, "errors exit 2 even with findings: \(stdout)")
        let records = try JSONLines.gunzip(results.appendingPathComponent("bad.jsonl.gz").path)
        var statuses: [String: String] = [:]
        for record in records {
            let key = ((record["resourcesAffected"] as! [String: Any])["s3Object"] as! [String: Any])["key"] as! String
            let status =
                (((record["classificationDetails"] as! [String: Any])["result"] as! [String: Any])["status"]
                    as! [String: Any])
            statuses[key] = "\(status["code"]!) \(status["reason"] as? String ?? "-")"
        }
        #expect(statuses["readable.txt"] == "COMPLETE -")
        #expect(statuses["inside.txt"] == "COMPLETE -", "a link inside the bucket is followed")
        #expect(statuses["locked.txt"] == "SKIPPED PERMISSION_DENIED")
        #expect(statuses["escape.txt"]?.hasPrefix("SKIPPED") == true, "a link out of the bucket is not followed")
        #expect(!stdout.contains("301-58-2216"))
    }
}
