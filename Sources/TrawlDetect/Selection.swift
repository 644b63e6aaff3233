/// Macie's `managedDataIdentifierSelector`: RECOMMENDED (default), ALL, NONE, INCLUDE a list,
/// and EXCLUDE a list (which trawl combines with any of the others).
public struct IdentifierSelection: Sendable, Equatable {
    public enum Base: Sendable, Equatable {
        case recommended, all, none
        case include([String])
    }

    public var base: Base
    public var exclude: [String]

    public init(base: Base, exclude: [String] = []) {
        self.base = base
        self.exclude = exclude
    }

    /// Parses `recommended`, `all`, `none` or `ID,ID,...`.
    public static func parse(_ text: String, exclude: String?) -> IdentifierSelection {
        let excluded = (exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        switch text.lowercased() {
        case "recommended", "": return IdentifierSelection(base: .recommended, exclude: excluded)
        case "all": return IdentifierSelection(base: .all, exclude: excluded)
        case "none": return IdentifierSelection(base: .none, exclude: excluded)
        default:
            let ids = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return IdentifierSelection(base: .include(ids), exclude: excluded)
        }
    }

    /// The selected identifiers. An unknown ID is an error listing the closest known ones.
    public func resolve(in catalog: Catalog) throws(CatalogError) -> [Identifier] {
        let known = Set(catalog.identifiers.map(\.id))
        for id in exclude + (includeList ?? []) where !known.contains(id) {
            let close = Self.closest(to: id, in: catalog.identifiers.map(\.id))
            throw CatalogError(
                identifier: id,
                message: "unknown identifier ID"
                    + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?")
                    + " (`trawl patterns list` shows them all)")
        }
        let chosen: [Identifier]
        switch base {
        case .recommended: chosen = catalog.identifiers.filter(\.recommended)
        case .all: chosen = catalog.identifiers
        case .none: chosen = []
        case .include(let ids): chosen = catalog.identifiers.filter { ids.contains($0.id) }
        }
        return chosen.filter { !exclude.contains($0.id) }
    }

    var includeList: [String]? {
        if case .include(let ids) = base { return ids }
        return nil
    }

    /// Up to three IDs closest to `id` by edit distance (case-insensitive), or containing it.
    static func closest(to id: String, in ids: [String]) -> [String] {
        let target = Array(id.uppercased())
        let scored = ids.map { candidate -> (String, Int) in
            let c = Array(candidate)
            if candidate.contains(id.uppercased()) && id.count >= 3 { return (candidate, 0) }
            var previous = Array(0...c.count)
            for (i, a) in target.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: c.count)
                for (j, b) in c.enumerated() {
                    current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
                }
                previous = current
            }
            return (candidate, previous[c.count])
        }
        let limit = Swift.max(3, target.count / 3)
        return scored.filter { $0.1 <= limit }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }
}
