/// S3 storage classes and encryption as they decide whether an object can be read at all.
/// The one owner of these tables: the analyzer, the estimate and the audit's inventory
/// statistics all ask here.
public enum StorageClass {
    /// The storage class of local files and of objects whose listing names none.
    public static let standard = "STANDARD"

    /// Storage classes Macie analyses (macie.md §8); the archive classes need a restore first.
    public static let analysed: Set<String> = [
        "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY",
    ]

    /// Whether an object in `storageClass` can be read without a restore. Intelligent-Tiering
    /// objects in an archive access tier cannot (an inventory names the tier).
    public static func isAnalysed(_ storageClass: String, intelligentTieringTier: String? = nil) -> Bool {
        let upper = storageClass.uppercased()
        guard analysed.contains(upper) else { return false }
        if upper == "INTELLIGENT_TIERING", let tier = intelligentTieringTier?.uppercased(), tier.contains("ARCHIVE") {
            return false
        }
        return true
    }

    /// Why an object is skipped without reading it (archived, or encrypted with a key S3 does
    /// not hold), or nil.
    public static func skipReason(storageClass: String, encryption: String?) -> (reason: ReasonCode, message: String)? {
        if !isAnalysed(storageClass) {
            return (.invalidObjectState, "storage class \(storageClass) is not analysed (restore it first)")
        }
        if let encryption, customerKeyHeaders.contains(encryption.uppercased()) {
            return (.invalidEncryption, "encrypted with a customer-provided key (SSE-C)")
        }
        return nil
    }

    /// How S3 and inventories spell "encrypted with a customer-provided key".
    static let customerKeyHeaders: Set<String> = ["SSE-C", "SSE_C", "CUSTOMERPROVIDED"]

    /// S3 Inventory's `EncryptionStatus` as the header value S3 reports on the object.
    public static func encryptionHeader(inventoryStatus status: String?) -> String? {
        switch status?.uppercased() {
        case "SSE-S3": "AES256"
        case "SSE-KMS": "aws:kms"
        case "DSSE-KMS": "aws:kms:dsse"
        case "SSE-C": "SSE-C"
        default: nil
        }
    }
}
