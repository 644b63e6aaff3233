import Foundation
import TrawlObjects

/// Object counts and sizes from an S3 Inventory report, as Macie keeps them: current versions
/// only, by encryption type and storage class, and classifiable vs unclassifiable (unsupported
/// storage class or file type).
struct InventoryStatistics: Sendable, Equatable {
    var objectCount: Int64 = 0
    var sizeInBytes: Int64 = 0
    var sizeInBytesCompressed: Int64 = 0
    var byEncryption = ObjectCountByEncryptionType()
    var countByStorageClass: [String: Int64] = [:]
    var sizeByStorageClass: [String: Int64] = [:]
    var classifiableCount: Int64 = 0
    var classifiableSize: Int64 = 0
    var unclassifiableCount = ObjectLevelStatistics()
    var unclassifiableSize = ObjectLevelStatistics()

    /// Storage classes Macie analyses.
    static let classifiableStorageClasses: Set<String> = [
        "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY",
    ]

    /// File name extensions Macie analyses (its table, plus common non-binary text formats).
    static let classifiableExtensions: Set<String> = [
        "avro", "parquet", "gz", "gzip", "tar", "zip", "doc", "docx", "pdf", "xls", "xlsx", "eml",
        "csv", "htm", "html", "json", "jsonl", "tsv", "txt", "xml", "yaml", "yml",
        "log", "md", "ini", "cfg", "conf", "properties", "sql", "js", "ts", "py", "java", "c", "h", "cpp", "cs",
        "go", "rb", "php", "sh", "swift", "kt", "rs", "env", "toml", "pem", "key", "tf", "ndjson", "text", "rtf",
    ]

    static let compressedExtensions: Set<String> = ["gz", "gzip", "zip"]

    static func compute(_ report: InventoryReport) throws -> InventoryStatistics {
        var stats = InventoryStatistics()
        try report.forEachRecord { record in stats.add(record) }
        return stats
    }

    mutating func add(_ record: InventoryRecord) {
        guard record.isCurrentObject else { return }
        let size = record.size ?? 0
        objectCount += 1
        sizeInBytes += size
        let fileExtension = Self.fileExtension(of: record.key)
        if Self.compressedExtensions.contains(fileExtension) { sizeInBytesCompressed += size }
        switch record.encryptionStatus?.uppercased() {
        case "NOT-SSE": byEncryption.unencrypted += 1
        case "SSE-S3": byEncryption.s3Managed += 1
        case "SSE-KMS", "DSSE-KMS": byEncryption.kmsManaged += 1
        case "SSE-C": byEncryption.customerManaged += 1
        default: byEncryption.unknown += 1
        }
        let storageClass = record.storageClass?.uppercased() ?? "STANDARD"
        countByStorageClass[storageClass, default: 0] += 1
        sizeByStorageClass[storageClass, default: 0] += size
        var storageOK = Self.classifiableStorageClasses.contains(storageClass)
        if storageClass == "INTELLIGENT_TIERING", let tier = record.intelligentTieringAccessTier?.uppercased(),
            tier.contains("ARCHIVE")
        {
            storageOK = false
        }
        let typeOK = fileExtension.isEmpty || Self.classifiableExtensions.contains(fileExtension)
        if storageOK && typeOK {
            classifiableCount += 1
            classifiableSize += size
        } else {
            unclassifiableCount.total += 1
            unclassifiableSize.total += size
            if !storageOK {
                unclassifiableCount.storageClass += 1
                unclassifiableSize.storageClass += size
            }
            if !typeOK {
                unclassifiableCount.fileType += 1
                unclassifiableSize.fileType += size
            }
        }
    }

    /// Lower-cased extension of the last path component (`""` when none; `.hidden` has none).
    static func fileExtension(of key: String) -> String {
        let name = key.split(separator: "/").last.map(String.init) ?? key
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }
}
