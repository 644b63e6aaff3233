/// The header of a gzip member (RFC 1952): what the runner needs to pick the inner format
/// (`logs.json.gz` is JSON; `data.gz` whose header names `data.csv` is CSV).
public struct GzipHeader: Sendable, Hashable {
    /// FNAME: the original file name, when the compressor stored one (ISO 8859-1 by the RFC;
    /// decoded as UTF-8 when valid, else as Latin-1).
    public var originalName: String?
    public var comment: String?
    /// MTIME (seconds since 1970; 0 when not stored).
    public var modified: UInt32
    /// FTEXT: the compressor thought the data is text.
    public var isText: Bool
    /// Where the deflate data starts.
    public var headerLength: Int

    /// Parses the header at the start of `bytes`; nil when it is not gzip or the header is cut off.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> GzipHeader? {
        guard bytes.count >= 10, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 8 else { return nil }
        let flags = bytes[3]
        let modified = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        var i = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard i + 2 <= bytes.count else { return nil }
            i += 2 + (Int(bytes[i]) | Int(bytes[i + 1]) << 8)
        }
        func zeroTerminated() -> String?? {
            guard i <= bytes.count else { return .none }
            var end = i
            while end < bytes.count, bytes[end] != 0 { end += 1 }
            guard end < bytes.count else { return .none }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[i..<end])
            i = end + 1
            if let utf8 = String(validating: raw, as: UTF8.self) { return .some(utf8) }
            return .some(String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) })))
        }
        var name: String?
        var comment: String?
        if flags & 0x08 != 0 {
            guard let value = zeroTerminated() else { return nil }
            name = value
        }
        if flags & 0x10 != 0 {
            guard let value = zeroTerminated() else { return nil }
            comment = value
        }
        if flags & 0x02 != 0 { i += 2 }  // FHCRC
        guard i <= bytes.count else { return nil }
        return GzipHeader(
            originalName: name, comment: comment, modified: modified, isText: flags & 0x01 != 0, headerLength: i)
    }

    public static func parse(_ bytes: [UInt8]) -> GzipHeader? { bytes.withUnsafeBytes { parse($0) } }

    /// The name to sniff the decompressed data by: the object's name without its `.gz`/`.gzip`
    /// (`.tgz` → `.tar`), or the header's original name when the object's name gives no
    /// extension once stripped.
    public static func innerName(objectName: String, header: GzipHeader?) -> String {
        let lower = objectName.lowercased()
        var stripped = objectName
        if lower.hasSuffix(".tgz") {
            stripped = String(objectName.dropLast(4)) + ".tar"
        } else if lower.hasSuffix(".gzip") {
            stripped = String(objectName.dropLast(5))
        } else if lower.hasSuffix(".gz") {
            stripped = String(objectName.dropLast(3))
        }
        if ContentKind.fileExtension(of: stripped).isEmpty, let original = header?.originalName, !original.isEmpty {
            return original
        }
        return stripped
    }
}
