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
        let fileExtension = ContentKind.fileExtension(of: record.key)
        if FormatPolicy.compressedExtensions.contains(fileExtension) { sizeInBytesCompressed += size }
        switch record.encryptionStatus?.uppercased() {
        case "NOT-SSE": byEncryption.unencrypted += 1
        case "SSE-S3": byEncryption.s3Managed += 1
        case "SSE-KMS", "DSSE-KMS": byEncryption.kmsManaged += 1
        case "SSE-C": byEncryption.customerManaged += 1
        default: byEncryption.unknown += 1
        }
        let storageClass = record.storageClass?.uppercased() ?? StorageClass.standard
        countByStorageClass[storageClass, default: 0] += 1
        sizeByStorageClass[storageClass, default: 0] += size
        let storageOK = StorageClass.isAnalysed(
            storageClass, intelligentTieringTier: record.intelligentTieringAccessTier)
        let typeOK = fileExtension.isEmpty || FormatPolicy.macieClassifiableExtensions.contains(fileExtension)
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
}
