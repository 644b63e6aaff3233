/// Why a format reader could not read (all of) an object. Carries Macie's reason code, a
/// message for humans, and where known the byte offset in the reader's input. Never carries
/// object content.
public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: ReasonCode
    public var message: String
    /// Byte offset in the input the reader was given (not in an enclosing archive).
    public var offset: Int?

    public init(_ reason: ReasonCode, _ message: String, offset: Int? = nil) {
        self.reason = reason
        self.message = message
        self.offset = offset
    }

    public static func malformed(_ message: String, at offset: Int? = nil) -> FormatError {
        FormatError(.malformedFile, message, offset: offset)
    }

    public var description: String {
        if let offset { return "\(reason.rawValue) at byte \(offset): \(message)" }
        return "\(reason.rawValue): \(message)"
    }

    /// Maps a decompression failure onto a reason: a limit hit is the extracted-bytes limit,
    /// anything else is a malformed file.
    public init(_ error: InflateError, limitReason: ReasonCode = .archiveTotalBytesExtractedOverLimit) {
        switch error {
        case .malformed(let why): self.init(.malformedFile, why)
        case .outputLimit(let limit): self.init(limitReason, "decompressed data exceeds \(limit) bytes")
        }
    }
}

/// Macie's quotas for reading objects (macie.md §8), with the defaults Macie documents.
/// Tests inject smaller ones. Sizes are bytes.
public struct FormatLimits: Sendable, Equatable {
    /// Archives nested in archives: the outermost archive is level 1; Macie allows 10.
    public var maxArchiveNesting: Int = 10
    /// Files extracted from one object, over all nesting levels.
    public var maxArchiveEntries: Int = 1_000_000
    /// Bytes extracted from one object, over all nesting levels (10 GB).
    public var maxExtractedBytesTotal: Int64 = 10 * 1_000_000_000
    /// Bytes extracted for one member file (3 GB).
    public var maxExtractedBytesPerFile: Int64 = 3 * 1_000_000_000
    /// Declared uncompressed/compressed ratio of one archive member above which it is treated
    /// as a decompression bomb before anything is extracted. Deflate cannot exceed about
    /// 1032:1, so the default only trips on members whose declared sizes cannot be true.
    /// Not a Macie quota (Macie documents none); applies to members of at least
    /// `ratioCheckMinimumBytes`.
    public var maxCompressionRatio: Double = 1100
    public var ratioCheckMinimumBytes: Int64 = 1 << 20
    /// JSON / JSON Lines nesting (objects and arrays), Macie: 256.
    public var maxJSONDepth: Int = 256
    /// OOXML (docx/xlsx/pptx) package parts: total uncompressed bytes of the package. Macie
    /// names the reason but not the number; this default is the per-file docx/xlsx limit.
    public var maxOOXMLUncompressedBytes: Int64 = 512 * 1_048_576
    /// OOXML part uncompressed/compressed ratio (Apache POI's default minimum inflate ratio
    /// 0.01, i.e. 100:1), checked for parts of at least `ooxmlRatioCheckMinimumBytes`.
    public var maxOOXMLRatio: Double = 100
    public var ooxmlRatioCheckMinimumBytes: Int64 = 100 * 1024

    public init() {}

    /// Macie's defaults.
    public static let macie = FormatLimits()

    /// Macie's per-file size limit for objects of `kind` (over it, nothing in the file is
    /// analysed: FILE_EXCEEDS_SIZE_LIMIT), or nil when Macie has none (unsupported kinds).
    public func maxFileSize(for kind: ContentKind) -> Int64? {
        let mb: Int64 = 1_048_576
        let gb: Int64 = 1_073_741_824
        switch kind {
        case .pdf: return 1024 * mb
        case .avro, .parquet: return 8 * gb
        case .eml: return 20 * gb
        case .gzip: return 8 * gb
        case .zip: return 8 * gb
        case .tar: return 20 * gb
        case .xlsx, .docx, .pptx, .oleDocument: return 512 * mb
        case .text, .csv, .tsv, .json, .jsonLines, .xml, .html, .yaml, .empty: return 20 * gb
        case .image, .audio, .video, .otherArchive, .executable, .binary: return nil
        }
    }

    /// The reason for an object over its size limit: archives report ARCHIVE_EXCEEDS_SIZE_LIMIT.
    public func sizeLimitReason(for kind: ContentKind) -> ReasonCode {
        kind.isArchive ? .archiveExceedsSizeLimit : .fileExceedsSizeLimit
    }
}

/// What one object may still extract, shared by every nesting level of that object's
/// archives: the runner creates one per object and passes it down while it walks members.
public struct ArchiveBudget: Sendable, Equatable {
    public let limits: FormatLimits
    public private(set) var extractedBytes: Int64 = 0
    public private(set) var documents: Int = 0

    public init(limits: FormatLimits = .macie) { self.limits = limits }

    /// Bytes the next member may produce: the per-file limit or what is left overall.
    public var nextMemberByteLimit: Int {
        Int(clamping: min(limits.maxExtractedBytesPerFile, limits.maxExtractedBytesTotal - extractedBytes))
    }

    /// Checks an archive found at `depth` (the outermost archive is 1).
    public func checkNesting(depth: Int) throws(FormatError) {
        if depth > limits.maxArchiveNesting {
            throw FormatError(
                .archiveNestingLevelOverLimit,
                "archive nested \(depth) levels deep, the limit is \(limits.maxArchiveNesting)")
        }
    }

    /// Counts one member about to be extracted, given its declared size when known; throws
    /// when the member count or the declared bytes break a limit (nothing extracted yet).
    public mutating func admit(declaredSize: Int64?) throws(FormatError) {
        if documents + 1 > limits.maxArchiveEntries {
            throw FormatError(
                .archiveTotalDocumentsProcessedOverLimit,
                "more than \(limits.maxArchiveEntries) files in the archive")
        }
        if let declaredSize {
            if declaredSize > limits.maxExtractedBytesPerFile {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit,
                    "member declares \(declaredSize) bytes, the per-file limit is \(limits.maxExtractedBytesPerFile)")
            }
            if extractedBytes + declaredSize > limits.maxExtractedBytesTotal {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit,
                    "extracted bytes would exceed \(limits.maxExtractedBytesTotal)")
            }
        }
        documents += 1
    }

    /// Records bytes actually extracted (call after each member, whatever its declared size).
    public mutating func record(extractedBytes count: Int) {
        extractedBytes += Int64(count)
    }
}
