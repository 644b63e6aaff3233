import Foundation

/// Fresh, empty directories under the system temporary directory.
public enum TemporaryDirectory {
    /// Creates `trawl-<label>-<UUID>`; remove it with `remove(_:)` (usually in a `defer`).
    public static func make(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a directory made by `make(_:)` and everything in it.
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Runs `body` with a fresh directory and removes the directory afterwards, also on error.
    public static func with<T>(_ label: String = "test", _ body: (URL) throws -> T) throws -> T {
        let url = try make(label)
        defer { remove(url) }
        return try body(url)
    }
}

/// Files that tests write into their temporary trees.
public enum TestFiles {
    /// Writes `text` at `path` (folders created) below `root`.
    public static func write(_ root: URL, _ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
