/// What an object's bytes are (temporary minimal version; the formats branch replaces it).
public enum ContentKind: Sendable, Equatable {
    case text, csv, tsv, json, jsonLines, gzip, zip, tar, docx, xlsx, pptx, pdf, image, audio, video, binary, empty

    public var mimeType: String {
        switch self {
        case .text: "text/plain"
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
        case .pdf: "application/pdf"
        case .image: "image/*"
        case .audio: "audio/*"
        case .video: "video/*"
        case .binary: "application/octet-stream"
        case .empty: "application/octet-stream"
        }
    }

    public static func sniff(fileExtension: String, head: UnsafeRawBufferPointer) -> ContentKind {
        if head.isEmpty { return .empty }
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { return .gzip }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
        if head.starts(with: Array("%PDF".utf8)) { return .pdf }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) || head.starts(with: [0xFF, 0xD8, 0xFF]) || head.starts(with: Array("GIF8".utf8)) { return .image }
        if head.contains(0) { return .binary }
        switch fileExtension {
        case "csv": return .csv
        case "tsv": return .tsv
        case "json": return .json
        case "jsonl", "ndjson": return .jsonLines
        default: return .text
        }
    }
}
