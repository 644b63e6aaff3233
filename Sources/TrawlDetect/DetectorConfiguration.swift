import Foundation

/// Everything that decides which detector a scan runs: the catalog, the identifier selection,
/// custom identifiers and allow lists. `trawl scan` builds one from its flags, a job from its
/// stored definition; both get their detector here.
public struct DetectorConfiguration: Sendable, Equatable {
    /// A file given by path, kept with its content (a job keeps meaning what it meant when saved).
    public struct File: Sendable, Equatable {
        public var path: String
        public var content: Data
        public init(path: String, content: Data) {
            self.path = path
            self.content = content
        }

        /// Reads `path` now.
        public static func read(_ path: String, what: String) throws(CatalogError) -> File {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CatalogError(file: path, message: "cannot read the \(what)")
            }
            return File(path: path, content: data)
        }
    }

    /// A folder holding the managed identifier catalog, instead of the built-in one.
    public var catalogDirectory: String?
    /// `recommended`, `all`, `none`, or identifier IDs separated by commas.
    public var identifiers = "recommended"
    public var excludeIdentifiers: String?
    public var customIdentifiers: [File] = []
    public var allowLists: [File] = []
    public var allowRegexes: [String] = []

    public init() {}

    /// The detector this configuration describes.
    /// - Throws: `CatalogError` for an unknown identifier, an invalid custom identifier or allow
    ///   list, or a selection with no identifier at all.
    public func detector() throws -> Detector {
        let catalog =
            try catalogDirectory.map { try Catalog.load(directory: URL(fileURLWithPath: $0)) } ?? Catalog.builtin
        let selected = try IdentifierSelection.parse(identifiers, exclude: excludeIdentifiers).resolve(in: catalog)
        var custom: [CustomIdentifier] = []
        for file in customIdentifiers { custom += try CustomIdentifier.decode(file.content, file: file.path) }
        guard !selected.isEmpty || !custom.isEmpty else {
            throw CatalogError(
                message: "no identifiers selected: identifiers 'none' needs at least one custom identifier file")
        }
        var texts: [String] = []
        for file in allowLists { texts += try AllowList.textEntries(file.content, file: file.path) }
        return try Detector(
            identifiers: selected, custom: custom, allowList: AllowList(texts: texts, regexes: allowRegexes))
    }
}
