import Foundation

/// The repository's folders, found once from this file's path (Tests/TrawlTestSupport/ is two
/// levels below the root), so that tests read committed data wherever they are run from.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` below the root, e.g. `Repository.url("Corpus/accounts/sample")`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Corpus/: the sample buckets, accounts and the expected scan.
    public static let corpus = url("Corpus")
    /// Patterns/: the identifier catalog's JSON files.
    public static let patterns = url("Patterns")

    /// A test target's committed data folder, e.g. `fixtures("TrawlObjectsTests/Fixtures")`.
    public static func fixtures(_ relative: String) -> URL { url("Tests").appendingPathComponent(relative) }
}
