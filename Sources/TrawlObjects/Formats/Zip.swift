/// One member of a zip archive, as its central directory describes it.
public struct ZipEntry: Sendable, Hashable {
    /// The name as stored: "../" and absolute names are just names (trawl never writes members
    /// to disk).
    public var path: String
    public var compressedSize: Int64
    public var uncompressedSize: Int64
    /// The compression method number (0 stored, 8 deflate; others are not read).
    public var method: UInt16
    public var flags: UInt16
    public var crc32: UInt32
    public var isDirectory: Bool
    /// Traditional PKWARE or strong/AES encryption: the data cannot be read.
    public var isEncrypted: Bool
    /// Seconds since 1970: the extended timestamp field when present, else the DOS date and
    /// time read as UTC.
    public var modified: Int64
    /// The local header's offset in the archive's bytes.
    public var localHeaderOffset: Int64

    /// Stored or deflated and not encrypted.
    public var isReadable: Bool { !isEncrypted && (method == 0 || method == 8) }

    /// Declared uncompressed bytes per compressed byte.
    public var declaredRatio: Double {
        compressedSize > 0 ? Double(uncompressedSize) / Double(compressedSize) : (uncompressedSize > 0 ? .infinity : 1)
    }

    /// The ratio for messages. Declared sizes can make it infinite or larger than any Int,
    /// where `Int(_:)` would trap.
    var declaredRatioText: String {
        let ratio = declaredRatio.rounded()
        return ratio < 1e15 ? String(Int(ratio)) : "more than 10^15"
    }
}

/// A zip archive read from bytes held in memory, through its central directory (ZIP64
/// included; data preceding the archive, as in self-extracting files, is allowed for).
/// Members are inflated on demand with bounded output; nothing is written anywhere. A view
/// over `bytes`, which must stay valid while it is used.
///
/// Without a central directory (a truncated download) the members are recovered from their
/// local headers up to the damage, and `error` says so.
public struct ZipArchive {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var entries: [ZipEntry] = []
    /// Damage found while listing (the listing holds what could be read before it).
    public private(set) var error: FormatError?
    /// Bytes before the archive proper, added to every stored offset.
    private var shift: Int64 = 0

    public init(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        self.bytes = bytes
        let reader = ByteReader(bytes)
        guard let eocd = Self.findEndOfCentralDirectory(bytes), let end = reader.record(eocd, size: 22) else {
            try recoverFromLocalHeaders()
            return
        }
        var total = Int64(end.u16(10))
        var cdSize = Int64(end.u32(12))
        var cdOffset = Int64(end.u32(16))
        var cdEnd = Int64(eocd)
        // ZIP64 end of central directory, through its locator just before the classic record.
        if let record = Self.zip64EndRecord(reader, eocd: eocd) {
            // Counts, sizes and offsets past Int64.max cannot describe bytes that exist.
            guard let zip64Total = Int64(exactly: record.record.u64(32)),
                let zip64Size = Int64(exactly: record.record.u64(40)),
                let zip64Offset = Int64(exactly: record.record.u64(48))
            else {
                try recoverFromLocalHeaders()
                return
            }
            total = zip64Total
            cdSize = zip64Size
            cdOffset = zip64Offset
            cdEnd = Int64(record.offset)
        }
        // Data before the archive: the directory ends where the end record starts.
        if let declaredEnd = Checked.add(cdOffset, cdSize), let delta = Checked.subtract(cdEnd, declaredEnd), delta > 0,
            let shifted = Checked.add(cdOffset, delta), let shiftedStart = Int(exactly: shifted),
            reader.u32(shiftedStart) == Self.centralHeaderSignature,
            reader.u32(Int(cdOffset)) != Self.centralHeaderSignature
        {
            shift = delta
        }
        do {
            guard let start = Checked.add(cdOffset, shift).flatMap({ Int(exactly: $0) }), reader.contains(start, 0)
            else {
                throw FormatError.malformed("central directory offset points outside the file", at: eocd)
            }
            try readCentralDirectory(from: start, count: total)
        } catch {
            // A directory that is not where the end record says: fall back to local headers.
            entries = []
            self.error = nil
            shift = 0
            try recoverFromLocalHeaders()
        }
    }

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    /// The ZIP64 end record named by the locator that sits just before the classic end record:
    /// where the locator says, else (an archive with data before it) searched for just before
    /// the locator. Nil when there is no locator or no record.
    private static func zip64EndRecord(_ reader: ByteReader, eocd: Int) -> (offset: Int, record: ByteRecord)? {
        guard let locator = reader.record(eocd - 20, size: 20), locator.u32(0) == zip64LocatorSignature else {
            return nil
        }
        if let declared = Int(exactly: locator.u64(8)), let record = reader.record(declared, size: 56),
            record.u32(0) == zip64EndSignature
        {
            return (declared, record)
        }
        var probe = eocd - 20 - 56
        while probe >= 0 && probe >= eocd - 20 - 56 - 4096 {
            if let record = reader.record(probe, size: 56), record.u32(0) == zip64EndSignature {
                return (probe, record)
            }
            probe -= 1
        }
        return nil
    }

    /// Declared sizes against the limits, before anything is extracted: member count, per-file
    /// and total bytes (what `budget` has left), and the compression ratio of large members.
    public func checkDeclaredLimits(_ budget: ArchiveBudget) throws(FormatError) {
        let limits = budget.limits
        let files = entries.filter { !$0.isDirectory }
        if budget.documents + files.count > limits.maxArchiveEntries {
            throw FormatError(
                .archiveTotalDocumentsProcessedOverLimit,
                "the archive lists \(files.count) files, over the limit of \(limits.maxArchiveEntries)")
        }
        var total: Int64 = 0
        for entry in files {
            if entry.uncompressedSize > limits.maxExtractedBytesPerFile {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit,
                    "a member declares \(entry.uncompressedSize) bytes, over the per-file limit of \(limits.maxExtractedBytesPerFile)"
                )
            }
            if entry.uncompressedSize >= limits.ratioCheckMinimumBytes, entry.declaredRatio > limits.maxCompressionRatio
            {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit,
                    "a member declares a compression ratio of \(entry.declaredRatioText):1 (decompression bomb)")
            }
            total = Checked.saturatingAdd(total, entry.isReadable ? entry.uncompressedSize : 0)
        }
        if Checked.saturatingAdd(budget.extractedBytes, total) > limits.maxExtractedBytesTotal {
            throw FormatError(
                .archiveTotalBytesExtractedOverLimit,
                "the archive declares \(total) bytes, over the extraction limit of \(limits.maxExtractedBytesTotal)")
        }
    }

    /// Sum of the members' declared uncompressed sizes (for estimates).
    public var totalUncompressedSize: Int64 { entries.reduce(0) { Checked.saturatingAdd($0, $1.uncompressedSize) } }

    /// The member's compressed bytes in the archive.
    public func dataRange(of entry: ZipEntry) throws(FormatError) -> Range<Int> {
        let reader = ByteReader(bytes)
        guard let local = Checked.add(entry.localHeaderOffset, shift).flatMap({ Int(exactly: $0) }),
            let header = reader.record(local, size: 30), header.u32(0) == Self.localHeaderSignature
        else {
            throw .malformed("missing local header for \(entry.path)", at: Int(clamping: entry.localHeaderOffset))
        }
        // The header is inside the bytes, so its end plus two 16-bit lengths cannot overflow.
        let start = local + 30 + Int(header.u16(26)) + Int(header.u16(28))
        guard let range = reader.range(Int64(start), entry.compressedSize) else {
            throw .malformed("member data runs past the end of the archive: \(entry.path)", at: local)
        }
        return range
    }

    /// Extracts a member, handing its bytes to `sink` in chunks; returns the number of bytes.
    /// Stops with ARCHIVE_TOTAL_BYTES_EXTRACTED_OVER_LIMIT before producing more than
    /// `maxBytes`, and with MALFORMED_FILE on corrupt data, on more data than the member
    /// declares (a bomb that lies about its size stops one byte past the declared size), or
    /// on a CRC mismatch (after its bytes went to the sink). Encrypted members and methods
    /// other than stored and deflate throw UNSUPPORTED_FILE_TYPE_EXCEPTION.
    @discardableResult
    public func extract(
        _ entry: ZipEntry, maxBytes: Int, sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        if entry.isEncrypted { throw FormatError(.unsupportedFileTypeException, "encrypted member: \(entry.path)") }
        guard entry.method == 0 || entry.method == 8 else {
            throw FormatError(.unsupportedFileTypeException, "compression method \(entry.method): \(entry.path)")
        }
        let range = try dataRange(of: entry)
        let data = UnsafeRawBufferPointer(rebasing: bytes[range])
        let declared = Int(clamping: entry.uncompressedSize)
        let limit = min(maxBytes, declared)
        var crc: UInt32 = 0
        var produced = 0
        if entry.method == 0 {
            guard data.count <= maxBytes else {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit, "member exceeds \(maxBytes) bytes: \(entry.path)")
            }
            var offset = 0
            while offset < data.count {
                let chunk = UnsafeRawBufferPointer(rebasing: data[offset..<min(data.count, offset + 1 << 20)])
                crc = Deflate.crc32(chunk, continuing: crc)
                try sink(chunk)
                offset += chunk.count
            }
            produced = data.count
        } else {
            do {
                // One byte past the declared size tells a lie from the truth.
                produced = try Inflate.inflate(
                    data, container: .raw, maxOutput: limit == declared && limit < Int.max ? limit + 1 : limit
                ) {
                    crc = Deflate.crc32($0, continuing: crc)
                    try sink($0)
                }
            } catch let error as InflateError {
                if case .outputLimit = error {
                    if limit == declared, declared < maxBytes {
                        throw FormatError.malformed(
                            "member inflates to more than its declared \(declared) bytes: \(entry.path)")
                    }
                    throw FormatError(
                        .archiveTotalBytesExtractedOverLimit, "member exceeds \(maxBytes) bytes: \(entry.path)")
                }
                throw FormatError(error)
            }
        }
        if produced != declared {
            throw FormatError.malformed("member has \(produced) bytes, declares \(declared): \(entry.path)")
        }
        if crc != entry.crc32 {
            throw FormatError.malformed("CRC mismatch: \(entry.path)")
        }
        return produced
    }

    /// Extracts a member into memory (see `extract(_:maxBytes:sink:)`).
    public func extract(_ entry: ZipEntry, maxBytes: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        // The declared size is a claim, not bytes: reserve a little and let the array grow.
        out.reserveCapacity(min(Int(clamping: entry.uncompressedSize), maxBytes, 1 << 20))
        try extract(entry, maxBytes: maxBytes) { out.append(contentsOf: $0) }
        return out
    }

    /// The first member with this exact path.
    public func entry(named path: String) -> ZipEntry? { entries.first { $0.path == path } }

    // MARK: - Reading the directory

    private mutating func readCentralDirectory(from start: Int, count: Int64) throws(FormatError) {
        let reader = ByteReader(bytes)
        var offset = start
        var read: Int64 = 0
        // The count is a claim: at most one entry per 46 bytes can follow.
        entries.reserveCapacity(Int(min(count, Int64(bytes.count / 46), 1 << 16)))
        while read < count {
            guard let header = reader.record(offset, size: 46), header.u32(0) == Self.centralHeaderSignature else {
                if read == 0 { throw .malformed("central directory not found", at: offset) }
                error = .malformed("central directory ends after \(read) of \(count) entries", at: offset)
                return
            }
            let flags = header.u16(8)
            let method = header.u16(10)
            let crc = header.u32(16)
            var compressed = Int64(header.u32(20))
            var uncompressed = Int64(header.u32(24))
            let nameLength = Int(header.u16(28))
            let extraLength = Int(header.u16(30))
            let commentLength = Int(header.u16(32))
            let externalAttributes = header.u32(38)
            var localOffset = Int64(header.u32(42))
            // offset + 46 is inside the bytes: adding three 16-bit lengths cannot overflow.
            let nameStart = offset + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard let nameBytes = reader.slice(nameStart, nameLength),
                let extra = reader.slice(extraStart, extraLength),
                next <= bytes.count
            else {
                error = .malformed("central directory entry runs past the end", at: offset)
                return
            }
            let path = Self.decodeName(nameBytes, utf8Flag: flags & 0x0800 != 0)
            var modified = Self.dosToUnix(date: header.u16(14), time: header.u16(12))
            var encrypted = flags & 0x0001 != 0
            var zip64Lie = false
            Self.forEachExtraField(extra) { id, body in
                switch id {
                case 0x0001:  // ZIP64: 64-bit values for the fields that hold 0xFFFFFFFF, in this order
                    var fields = Zip64Fields(body)
                    if uncompressed == 0xFFFF_FFFF, let value = fields.next() { uncompressed = value }
                    if compressed == 0xFFFF_FFFF, let value = fields.next() { compressed = value }
                    if localOffset == 0xFFFF_FFFF, let value = fields.next() { localOffset = value }
                    zip64Lie = fields.lie
                case 0x5455:  // extended timestamp: flags, then the modification time when bit 0 is set
                    if let record = ByteReader(body).record(0, size: 5), record.u8(0) & 1 != 0 {
                        modified = Int64(Int32(bitPattern: record.u32(1)))
                    }
                case 0x9901:  // WinZip AES
                    encrypted = true
                default:
                    break
                }
            }
            if zip64Lie {
                error = .malformed("a ZIP64 size or offset is larger than any file: \(path)", at: offset)
                return
            }
            let isDirectory = Self.isDirectory(
                path: path, dosDirectoryAttribute: externalAttributes & 0x10 != 0, compressed: compressed,
                uncompressed: uncompressed)
            entries.append(
                ZipEntry(
                    path: path, compressedSize: compressed, uncompressedSize: uncompressed, method: method,
                    flags: flags, crc32: crc, isDirectory: isDirectory, isEncrypted: encrypted || method == 99,
                    modified: modified, localHeaderOffset: localOffset))
            read += 1
            offset = next
        }
    }

    /// A directory entry names a directory and holds nothing. A member named `dir/` that holds
    /// data is a file to scan (unzip and GNU tools extract it), never passed over.
    static func isDirectory(path: String, dosDirectoryAttribute: Bool, compressed: Int64, uncompressed: Int64) -> Bool {
        // A deflated empty stream is 2 bytes.
        (path.hasSuffix("/") || dosDirectoryAttribute) && uncompressed == 0 && compressed <= 2
    }

    /// Calls `body` with each (id, data) of a zip extra field block; a field that claims more
    /// bytes than the block holds ends the walk.
    static func forEachExtraField(_ extra: UnsafeRawBufferPointer, _ body: (UInt16, UnsafeRawBufferPointer) -> Void) {
        let reader = ByteReader(extra)
        var offset = 0
        while let header = reader.record(offset, size: 4) {
            let size = Int(header.u16(2))
            guard let data = reader.slice(offset + 4, size) else { return }
            body(header.u16(0), data)
            offset += 4 + size
        }
    }

    /// The 64-bit values of a ZIP64 extra field, read in order; `lie` is set by a value over
    /// Int64.max (no file is that large).
    struct Zip64Fields {
        let reader: ByteReader
        var offset = 0
        var lie = false

        init(_ body: UnsafeRawBufferPointer) { reader = ByteReader(body) }

        mutating func next() -> Int64? {
            guard let record = reader.record(offset, size: 8) else { return nil }
            offset += 8
            guard let value = Int64(exactly: record.u64(0)) else {
                lie = true
                return nil
            }
            return value
        }
    }

    /// Lists members from their local headers, for an archive without its directory. Stops
    /// at the first member whose sizes are only in a trailing data descriptor, and at one whose
    /// declared data runs past the end of the bytes.
    private mutating func recoverFromLocalHeaders() throws(FormatError) {
        let reader = ByteReader(bytes)
        var offset = 0
        var damage: String?
        while let header = reader.record(offset, size: 30), header.u32(0) == Self.localHeaderSignature {
            let flags = header.u16(6)
            let method = header.u16(8)
            var compressed = Int64(header.u32(18))
            var uncompressed = Int64(header.u32(22))
            let nameLength = Int(header.u16(26))
            let extraLength = Int(header.u16(28))
            let nameStart = offset + 30
            guard let nameBytes = reader.slice(nameStart, nameLength),
                let extra = reader.slice(nameStart + nameLength, extraLength)
            else {
                damage = "a local header runs past the end"
                break
            }
            let dataStart = nameStart + nameLength + extraLength
            var zip64Lie = false
            Self.forEachExtraField(extra) { id, body in
                guard id == 0x0001 else { return }
                // A local ZIP64 field holds both sizes, uncompressed first.
                var fields = Zip64Fields(body)
                if let size = fields.next(), let packed = fields.next() {
                    uncompressed = size
                    compressed = packed
                }
                zip64Lie = fields.lie
            }
            if zip64Lie {
                damage = "a ZIP64 size is larger than any file"
                break
            }
            if flags & 0x0008 != 0 && compressed == 0 { break }
            guard let data = reader.range(Int64(dataStart), compressed) else {
                damage = "a local header declares \(compressed) bytes, more than the file holds"
                break
            }
            let path = Self.decodeName(nameBytes, utf8Flag: flags & 0x0800 != 0)
            entries.append(
                ZipEntry(
                    path: path, compressedSize: compressed, uncompressedSize: uncompressed, method: method,
                    flags: flags, crc32: header.u32(14),
                    isDirectory: Self.isDirectory(
                        path: path, dosDirectoryAttribute: false, compressed: compressed, uncompressed: uncompressed),
                    isEncrypted: flags & 1 != 0 || method == 99,
                    modified: Self.dosToUnix(date: header.u16(12), time: header.u16(10)),
                    localHeaderOffset: Int64(offset)))
            offset = data.upperBound
        }
        if entries.isEmpty {
            throw .malformed(
                "not a zip archive: no end of central directory" + (damage.map { " (\($0))" } ?? ""), at: offset)
        }
        error = .malformed(
            "no central directory (truncated archive?); members read from local headers"
                + (damage.map { "; \($0)" } ?? ""), at: offset)
    }

    static func findEndOfCentralDirectory(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        guard n >= 22 else { return nil }
        var i = n - 22
        let lowest = max(0, n - 22 - 65535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                let commentLength = Int(bytes[i + 20]) | Int(bytes[i + 21]) << 8
                if i + 22 + commentLength <= n { return i }
            }
            i -= 1
        }
        return nil
    }

    static func decodeName(_ raw: UnsafeRawBufferPointer, utf8Flag: Bool) -> String {
        if utf8Flag || !raw.contains(where: { $0 >= 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        if let valid = String(validating: raw, as: UTF8.self) { return valid }
        // Legacy names: code page 437 for the high half.
        return String(String.UnicodeScalarView(raw.map { Unicode.Scalar(cp437[Int($0)]) ?? "\u{FFFD}" }))
    }

    static func dosToUnix(date: UInt16, time: UInt16) -> Int64 {
        let year = Int64(date >> 9) + 1980
        let month = Int64(max(1, min(12, (date >> 5) & 0x0F)))
        let day = Int64(max(1, date & 0x1F))
        let hour = Int64(time >> 11)
        let minute = Int64((time >> 5) & 0x3F)
        let second = Int64(time & 0x1F) * 2
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return days * 86400 + hour * 3600 + minute * 60 + second
    }
}

/// Code page 437, for zip names written without the UTF-8 flag.
private let cp437: [UInt32] =
    Array(0..<128) + [
        0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
        0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xA2, 0xA3, 0xA5, 0x20A7, 0x192,
        0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0x2310, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C,
        0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
        0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C,
        0x2590, 0x2580,
        0x3B1, 0xDF, 0x393, 0x3C0, 0x3A3, 0x3C3, 0xB5, 0x3C4, 0x3A6, 0x398, 0x3A9, 0x3B4, 0x221E, 0x3C6, 0x3B5, 0x2229,
        0x2261, 0xB1, 0x2265, 0x2264, 0x2320, 0x2321, 0xF7, 0x2248, 0xB0, 0x2219, 0xB7, 0x221A, 0x207F, 0xB2, 0x25A0,
        0xA0,
    ]
