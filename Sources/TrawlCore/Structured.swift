import TrawlObjects
import TrawlReport

extension Analyzer {
    /// CSV/TSV, JSON, JSON Lines, archives and Office documents.
    func analyzeStructured(kind: ContentKind, name: String, bytes: ObjectBytes, depth: Int, embeddedPath: String?, into context: inout ObjectContext) throws {
        switch kind {
        case .csv, .tsv, .json, .jsonLines:
            // Until the structured readers land these are read as text.
            try scanTextStream(bytes, embeddedPath: embeddedPath, into: &context)
        default:
            throw AnalysisFailure(reason: "UNSUPPORTED_FILE_TYPE_EXCEPTION", message: "\(kind.mimeType) is not a supported format")
        }
    }
}
