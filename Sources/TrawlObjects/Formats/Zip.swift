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
        guard let eocd = Self.findEndOfCentralDirectory(bytes) else {
            try recoverFromLocalHeaders()
            return
        }
        var total = Int64(u16(eocd + 10))
        var cdSize = Int64(u32(eocd + 12))
        var cdOffset = Int64(u32(eocd + 16))
        var cdEnd = Int64(eocd)
        // ZIP64 end of central directory, through its locator just before the classic record.
        if eocd >= 20, u32(eocd - 20) == 0x0706_4B50 {
            let zip64 = Int(clamping: u64(eocd - 20 + 8))
            var record = zip64
            if !(zip64 >= 0 && zip64 + 56 <= bytes.count && u32(zip64) == 0x0606_4B50) {
                // Shifted archive: look just before the locator.
                record = -1
                var probe = eocd - 20 - 56
                while probe >= 0 && probe >= eocd - 20 - 56 - 4096 {
                    if u32(probe) == 0x0606_4B50 {
                        record = probe
                        break
                    }
                    probe -= 1
                }
            }
            if record >= 0 {
                total = Int64(clamping: u64(record + 32))
                cdSize = Int64(clamping: u64(record + 40))
                cdOffset = Int64(clamping: u64(record + 48))
                cdEnd = Int64(record)
            }
        }
        // Data before the archive: the directory ends where the end record starts.
        let delta = cdEnd - cdSize - cdOffset
        if delta > 0, cdOffset + delta + 4 <= Int64(bytes.count),
            u32(Int(cdOffset + delta)) == 0x0201_4B50,
            !(cdOffset + 4 <= Int64(bytes.count) && u32(Int(cdOffset)) == 0x0201_4B50)
        {
            shift = delta
        }
        let start = cdOffset + shift
        do {
            guard start >= 0, start <= Int64(bytes.count) else {
                throw FormatError.malformed("central directory offset points outside the file", at: eocd)
            }
            try readCentralDirectory(from: Int(start), count: total)
        } catch {
            // A directory that is not where the end record says: fall back to local headers.
            entries = []
            shift = 0
            try recoverFromLocalHeaders()
        }
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
                    "a member declares \(entry.uncompressedSize) bytes, over the per-file limit of \(limits.maxExtractedBytesPerFile)")
            }
            if entry.uncompressedSize >= limits.ratioCheckMinimumBytes, entry.declaredRatio > limits.maxCompressionRatio {
                throw FormatError(
                    .archiveTotalBytesExtractedOverLimit,
                    "a member declares a compression ratio of \(Int(entry.declaredRatio.rounded())):1 (decompression bomb)")
            }
            total += entry.isReadable ? entry.uncompressedSize : 0
        }
        if budget.extractedBytes + total > limits.maxExtractedBytesTotal {
            throw FormatError(
                .archiveTotalBytesExtractedOverLimit,
                "the archive declares \(total) bytes, over the extraction limit of \(limits.maxExtractedBytesTotal)")
        }
    }

    /// Sum of the members' declared uncompressed sizes (for estimates).
    public var totalUncompressedSize: Int64 { entries.reduce(0) { $0 + $1.uncompressedSize } }

    /// The member's compressed bytes in the archive.
    public func dataRange(of entry: ZipEntry) throws(FormatError) -> Range<Int> {
        let local = entry.localHeaderOffset + shift
        guard local >= 0, local + 30 <= Int64(bytes.count), u32(Int(local)) == 0x0403_4B50 else {
            throw .malformed("missing local header for \(entry.path)", at: Int(clamping: local))
        }
        let start = Int64(local) + 30 + Int64(u16(Int(local) + 26)) + Int64(u16(Int(local) + 28))
        let end = start + entry.compressedSize
        guard end <= Int64(bytes.count) else {
            throw .malformed("member data runs past the end of the archive: \(entry.path)", at: Int(local))
        }
        return Int(start)..<Int(end)
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
                throw FormatError(.archiveTotalBytesExtractedOverLimit, "member exceeds \(maxBytes) bytes: \(entry.path)")
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
                produced = try Inflate.inflate(data, container: .raw, maxOutput: limit == declared && limit < Int.max ? limit + 1 : limit) {
                    crc = Deflate.crc32($0, continuing: crc)
                    try sink($0)
                }
            } catch let error as InflateError {
                if case .outputLimit = error {
                    if limit == declared, declared < maxBytes {
                        throw FormatError.malformed("member inflates to more than its declared \(declared) bytes: \(entry.path)")
                    }
                    throw FormatError(.archiveTotalBytesExtractedOverLimit, "member exceeds \(maxBytes) bytes: \(entry.path)")
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
        out.reserveCapacity(min(Int(clamping: entry.uncompressedSize), maxBytes, 64 << 20))
        try extract(entry, maxBytes: maxBytes) { out.append(contentsOf: $0) }
        return out
    }

    /// The first member with this exact path.
    public func entry(named path: String) -> ZipEntry? { entries.first { $0.path == path } }

    // MARK: - Reading the directory

    private mutating func readCentralDirectory(from start: Int, count: Int64) throws(FormatError) {
        var offset = start
        var read: Int64 = 0
        let n = bytes.count
        entries.reserveCapacity(Int(min(count, 1 << 16)))
        while read < count {
            guard offset + 46 <= n, u32(offset) == 0x0201_4B50 else {
                if read == 0 { throw .malformed("central directory not found", at: offset) }
                error = .malformed("central directory ends after \(read) of \(count) entries", at: offset)
                return
            }
            let flags = u16(offset + 8)
            let method = u16(offset + 10)
            let time = u16(offset + 12)
            let date = u16(offset + 14)
            let crc = u32(offset + 16)
            var compressed = Int64(u32(offset + 20))
            var uncompressed = Int64(u32(offset + 24))
            let nameLength = Int(u16(offset + 28))
            let extraLength = Int(u16(offset + 30))
            let commentLength = Int(u16(offset + 32))
            let externalAttributes = u32(offset + 38)
            var localOffset = Int64(u32(offset + 42))
            let nameStart = offset + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= n else {
                error = .malformed("central directory entry runs past the end", at: offset)
                return
            }
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<extraStart])
            let path = Self.decodeName(nameBytes, utf8Flag: flags & 0x0800 != 0)
            var modified = Self.dosToUnix(date: date, time: time)
            // Extra fields: ZIP64 sizes and offset, extended timestamp, AES.
            var encrypted = flags & 0x0001 != 0
            var e = extraStart
            while e + 4 <= extraStart + extraLength {
                let id = u16(e)
                let size = Int(u16(e + 2))
                let body = e + 4
                guard body + size <= extraStart + extraLength else { break }
                if id == 0x0001 {
                    var p = body
                    if uncompressed == 0xFFFF_FFFF, p + 8 <= body + size {
                        uncompressed = Int64(clamping: u64(p))
                        p += 8
                    }
                    if compressed == 0xFFFF_FFFF, p + 8 <= body + size {
                        compressed = Int64(clamping: u64(p))
                        p += 8
                    }
                    if localOffset == 0xFFFF_FFFF, p + 8 <= body + size {
                        localOffset = Int64(clamping: u64(p))
                    }
                } else if id == 0x5455, size >= 5, bytes[body] & 1 != 0 {
                    modified = Int64(Int32(bitPattern: u32(body + 1)))
                } else if id == 0x9901 {
                    encrypted = true
                }
                e = body + size
            }
            let isDirectory = path.hasSuffix("/") || (externalAttributes & 0x10 != 0 && uncompressed == 0)
            entries.append(
                ZipEntry(
                    path: path, compressedSize: compressed, uncompressedSize: uncompressed, method: method,
                    flags: flags, crc32: crc, isDirectory: isDirectory, isEncrypted: encrypted || method == 99,
                    modified: modified, localHeaderOffset: localOffset))
            read += 1
            offset = next
        }
    }

    /// Lists members from their local headers, for an archive without its directory. Stops
    /// at the first member whose sizes are only in a trailing data descriptor.
    private mutating func recoverFromLocalHeaders() throws(FormatError) {
        var offset = 0
        let n = bytes.count
        while offset + 30 <= n, u32(offset) == 0x0403_4B50 {
            let flags = u16(offset + 6)
            let method = u16(offset + 8)
            let crc = u32(offset + 14)
            var compressed = Int64(u32(offset + 18))
            var uncompressed = Int64(u32(offset + 22))
            let nameLength = Int(u16(offset + 26))
            let extraLength = Int(u16(offset + 28))
            let nameStart = offset + 30
            let dataStart = nameStart + nameLength + extraLength
            guard dataStart <= n else { break }
            var e = nameStart + nameLength
            while e + 4 <= dataStart {
                let id = u16(e)
                let size = Int(u16(e + 2))
                if id == 0x0001, size >= 16, e + 4 + 16 <= dataStart {
                    uncompressed = Int64(clamping: u64(e + 4))
                    compressed = Int64(clamping: u64(e + 12))
                }
                e += 4 + size
            }
            if flags & 0x0008 != 0 && compressed == 0 { break }
            let path = Self.decodeName(
                UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)]), utf8Flag: flags & 0x0800 != 0)
            guard Int64(dataStart) + compressed <= Int64(n) else { break }
            entries.append(
                ZipEntry(
                    path: path, compressedSize: compressed, uncompressedSize: uncompressed, method: method,
                    flags: flags, crc32: crc, isDirectory: path.hasSuffix("/"),
                    isEncrypted: flags & 1 != 0 || method == 99,
                    modified: Self.dosToUnix(date: u16(offset + 12), time: u16(offset + 10)),
                    localHeaderOffset: Int64(offset)))
            offset = dataStart + Int(compressed)
        }
        if entries.isEmpty { throw .malformed("not a zip archive: no end of central directory", at: 0) }
        error = .malformed("no central directory (truncated archive?); members read from local headers", at: offset)
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

    private func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
    private func u32(_ i: Int) -> UInt32 {
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }
    private func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}

/// Code page 437, for zip names written without the UTF-8 flag.
private let cp437: [UInt32] = Array(0..<128) + [
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
    0x2261, 0xB1, 0x2265, 0x2264, 0x2320, 0x2321, 0xF7, 0x2248, 0xB0, 0x2219, 0xB7, 0x221A, 0x207F, 0xB2, 0x25A0, 0xA0,
]
