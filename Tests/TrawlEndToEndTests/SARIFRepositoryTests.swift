import Foundation
import Testing
import TrawlTestSupport

/// SARIF from a local tree names files relative to the scanned folder (`%SRCROOT%`), so code
/// scanning dashboards can place results on a repository's files and lines.
@Suite struct SARIFRepositoryTests {
    @Test func localArtifactsAreRelativeToTheScannedFolder() throws {
        let root = try TemporaryDirectory.make("sarif")
        defer { TemporaryDirectory.remove(root) }
        let repository = root.appendingPathComponent("repo")
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("config"), withIntermediateDirectories: true)
        try "ssn 345-67-8912\n".write(
            to: repository.appendingPathComponent("config/app settings.env"), atomically: true, encoding: .utf8)
        let output = root.appendingPathComponent("trawl.sarif")
        let run = try TrawlBinary.run([
            "scan", repository.path, "--bucket", "repo", "--yes", "--format", "sarif", "-o", output.path,
        ])
        #expect(run.status == 1, "\(run.output)")
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        let sarifRun = (log?["runs"] as? [[String: Any]])?.first
        let base = (sarifRun?["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any]
        #expect((base?["uri"] as? String)?.hasPrefix("file:///") == true)
        #expect((base?["uri"] as? String)?.hasSuffix("/repo/") == true)
        let result = (sarifRun?["results"] as? [[String: Any]])?.first
        let location =
            ((result?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
                "artifactLocation"] as? [String: Any]
        #expect(location?["uri"] as? String == "config/app%20settings.env")
        #expect(location?["uriBaseId"] as? String == "%SRCROOT%")
        let validation = try JSONSchema.validate(
            document: output.path,
            schema: Repository.fixtures("TrawlReportTests/Resources/sarif-schema-2.1.0.json").path)
        #expect(validation.status == 0, "\(validation.output)")
    }
}
