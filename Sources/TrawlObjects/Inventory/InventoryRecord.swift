import Foundation

/// One row of an S3 Inventory report: an object version (or the current object) and its
/// metadata. Fields the report's schema does not include are `nil`.
public struct InventoryRecord: Sendable, Equatable {
    public var bucket: String
    /// The object key, URL-decoded (S3 writes keys URL-encoded in CSV reports).
    public var key: String
    public var versionId: String?
    /// `nil` when the report lists current versions only (then every row is the latest).
    public var isLatest: Bool?
    public var isDeleteMarker: Bool?
    public var size: Int64?
    public var lastModified: Date?
    public var eTag: String?
    /// `STANDARD`, `STANDARD_IA`, `GLACIER`, ... as S3 writes it.
    public var storageClass: String?
    /// `NOT-SSE`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS` or `SSE-C`.
    public var encryptionStatus: String?
    public var isMultipartUploaded: Bool?
    public var replicationStatus: String?
    public var intelligentTieringAccessTier: String?
    /// Every column of the row by its schema name (raw text, key still encoded).
    public var fields: [String: String]

    public init(
        bucket: String, key: String, versionId: String? = nil, isLatest: Bool? = nil,
        isDeleteMarker: Bool? = nil, size: Int64? = nil, lastModified: Date? = nil,
        eTag: String? = nil, storageClass: String? = nil, encryptionStatus: String? = nil,
        isMultipartUploaded: Bool? = nil, replicationStatus: String? = nil,
        intelligentTieringAccessTier: String? = nil, fields: [String: String] = [:]
    ) {
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        self.size = size
        self.lastModified = lastModified
        self.eTag = eTag
        self.storageClass = storageClass
        self.encryptionStatus = encryptionStatus
        self.isMultipartUploaded = isMultipartUploaded
        self.replicationStatus = replicationStatus
        self.intelligentTieringAccessTier = intelligentTieringAccessTier
        self.fields = fields
    }

    /// True for the current version of a live object: not a delete marker, and the latest
    /// version when the report lists all versions.
    public var isCurrentObject: Bool {
        isLatest != false && isDeleteMarker != true
    }

    /// Builds a record from CSV cells named by `columns` (the manifest's `fileSchema`).
    static func make(cells: [String], columns: [String]) -> InventoryRecord {
        var fields: [String: String] = [:]
        for (index, name) in columns.enumerated() where index < cells.count {
            fields[name] = cells[index]
        }
        func text(_ name: String) -> String? {
            guard let value = fields[name], !value.isEmpty else { return nil }
            return value
        }
        func flag(_ name: String) -> Bool? {
            guard let value = text(name)?.lowercased() else { return nil }
            return value == "true" ? true : (value == "false" ? false : nil)
        }
        return InventoryRecord(
            bucket: fields["Bucket"] ?? "",
            key: InventoryRecord.decodeKey(fields["Key"] ?? ""),
            versionId: text("VersionId"),
            isLatest: flag("IsLatest"),
            isDeleteMarker: flag("IsDeleteMarker"),
            size: text("Size").flatMap { Int64($0) },
            lastModified: text("LastModifiedDate").flatMap(InventoryRecord.parseDate),
            eTag: text("ETag"),
            storageClass: text("StorageClass"),
            encryptionStatus: text("EncryptionStatus"),
            isMultipartUploaded: flag("IsMultipartUploaded"),
            replicationStatus: text("ReplicationStatus"),
            intelligentTieringAccessTier: text("IntelligentTieringAccessTier"),
            fields: fields)
    }

    /// Decodes a key as S3 Inventory writes it in CSV: form-URL-encoded (`+` is a space,
    /// `%XX` a byte). A malformed escape is kept literally.
    public static func decodeKey(_ encoded: String) -> String {
        guard encoded.contains("%") || encoded.contains("+") else { return encoded }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.utf8.count)
        let utf8 = Array(encoded.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Parses `2023-01-31T12:00:00.000Z` (S3 Inventory's ISO 8601 with milliseconds) or the
    /// same without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
