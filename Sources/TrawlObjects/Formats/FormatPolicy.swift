/// What is classifiable, by content and by extension: the one owner of the format tables.
///
/// The analyzer decides from the content (`ContentKind.sniff`); the estimate, which reads
/// nothing of remote objects, decides from the extension with the same tables, so the two
/// agree on every object whose content matches its name.
public enum FormatPolicy {
    /// The kind an extension implies when nothing else is known. Unknown extensions count as
    /// text, as Macie's "and others" do.
    public static func kind(forExtension fileExtension: String) -> ContentKind {
        ContentKind.kind(forExtension: fileExtension) ?? .text
    }

    /// Whether trawl analyses this kind (the rest are SKIPPED with `unsupportedReason`).
    public static func isSupported(_ kind: ContentKind) -> Bool { kind.unsupportedReason == nil }

    /// The size limit for a kind: over it nothing in the object is analysed.
    public static func sizeLimit(_ kind: ContentKind) -> Int64 {
        FormatLimits.macie.maxFileSize(for: kind) ?? Int64.max
    }

    /// File name extensions Macie itself counts as classifiable in its bucket statistics
    /// (`unclassifiableObjectCount.fileType`): its table, plus common non-binary text formats.
    /// This is Macie's notion, reported by the audit; what trawl reads is `isSupported`.
    public static let macieClassifiableExtensions: Set<String> = [
        "avro", "parquet", "gz", "gzip", "tar", "zip", "doc", "docx", "pdf", "xls", "xlsx", "eml",
        "csv", "htm", "html", "json", "jsonl", "tsv", "txt", "xml", "yaml", "yml",
        "log", "md", "ini", "cfg", "conf", "properties", "sql", "js", "ts", "py", "java", "c", "h", "cpp", "cs",
        "go", "rb", "php", "sh", "swift", "kt", "rs", "env", "toml", "pem", "key", "tf", "ndjson", "text", "rtf",
    ]

    /// Extensions of compressed objects (Macie's `sizeInBytesCompressed`).
    public static let compressedExtensions: Set<String> = ["gz", "gzip", "zip"]
}
