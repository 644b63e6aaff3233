import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the machine the tests run on, for `.enabled(if:)` / `.disabled(if:)` traits:
/// a test that cannot run here is reported as skipped with its reason, never passed silently.
public enum TestEnvironment {
    /// Running as root (root reads every file, whatever its permissions).
    public static let isRoot = getuid() == 0

    /// `/usr/bin/setpriv` (util-linux) is there, so a root test can run a child as `nobody`.
    public static let canDropPrivileges = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// The first executable called `name` on the PATH.
    public static func executable(named name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
