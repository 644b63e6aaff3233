import Foundation

/// The built `trawl` executable, run as a user runs it.
public enum TrawlBinary {
    /// Where `trawl` is: `$TRAWL_BINARY`, else next to the running test bundle (SwiftPM puts a
    /// configuration's products together in `.build/<triple>/<config>/`, which
    /// `.build/<config>` links to), else `.build/debug/trawl` or `.build/release/trawl`.
    public static var path: String {
        get throws { try located.get() }
    }

    private static let located: Result<String, TestSetupError> = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["TRAWL_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        // The test executable itself (on Linux, `.build/<triple>/<config>/<package>PackageTests.xctest`).
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if running.path != "/proc/self/exe" {
            candidates.append(running.deletingLastPathComponent().appendingPathComponent("trawl"))
        }
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("trawl"))
        }
        let argument0 = URL(
            fileURLWithPath: CommandLine.arguments[0],
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        candidates.append(argument0.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("trawl"))
        candidates.append(Repository.url(".build/debug/trawl"))
        candidates.append(Repository.url(".build/release/trawl"))
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return .success(found.path)
        }
        return .failure(
            TestSetupError(
                "the trawl binary was not found (looked at \(candidates.map(\.path))); `swift build` builds it"))
    }()

    /// Runs `trawl arguments...` in `directory` (the repository root unless told, as a user in
    /// the repository types it) and returns its status and output. The timeout only stops a
    /// hung binary from hanging the suite.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL = Repository.root,
        stdin: Data? = nil,
        timeout: TimeInterval = 600
    ) throws -> ProcessResult {
        try Subprocess.run(
            try path, arguments, environment: environment, directory: directory, stdin: stdin, timeout: timeout)
    }

    /// Starts `trawl arguments...` and returns at once (a scan to interrupt, a daemon to stop).
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], directory: URL = Repository.root,
        output: Subprocess.Output = .capture
    ) throws -> RunningProcess {
        try Subprocess.start(try path, arguments, environment: environment, directory: directory, output: output)
    }
}
