import Foundation

/// JSON Lines as the scanner writes them: one JSON object a line, optionally gzipped.
public enum JSONLines {
    /// The objects of a JSON Lines text.
    public static func parse(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }

    /// The objects of a gzipped JSON Lines file (decompressed by `gzip -dc`).
    public static func gunzip(_ path: String) throws -> [[String: Any]] {
        try parse(try Subprocess.run("gzip", ["-dc", path]).stdout)
    }
}
