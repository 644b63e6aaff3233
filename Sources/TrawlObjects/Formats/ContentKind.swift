/// What an object's bytes are, decided from magic bytes first, then the file name extension,
/// then a text-versus-binary look at the first bytes. A mislabelled file is read as what it
/// is: a `.txt` that holds gzip is gzip, a `.gz` that holds text is text.
public enum ContentKind: String, Sendable, Hashable, CaseIterable {
    // Text, read line by line (lineRanges).
    case text, xml, html, yaml, eml
    // Structured text.
    case csv, tsv, json, jsonLines
    // Containers.
    case gzip, zip, tar
    // Office Open XML (zip packages).
    case docx, xlsx, pptx
    // Legacy Office (OLE compound file: .doc, .xls, .ppt, .msg).
    case oleDocument
    case pdf, avro, parquet
    // Not analysed by Macie.
    case image, audio, video
    /// Archives and compressors Macie does not open (7z, bzip2, xz, rar, zstd, lz4 ...).
    case otherArchive
    case executable
    case binary
    /// A zero-length object.
    case empty

    /// Macie's `result.mimeType` for this kind.
    public var mimeType: String {
        switch self {
        case .text: "text/plain"
        case .xml: "application/xml"
        case .html: "text/html"
        case .yaml: "application/x-yaml"
        case .eml: "message/rfc822"
        case .csv: "text/csv"
        case .tsv: "text/tab-separated-values"
        case .json: "application/json"
        case .jsonLines: "application/jsonl"
        case .gzip: "application/gzip"
        case .zip: "application/zip"
        case .tar: "application/x-tar"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .oleDocument: "application/x-ole-storage"
        case .pdf: "application/pdf"
        case .avro: "application/avro"
        case .parquet: "application/vnd.apache.parquet"
        case .image: "image/unknown"
        case .audio: "audio/unknown"
        case .video: "video/unknown"
        case .otherArchive: "application/octet-stream"
        case .executable: "application/octet-stream"
        case .binary: "application/octet-stream"
        case .empty: "application/x-empty"
        }
    }

    /// Read as plain lines (lineRanges).
    public var isPlainText: Bool {
        switch self {
        case .text, .xml, .html, .yaml, .eml: true
        default: false
        }
    }

    /// Any text kind, structured or not: malformed structured text falls back to lines.
    public var isText: Bool {
        isPlainText || self == .csv || self == .tsv || self == .json || self == .jsonLines
    }

    /// Containers whose members are scanned (gzip counts: one member).
    public var isArchive: Bool { self == .gzip || self == .zip || self == .tar }

    public var isOOXML: Bool { self == .docx || self == .xlsx || self == .pptx }

    /// The reason an object of this kind is skipped without reading, or nil when trawl reads it.
    /// (Avro, Parquet, PDF and legacy Office are supported by Macie but not yet by trawl.)
    public var unsupportedReason: ReasonCode? {
        switch self {
        case .image, .audio, .video, .otherArchive, .executable, .binary, .pptx, .oleDocument, .pdf,
            .avro, .parquet:
            .unsupportedFileTypeException
        default: nil
        }
    }

    // MARK: - Sniffing

    /// How many leading bytes `sniff` looks at; hand it at least this many when the object has them.
    public static let sniffLength = 8192

    /// Decides the kind of an object from its extension (with or without the dot, any case;
    /// "" when none) and its first bytes (`sniffLength` is enough; all of them for a small
    /// object; none only for an empty object).
    public static func sniff(fileExtension: String, head: UnsafeRawBufferPointer) -> ContentKind {
        let ext = normalizedExtension(fileExtension)
        if head.isEmpty { return .empty }
        if let magic = sniffMagic(head, ext: ext) { return magic }
        let fromExtension = kind(forExtension: ext)
        let textual = looksLikeText(head)
        if let fromExtension {
            if fromExtension.isText {
                guard textual else { return .binary }
                if fromExtension == .json || fromExtension == .jsonLines {
                    // A .json whose first character cannot start JSON is read as text.
                    return startsLikeJSON(head) ? fromExtension : .text
                }
                return fromExtension
            }
            // The extension promises a binary format the magic bytes did not confirm.
            switch fromExtension {
            case .image, .audio, .video, .executable, .otherArchive, .oleDocument, .avro, .parquet:
                // Formats with weak or no magic here: trust the extension unless it is text.
                return textual ? .text : fromExtension
            default:
                return textual ? .text : .binary
            }
        }
        return textual ? .text : .binary
    }

    /// Convenience for `[UInt8]` heads.
    public static func sniff(fileExtension: String, head: [UInt8]) -> ContentKind {
        head.withUnsafeBytes { sniff(fileExtension: fileExtension, head: $0) }
    }

    /// The extension of a file name or key ("logs/a.JSON" → "json", "x.tar.gz" → "gz", no
    /// extension → ""). Dot files (".env") have none.
    public static func fileExtension(of name: String) -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(name)
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }

    /// The kind an extension names, or nil for an unknown one.
    public static func kind(forExtension fileExtension: String) -> ContentKind? {
        switch normalizedExtension(fileExtension) {
        case "txt", "text", "log", "logs", "md", "markdown", "rst", "ini", "cfg", "conf", "config", "env",
            "properties", "toml", "sql", "sh", "bash", "zsh", "ps1", "bat", "py", "rb", "js", "mjs", "ts",
            "java", "kt", "go", "rs", "swift", "c", "h", "cpp", "hpp", "cs", "php", "pl", "r", "tf",
            "tfvars", "hcl", "pem", "key", "crt", "cer", "pub", "asc", "ldif", "vcf", "ics", "srt",
            "tex", "rtf", "out", "err", "trace", "dat":
            return .text
        case "xml", "xsd", "xsl", "xslt", "svg", "plist", "wsdl", "rss", "atom", "xaml":
            return .xml
        case "htm", "html", "xhtml", "shtml": return .html
        case "yaml", "yml": return .yaml
        case "eml", "mbox": return .eml
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "json", "geojson", "har", "ipynb", "webmanifest": return .json
        case "jsonl", "ndjson", "ldjson", "jsonlines": return .jsonLines
        case "gz", "gzip", "tgz": return .gzip
        case "zip", "jar", "war", "ear", "apk", "whl": return .zip
        case "tar": return .tar
        case "docx", "docm", "dotx", "dotm": return .docx
        case "xlsx", "xlsm", "xltx", "xltm": return .xlsx
        case "pptx", "pptm", "potx", "ppsx": return .pptx
        case "doc", "xls", "ppt", "msg", "dot", "xlt", "pot": return .oleDocument
        case "pdf": return .pdf
        case "avro": return .avro
        case "parquet": return .parquet
        case "png", "jpg", "jpeg", "gif", "webp", "tif", "tiff", "bmp", "ico", "heic", "heif", "avif",
            "psd", "raw", "cr2", "nef", "dng", "jp2":
            return .image
        case "mp3", "wav", "flac", "ogg", "oga", "m4a", "aac", "wma", "aif", "aiff", "opus", "mid", "midi":
            return .audio
        case "mp4", "m4v", "mov", "avi", "mkv", "webm", "wmv", "flv", "mpg", "mpeg", "3gp", "ts_video":
            return .video
        case "7z", "bz2", "xz", "rar", "zst", "lz4", "lzma", "z", "cab", "iso", "dmg", "tbz2", "txz":
            return .otherArchive
        case "exe", "dll", "so", "dylib", "o", "a", "class", "bin", "elf", "wasm", "pyc":
            return .executable
        default:
            return nil
        }
    }

    static func normalizedExtension(_ ext: String) -> String {
        var e = Substring(ext)
        while e.first == "." { e = e.dropFirst() }
        return e.lowercased()
    }

    /// Magic numbers. Only signatures long or structured enough not to fire on text.
    static func sniffMagic(_ h: UnsafeRawBufferPointer, ext: String) -> ContentKind? {
        func has(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            guard offset + bytes.count <= h.count else { return false }
            for i in 0..<bytes.count where h[offset + i] != bytes[i] { return false }
            return true
        }
        if has([0x1F, 0x8B]) && h.count >= 3 && h[2] == 8 { return .gzip }
        if has([0x50, 0x4B, 0x03, 0x04]) || has([0x50, 0x4B, 0x05, 0x06]) || has([0x50, 0x4B, 0x07, 0x08]) {
            switch ooxmlKind(localHeadersIn: h) {
            case .office(let kind): return kind
            case .none: return .zip  // every entry seen, none is an Office part
            case .unknown: return zipKind(forExtension: ext)
            }
        }
        if has(Array("%PDF-".utf8)) { return .pdf }
        if has([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oleDocument }
        if has(Array("ustar".utf8), at: 257) { return .tar }
        if ext == "tar", TarArchive.isHeaderChecksumValid(h) { return .tar }
        // Images.
        if has([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .image }
        if has([0xFF, 0xD8, 0xFF]) { return .image }
        if has(Array("GIF87a".utf8)) || has(Array("GIF89a".utf8)) { return .image }
        if has([0x49, 0x49, 0x2A, 0x00]) || has([0x4D, 0x4D, 0x00, 0x2A]) { return .image }
        if ext == "ico", has([0x00, 0x00, 0x01, 0x00]) { return .image }
        if has(Array("8BPS".utf8)) { return .image }
        if has([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return .image }  // JPEG 2000
        if has(Array("BM".utf8)), h.count >= 18, h[6] == 0, h[7] == 0, h[8] == 0, h[9] == 0,
            [12, 40, 52, 56, 64, 108, 124].contains(Int(h[14])), h[15] == 0, h[16] == 0, h[17] == 0
        {
            return .image
        }
        // RIFF containers.
        if has(Array("RIFF".utf8)) {
            if has(Array("WEBP".utf8), at: 8) { return .image }
            if has(Array("WAVE".utf8), at: 8) { return .audio }
            if has(Array("AVI ".utf8), at: 8) { return .video }
        }
        // ISO base media (MP4, MOV, HEIC, AVIF, M4A).
        if has(Array("ftyp".utf8), at: 4) {
            if h.count >= 12 {
                let brand = String(decoding: UnsafeRawBufferPointer(rebasing: h[8..<12]), as: UTF8.self)
                if ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif", "avis"].contains(brand) {
                    return .image
                }
                if ["M4A ", "M4B ", "M4P ", "F4A "].contains(brand) { return .audio }
            }
            return .video
        }
        if has([0x1A, 0x45, 0xDF, 0xA3]) { return .video }  // Matroska / WebM
        if has([0x00, 0x00, 0x01, 0xBA]) || has([0x00, 0x00, 0x01, 0xB3]) { return .video }
        if has(Array("FLV".utf8)) && h.count > 3 && h[3] == 1 { return .video }
        if has([0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) { return .video }  // ASF / WMV
        // Audio.
        if has(Array("ID3".utf8)) && h.count > 3 && h[3] <= 5 { return .audio }
        if has(Array("fLaC".utf8)) || has(Array("OggS".utf8)) || has(Array("MThd".utf8)) { return .audio }
        if has(Array("FORM".utf8)) && (has(Array("AIFF".utf8), at: 8) || has(Array("AIFC".utf8), at: 8)) {
            return .audio
        }
        if h.count >= 2, h[0] == 0xFF, h[1] & 0xE0 == 0xE0, ext == "mp3" || ext == "aac" { return .audio }
        // Other archives and compressors.
        if has([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .otherArchive }
        if has(Array("BZh".utf8)) && h.count >= 10 && (0x31...0x39).contains(h[3])
            && has([0x31, 0x41, 0x59, 0x26, 0x53, 0x59], at: 4)
        {
            return .otherArchive
        }
        if has([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .otherArchive }
        if has(Array("Rar!".utf8)) && has([0x1A, 0x07], at: 4) { return .otherArchive }
        if has([0x28, 0xB5, 0x2F, 0xFD]) || has([0x04, 0x22, 0x4D, 0x18]) { return .otherArchive }
        if has([0x1F, 0x9D]) || has([0x5D, 0x00, 0x00]) && ext == "lzma" { return .otherArchive }
        // Big data.
        if has(Array("Obj".utf8)) && h.count > 3 && h[3] == 1 { return .avro }
        if has(Array("PAR1".utf8)) { return .parquet }
        // Executables and other binaries with firm magic.
        if has([0x7F, 0x45, 0x4C, 0x46]) { return .executable }
        if has([0xCF, 0xFA, 0xED, 0xFE]) || has([0xFE, 0xED, 0xFA, 0xCF]) || has([0xCE, 0xFA, 0xED, 0xFE]) {
            return .executable
        }
        if has([0xCA, 0xFE, 0xBA, 0xBE]) { return .executable }
        if has(Array("MZ".utf8)) && h.count >= 64 && !looksLikeText(h) { return .executable }
        if has([0x00, 0x61, 0x73, 0x6D]) { return .executable }  // wasm
        if has(Array("SQLite format 3\u{0}".utf8)) { return .binary }
        return nil
    }

    private static func zipKind(forExtension ext: String) -> ContentKind {
        switch kind(forExtension: ext) {
        case .docx?: .docx
        case .xlsx?: .xlsx
        case .pptx?: .pptx
        default: .zip
        }
    }

    /// The OOXML kind of a zip package from its entry names (the central directory's), or nil
    /// when it is not an OOXML package: `[Content_Types].xml` plus the main part.
    public static func ooxmlKind(entryNames: some Sequence<String>) -> ContentKind? {
        var hasContentTypes = false
        var kind: ContentKind?
        for name in entryNames {
            switch name {
            case "[Content_Types].xml": hasContentTypes = true
            case "word/document.xml": kind = .docx
            case "xl/workbook.xml": kind = .xlsx
            case "ppt/presentation.xml": kind = .pptx
            default: break
            }
        }
        return hasContentTypes ? kind : nil
    }

    private static func ooxmlKind(entryName name: String) -> ContentKind? {
        if name == "word/document.xml" || name.hasPrefix("word/") { return .docx }
        if name == "xl/workbook.xml" || name.hasPrefix("xl/") { return .xlsx }
        if name == "ppt/presentation.xml" || name.hasPrefix("ppt/") { return .pptx }
        return nil
    }

    enum LocalHeaderVerdict: Equatable {
        case office(ContentKind)
        case none
        case unknown
    }

    /// Walks the zip local file headers that fit in `head` and looks at their names: an
    /// Office part name decides; reaching the central directory without one means a plain
    /// zip; anything else (the head ends, an entry's size is deferred to a data descriptor)
    /// leaves it unknown.
    static func ooxmlKind(localHeadersIn h: UnsafeRawBufferPointer) -> LocalHeaderVerdict {
        var offset = 0
        var entries = 0
        while offset + 30 <= h.count, entries < 64 {
            guard h[offset] == 0x50, h[offset + 1] == 0x4B else { break }
            if h[offset + 2] == 1 && h[offset + 3] == 2 || h[offset + 2] == 5 && h[offset + 3] == 6 { return .none }
            guard h[offset + 2] == 3, h[offset + 3] == 4 else { break }
            let flags = Int(h[offset + 6]) | Int(h[offset + 7]) << 8
            let compressed =
                Int(h[offset + 18]) | Int(h[offset + 19]) << 8 | Int(h[offset + 20]) << 16
                | Int(h[offset + 21]) << 24
            let nameLength = Int(h[offset + 26]) | Int(h[offset + 27]) << 8
            let extraLength = Int(h[offset + 28]) | Int(h[offset + 29]) << 8
            let nameStart = offset + 30
            guard nameStart + nameLength <= h.count else { break }
            let name = String(
                decoding: UnsafeRawBufferPointer(rebasing: h[nameStart..<nameStart + nameLength]), as: UTF8.self)
            if let kind = ooxmlKind(entryName: name) { return .office(kind) }
            entries += 1
            if flags & 0x08 != 0 || compressed == 0xFFFF_FFFF { break }
            offset = nameStart + nameLength + extraLength + compressed
        }
        if offset + 4 <= h.count, h[offset] == 0x50, h[offset + 1] == 0x4B,
            h[offset + 2] == 1 && h[offset + 3] == 2 || h[offset + 2] == 5 && h[offset + 3] == 6
        {
            return .none
        }
        return .unknown
    }

    /// True when the first character that is not whitespace (after a UTF-8 BOM) can start a
    /// JSON value.
    static func startsLikeJSON(_ h: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        if h.count >= 3, h[0] == 0xEF, h[1] == 0xBB, h[2] == 0xBF { i = 3 }
        while i < h.count {
            let b = h[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                return true
            default: return false
            }
        }
        return true  // whitespace only: let the JSON reader say what is wrong
    }

    /// Text versus binary over (at most) the first `sniffLength` bytes: a NUL byte, or more
    /// than 10% control bytes other than tab, newlines, form feed and escape, means binary.
    /// Invalid UTF-8 is still text (Latin-1 logs are text). UTF-16 text with a BOM counts as
    /// binary: the detector reads UTF-8.
    public static func looksLikeText(_ h: UnsafeRawBufferPointer) -> Bool {
        let n = min(h.count, sniffLength)
        if n == 0 { return true }
        var control = 0
        for i in 0..<n {
            let b = h[i]
            if b < 0x20 {
                switch b {
                case 0x00: return false
                case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B: break
                default: control += 1
                }
            } else if b == 0x7F {
                control += 1
            }
        }
        return control * 10 <= n
    }
}
