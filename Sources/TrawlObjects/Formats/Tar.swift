/// One member of a tar archive. Its data is a byte range into the archive (no copy).
public struct TarEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file, directory, symlink, hardLink, other
    }

    /// The member's path: pax `path`, else a GNU long name, else ustar prefix + name
    /// (directories without their trailing slash).
    public var path: String
    public var kind: Kind
    /// The size the header declares.
    public var size: Int64
    /// The data's bytes in the archive; shorter than `size` when the archive is truncated.
    public var dataRange: Range<Int>
    /// Seconds since 1970 (pax `mtime` when given, else the header's).
    public var modified: Int64
    /// The header's offset in the archive.
    public var headerOffset: Int

    public var isTruncated: Bool { Int64(dataRange.count) < size }
}

/// A tar archive read from bytes held in memory: POSIX ustar, GNU (long names `././@LongLink`,
/// base-256 sizes) and pax extended headers (`path`, `size`, `mtime`). Entries are byte ranges
/// into `bytes`. A damaged or truncated archive keeps the entries read before the damage and
/// reports it in `error` (MALFORMED_FILE with the offset): a truncated last member is listed
/// with the bytes that are there (`isTruncated`).
public struct TarArchive {
    public private(set) var entries: [TarEntry] = []
    public private(set) var error: FormatError?

    public init(_ bytes: UnsafeRawBufferPointer) {
        let reader = ByteReader(bytes)
        var offset = 0
        var longName: String?
        var paxPath: String?
        var paxSize: Int64?
        var paxMtime: Int64?
        let n = bytes.count
        while let header = reader.slice(offset, 512) {
            if header.allSatisfy({ $0 == 0 }) { return }  // end-of-archive marker
            guard Self.isHeaderChecksumValid(header) else {
                error = .malformed("invalid tar header checksum", at: offset)
                return
            }
            guard let declared = Self.number(header, 124, 12), declared >= 0 else {
                error = .malformed("invalid tar size field", at: offset)
                return
            }
            let type = header[156]
            let isPaxHeader = type == UInt8(ascii: "x") || type == UInt8(ascii: "g")
            var size = declared
            if !isPaxHeader, let paxSize { size = paxSize }
            let dataStart = offset + 512
            // Data fills whole 512-byte blocks: a size that cannot be rounded up (or moved past)
            // is a lie about bytes no archive holds.
            guard let padded = Checked.roundUp(size, toMultipleOf: 512),
                let next = Checked.add(Int64(dataStart), padded).flatMap({ Int(exactly: $0) })
            else {
                error = .malformed("tar member declares an impossible size of \(size) bytes", at: offset)
                return
            }
            let available = min(n - dataStart, Int(clamping: size))
            let dataRange = dataStart..<(dataStart + available)
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataRange])

            switch type {
            case UInt8(ascii: "L"):  // GNU long name for the next member
                longName = Self.cString(data)
            case UInt8(ascii: "K"):  // GNU long link name: not needed
                break
            case UInt8(ascii: "x"):  // pax header for the next member
                let records = Self.paxRecords(data)
                paxPath = records["path"]
                paxSize = nil
                if let text = records["size"] {
                    // Sizes are decimal digits only: no sign, no blanks.
                    guard let value = Checked.decimal(text.utf8, max: Int.max) else {
                        error = .malformed("invalid pax size \"\(text.prefix(40))\"", at: offset)
                        return
                    }
                    paxSize = Int64(value)
                }
                paxMtime = records["mtime"].flatMap(Self.paxSeconds)
            case UInt8(ascii: "g"):  // pax global header: nothing we use
                break
            default:
                let kind = Self.kind(typeFlag: type)
                var path = paxPath ?? longName ?? Self.ustarName(header)
                var entryKind = kind
                if entryKind == .file, path.hasSuffix("/"), size == 0 { entryKind = .directory }
                if entryKind == .directory { while path.count > 1, path.hasSuffix("/") { path.removeLast() } }
                let entry = TarEntry(
                    path: path, kind: entryKind,
                    size: entryKind == .file ? size : 0,
                    dataRange: entryKind == .file ? dataRange : dataStart..<dataStart,
                    modified: paxMtime ?? Self.number(header, 136, 12) ?? 0, headerOffset: offset)
                entries.append(entry)
                longName = nil
                paxPath = nil
                paxSize = nil
                paxMtime = nil
            }
            if Int64(available) < size {
                error = .malformed("tar archive ends inside a member", at: offset)
                return
            }
            offset = next
        }
        if offset < n {
            error = .malformed("tar archive ends inside a header", at: offset)
        } else if offset == n && entries.isEmpty && n == 0 {
            error = .malformed("empty tar archive", at: 0)
        }
    }

    /// What a member's type flag makes it. Types this reader does not know are files, as GNU
    /// tar extracts them ("unknown file type, extracted as normal file"): never passed over.
    static func kind(typeFlag type: UInt8) -> TarEntry.Kind {
        switch type {
        case UInt8(ascii: "5"), UInt8(ascii: "D"): .directory  // D: GNU dump directory
        case UInt8(ascii: "2"): .symlink
        case UInt8(ascii: "1"): .hardLink
        // Character and block devices, FIFOs, GNU volume labels: no data of their own.
        case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"), UInt8(ascii: "V"): .other
        default: .file  // 0, NUL, 7 (contiguous), S (sparse), and every unknown type
        }
    }

    /// A pax `mtime` ("1715949000.25", may be negative): whole seconds, nil when not a time.
    static func paxSeconds(_ text: String) -> Int64? {
        let whole = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return Int64(whole)  // nil on overflow, not a trap
    }

    /// Checks a header block's checksum (unsigned sum with the checksum field read as spaces;
    /// some old writers used a signed sum).
    public static func isHeaderChecksumValid(_ header: UnsafeRawBufferPointer) -> Bool {
        guard header.count >= 512, let stored = number(header, 148, 8) else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for i in 0..<512 {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : header[i]
            unsigned += Int64(b)
            signed += Int64(Int8(bitPattern: b))
        }
        return stored == unsigned || stored == signed
    }

    /// A numeric field: octal text (NUL or space terminated), or GNU base-256 when the top bit
    /// of the first byte is set.
    static func number(_ h: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> Int64? {
        guard offset >= 0, length > 0, offset + length <= h.count else { return nil }
        let first = h[offset]
        if first & 0x80 != 0 {
            // GNU base-256: big-endian two's complement with the top bit as the marker
            // (0x80 positive, 0xFF negative). Values past 63 bits are refused.
            let invert: UInt8 = first & 0x40 != 0 ? 0xFF : 0
            var magnitude: UInt64 = 0
            for i in 0..<length {
                var b = h[offset + i] ^ invert
                if i == 0 { b &= 0x7F }
                guard magnitude >> 56 == 0 else { return nil }
                magnitude = magnitude << 8 | UInt64(b)
            }
            guard let value = Int64(exactly: magnitude) else { return nil }
            return invert == 0xFF ? ~value : value
        }
        var value: Int64 = 0
        var seenDigit = false
        for i in offset..<offset + length {
            let b = h[i]
            if b == 0 || (b == UInt8(ascii: " ") && seenDigit) { break }
            if b == UInt8(ascii: " ") { continue }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "7") else { return nil }
            guard value < Int64.max >> 3 else { return nil }
            value = value << 3 | Int64(b - UInt8(ascii: "0"))
            seenDigit = true
        }
        return seenDigit ? value : (h[offset] == 0 || h[offset] == UInt8(ascii: " ") ? 0 : nil)
    }

    static func cString(_ raw: UnsafeRawBufferPointer) -> String {
        let end = raw.firstIndex(of: 0) ?? raw.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
    }

    static func ustarName(_ h: UnsafeRawBufferPointer) -> String {
        let name = cString(UnsafeRawBufferPointer(rebasing: h[0..<100]))
        // POSIX ustar ("ustar\0" + "00") has a 155-byte prefix; old GNU ("ustar  \0") does not.
        if h[257] == UInt8(ascii: "u"), h[262] == 0, h[263] == UInt8(ascii: "0") {
            let prefix = cString(UnsafeRawBufferPointer(rebasing: h[345..<500]))
            if !prefix.isEmpty { return prefix + "/" + name }
        }
        return name
    }

    /// pax records: "<length> <key>=<value>\n".
    static func paxRecords(_ raw: UnsafeRawBufferPointer) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        while i < raw.count {
            var length = 0
            var j = i
            while j < raw.count, raw[j] >= UInt8(ascii: "0"), raw[j] <= UInt8(ascii: "9"), length < 1 << 30 {
                length = length * 10 + Int(raw[j] - UInt8(ascii: "0"))
                j += 1
            }
            // The length counts the whole record, its own digits and the space included.
            guard length > j - i, j < raw.count, raw[j] == UInt8(ascii: " "), length <= raw.count - i else { break }
            let record = UnsafeRawBufferPointer(rebasing: raw[(j + 1)..<(i + length)])
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: record[0..<eq]), as: UTF8.self)
                var valueEnd = record.count
                if valueEnd > eq + 1, record[valueEnd - 1] == 0x0A { valueEnd -= 1 }
                let value = String(
                    decoding: UnsafeRawBufferPointer(rebasing: record[(eq + 1)..<valueEnd]), as: UTF8.self)
                result[key] = value
            }
            i += length
        }
        return result
    }
}
