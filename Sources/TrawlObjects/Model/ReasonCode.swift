/// Macie's classification status reasons (`ClassificationResultStatus.reason`), all of them,
/// spelled as Macie spells them, and one of trawl's own for network failures. `nil` reason
/// means COMPLETE.
public enum ReasonCode: String, Sendable, Hashable, CaseIterable, Codable {
    case archiveContainsUnprocessedFiles = "ARCHIVE_CONTAINS_UNPROCESSED_FILES"
    case archiveExceedsSizeLimit = "ARCHIVE_EXCEEDS_SIZE_LIMIT"
    case archiveNestingLevelOverLimit = "ARCHIVE_NESTING_LEVEL_OVER_LIMIT"
    case archiveTotalBytesExtractedOverLimit = "ARCHIVE_TOTAL_BYTES_EXTRACTED_OVER_LIMIT"
    case archiveTotalDocumentsProcessedOverLimit = "ARCHIVE_TOTAL_DOCUMENTS_PROCESSED_OVER_LIMIT"
    case fileExceedsSizeLimit = "FILE_EXCEEDS_SIZE_LIMIT"
    case invalidEncryption = "INVALID_ENCRYPTION"
    case invalidKMSKey = "INVALID_KMS_KEY"
    case invalidObjectState = "INVALID_OBJECT_STATE"
    case jsonNestingLevelOverLimit = "JSON_NESTING_LEVEL_OVER_LIMIT"
    case malformedFile = "MALFORMED_FILE"
    case malformedOrFileSizeExceedsLimit = "MALFORMED_OR_FILE_SIZE_EXCEEDS_LIMIT"
    case noSuchBucketAvailable = "NO_SUCH_BUCKET_AVAILABLE"
    case objectVersionMismatch = "OBJECT_VERSION_MISMATCH"
    case ooxmlUncompressedRatioExceedsLimit = "OOXML_UNCOMPRESSED_RATIO_EXCEEDS_LIMIT"
    case ooxmlUncompressedSizeExceedsLimit = "OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT"
    case permissionDenied = "PERMISSION_DENIED"
    case sourceObjectNoLongerAvailable = "SOURCE_OBJECT_NO_LONGER_AVAILABLE"
    case timeCutOffReached = "TIME_CUT_OFF_REACHED"
    case unableToParseFile = "UNABLE_TO_PARSE_FILE"
    case unsupportedFileTypeException = "UNSUPPORTED_FILE_TYPE_EXCEPTION"

    /// trawl's own, not Macie's: the object could not be fetched although it may be fine (no
    /// connection, connection lost, body cut short, timeout, 5xx or throttling on every
    /// attempt). A job reads it again at its next run.
    case networkError = "NETWORK_ERROR"
}
