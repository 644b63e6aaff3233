import TrawlObjects

/// What Macie will not analyse regardless of content.
public enum Classifiability {
    /// Storage classes Macie analyses (reference section 8).
    public static let analysedStorageClasses: Set<String> = [
        "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY",
    ]

    /// A reason to skip the object without reading it, or nil.
    public static func skipReason(storageClass: String, encryption: String?) -> (reason: String, message: String)? {
        if !analysedStorageClasses.contains(storageClass.uppercased()) {
            return ("INVALID_OBJECT_STATE", "storage class \(storageClass) is not analysed (restore it first)")
        }
        if let encryption, ["SSE-C", "SSE_C", "CUSTOMERPROVIDED"].contains(encryption.uppercased()) {
            return ("INVALID_ENCRYPTION", "encrypted with a customer-provided key (SSE-C)")
        }
        return nil
    }
}
