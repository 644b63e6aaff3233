import Foundation
import TrawlRegex

/// Macie's allow lists: text that is never reported even when an identifier matches it.
/// Applied after detection, to managed and custom identifiers alike.
public struct AllowList: Sendable, Equatable {
    /// Predefined text entries: a detection whose text equals one, ignoring case, is dropped.
    public var texts: [String]
    /// Regular expressions: a detection whose text the expression matches completely is dropped.
    public var regexes: [String]

    public init(texts: [String] = [], regexes: [String] = []) {
        self.texts = texts
        self.regexes = regexes
    }

    public var isEmpty: Bool { texts.isEmpty && regexes.isEmpty }

    /// Reads a line-delimited text list (Macie's `s3WordsList` format): one entry per line,
    /// surrounding whitespace trimmed, empty lines skipped.
    public static func textEntries(file path: String) throws(CatalogError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogError(file: path, message: "cannot read the allow list")
        }
        return try textEntries(data, file: path)
    }

    /// The same for a list's contents (`file` names it in errors).
    public static func textEntries(_ data: Data, file path: String) throws(CatalogError) -> [String] {
        let entries = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard entries.count <= 100_000 else {
            throw CatalogError(file: path, message: "more than 100,000 entries (Macie's limit)")
        }
        return entries
    }
}

struct CompiledAllowList: Sendable {
    let texts: Set<[UInt8]>
    let patterns: [CompiledPattern]

    init(_ list: AllowList) throws(CatalogError) {
        texts = Set(list.texts.map { Array($0.utf8).map(asciiLower) })
        var patterns: [CompiledPattern] = []
        for regex in list.regexes {
            guard (1...512).contains(regex.count) else {
                throw CatalogError(field: "allow-regex", message: "must be 1 to 512 characters")
            }
            do {
                // Whole match: anchored at the start by the match call, at the end here.
                patterns.append(try CompiledPattern("(?:" + regex + ")\\z", options: [.utf]))
            } catch {
                throw CatalogError(field: "allow-regex", message: "\(regex): \(error.description)")
            }
        }
        self.patterns = patterns
    }

    var isEmpty: Bool { texts.isEmpty && patterns.isEmpty }

    func allows(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, scratch: MatchScratch) -> Bool {
        if !texts.isEmpty && texts.contains(buffer[range].map(asciiLower)) { return true }
        for pattern in patterns {
            let value = UnsafeRawBufferPointer(rebasing: buffer[range])
            if let match = try? pattern.firstMatch(in: value, from: 0, anchored: true, scratch: scratch),
                match.range == 0..<value.count
            {
                return true
            }
        }
        return false
    }
}
