import Foundation
import Testing
import TrawlObjects

/// Invariants of the tables TrawlObjects owns: the format policy, the storage classes and the
/// reason codes. The estimate (by extension) and the scan (by content) read the same tables, so
/// they must agree on every object whose content matches its name.
@Suite struct FormatPolicyTests {
    /// Extensions of every kind, with content of that kind (text for textual kinds, bytes that
    /// are not text and carry no magic for the binary kinds judged by extension).
    static let samples: [(ext: String, head: [UInt8])] = {
        let text = Array("id,name\n1,Jane\n".utf8)
        let binary: [UInt8] = (0..<256).map { UInt8($0) }
        let textual = [
            "txt", "log", "md", "ini", "env", "sql", "py", "xml", "svg", "html", "yaml", "yml", "eml", "csv", "tsv",
        ]
        let binaryByExtension = ["png", "jpg", "mp3", "mp4", "7z", "exe", "so", "avro", "parquet"]
        return textual.map { ($0, text) } + binaryByExtension.map { ($0, binary) }
    }()

    @Test func theEstimateAndTheScanAgreeOnWhatIsClassifiable() {
        for sample in Self.samples {
            let byExtension = FormatPolicy.kind(forExtension: sample.ext)
            let byContent = ContentKind.sniff(fileExtension: sample.ext, head: sample.head)
            #expect(
                FormatPolicy.isSupported(byExtension) == FormatPolicy.isSupported(byContent),
                "\(sample.ext): \(byExtension) by extension, \(byContent) by content")
        }
    }

    @Test func everyKindIsEitherReadOrSkippedWithAReason() {
        for kind in ContentKind.allCases {
            #expect(FormatPolicy.isSupported(kind) == (kind.unsupportedReason == nil), "\(kind)")
            if FormatPolicy.isSupported(kind) { #expect(FormatPolicy.sizeLimit(kind) > 0, "\(kind)") }
            #expect(!kind.mimeType.isEmpty, "\(kind)")
        }
    }

    @Test func unknownExtensionsAreText() {
        #expect(FormatPolicy.kind(forExtension: "weird-extension") == .text)
        #expect(FormatPolicy.kind(forExtension: "") == .text)
    }

    @Test func macieCountsEveryFormatTrawlReadsByItsUsualExtension() {
        for ext in [
            "csv", "tsv", "json", "jsonl", "txt", "gz", "zip", "tar", "docx", "xlsx", "xml", "html", "yaml", "eml",
        ] {
            #expect(FormatPolicy.macieClassifiableExtensions.contains(ext), "\(ext)")
            #expect(FormatPolicy.isSupported(FormatPolicy.kind(forExtension: ext)), "\(ext)")
        }
        #expect(FormatPolicy.compressedExtensions.isSubset(of: FormatPolicy.macieClassifiableExtensions))
    }

    @Test func storageClassesThatNeedARestoreAreSkipped() {
        for storageClass in StorageClass.analysed {
            #expect(StorageClass.skipReason(storageClass: storageClass, encryption: nil) == nil, "\(storageClass)")
            #expect(StorageClass.skipReason(storageClass: storageClass.lowercased(), encryption: "AES256") == nil)
        }
        for archived in ["GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "SNOW"] {
            #expect(
                StorageClass.skipReason(storageClass: archived, encryption: nil)?.reason == .invalidObjectState,
                "\(archived)")
        }
        #expect(!StorageClass.isAnalysed("INTELLIGENT_TIERING", intelligentTieringTier: "ARCHIVE_ACCESS"))
        #expect(!StorageClass.isAnalysed("INTELLIGENT_TIERING", intelligentTieringTier: "DEEP_ARCHIVE_ACCESS"))
        #expect(StorageClass.isAnalysed("INTELLIGENT_TIERING", intelligentTieringTier: "FREQUENT_ACCESS"))
        #expect(StorageClass.skipReason(storageClass: "STANDARD", encryption: "SSE-C")?.reason == .invalidEncryption)
        #expect(StorageClass.encryptionHeader(inventoryStatus: "SSE-KMS") == "aws:kms")
        #expect(StorageClass.encryptionHeader(inventoryStatus: "NOT-SSE") == nil)
    }

    @Test func reasonCodesAreMaciesSpelling() {
        let raw = ReasonCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        let macies = """
            ARCHIVE_CONTAINS_UNPROCESSED_FILES ARCHIVE_EXCEEDS_SIZE_LIMIT ARCHIVE_NESTING_LEVEL_OVER_LIMIT
            ARCHIVE_TOTAL_BYTES_EXTRACTED_OVER_LIMIT ARCHIVE_TOTAL_DOCUMENTS_PROCESSED_OVER_LIMIT FILE_EXCEEDS_SIZE_LIMIT
            INVALID_ENCRYPTION INVALID_KMS_KEY INVALID_OBJECT_STATE JSON_NESTING_LEVEL_OVER_LIMIT MALFORMED_FILE
            MALFORMED_OR_FILE_SIZE_EXCEEDS_LIMIT NO_SUCH_BUCKET_AVAILABLE OBJECT_VERSION_MISMATCH
            OOXML_UNCOMPRESSED_RATIO_EXCEEDS_LIMIT OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT PERMISSION_DENIED
            SOURCE_OBJECT_NO_LONGER_AVAILABLE TIME_CUT_OFF_REACHED UNABLE_TO_PARSE_FILE UNSUPPORTED_FILE_TYPE_EXCEPTION
            """.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(macies.count == 21)  // every ClassificationResultStatus reason Macie documents
        #expect(Set(macies).isSubset(of: Set(raw)))
        for code in raw {
            #expect(code.allSatisfy { $0.isUppercase || $0 == "_" }, "\(code)")
        }
    }
}
