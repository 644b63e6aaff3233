/// The encoding of a text object, as its byte order mark gives it. The detector reads UTF-8:
/// UTF-16 and UTF-32 text (Windows exports, PowerShell logs) is transcoded first, else a
/// `123-45-6789` written as `1\0 2\0 3\0` is never seen.
///
/// Use: `TextEncoding.detect(head:)` on the first bytes; when it is not `.utf8`, feed the
/// object (BOM included or not) through a `UTF8Transcoder` chunk by chunk and scan its output.
/// Offsets in the output are offsets in UTF-8 text: lines and columns (in characters) are
/// the same as in the original.
public enum TextEncoding: Sendable, Hashable, CustomStringConvertible {
    case utf8
    case utf16LittleEndian, utf16BigEndian
    case utf32LittleEndian, utf32BigEndian

    /// The encoding a byte order mark at the start of `head` announces, and the mark's length;
    /// nil without a mark (read such text as UTF-8). Four bytes are enough to decide.
    public static func detect(head: UnsafeRawBufferPointer) -> (encoding: TextEncoding, bomLength: Int)? {
        func starts(with mark: [UInt8]) -> Bool {
            head.count >= mark.count && zip(head, mark).allSatisfy { $0 == $1 }
        }
        // UTF-32 LE's mark begins with UTF-16 LE's: test it first.
        if starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return (.utf32LittleEndian, 4) }
        if starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return (.utf32BigEndian, 4) }
        if starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        return nil
    }

    public static func detect(head: [UInt8]) -> (encoding: TextEncoding, bomLength: Int)? {
        head.withUnsafeBytes { detect(head: $0) }
    }

    /// Bytes per code unit.
    public var unitSize: Int {
        switch self {
        case .utf8: 1
        case .utf16LittleEndian, .utf16BigEndian: 2
        case .utf32LittleEndian, .utf32BigEndian: 4
        }
    }

    public var description: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        case .utf32LittleEndian: "UTF-32LE"
        case .utf32BigEndian: "UTF-32BE"
        }
    }

    /// Transcodes a whole object to UTF-8: the mark's encoding, the mark itself dropped. Nil
    /// when there is no UTF-16/UTF-32 mark (the bytes are UTF-8 already). `maxOutput` bounds
    /// the result (UTF-16 can grow by half); past it the text is cut at a character boundary.
    public static func utf8(from bytes: UnsafeRawBufferPointer, maxOutput: Int = .max) -> [UInt8]? {
        guard let (encoding, bomLength) = detect(head: bytes), encoding != .utf8 else { return nil }
        var transcoder = UTF8Transcoder(from: encoding)
        var out: [UInt8] = []
        // At most 3 UTF-8 bytes per UTF-16 unit (2 bytes); UTF-32 never grows.
        out.reserveCapacity(min(maxOutput, bytes.count * 3 / 2, 1 << 20))
        transcoder.feed(UnsafeRawBufferPointer(rebasing: bytes[bomLength...]), maxOutput: maxOutput) {
            out.append(contentsOf: $0)
        }
        transcoder.finish { out.append(contentsOf: $0) }
        return out
    }
}

/// Streaming UTF-16/UTF-32 → UTF-8: feed chunks of any size (a code unit or a surrogate pair
/// may straddle two chunks), then `finish`. Invalid sequences (lone surrogates, values past
/// U+10FFFF, a dangling odd byte at the end) become U+FFFD, so the output is always valid UTF-8
/// and never stops early. A leading byte order mark is not removed: skip `bomLength` bytes.
public struct UTF8Transcoder: Sendable {
    public let encoding: TextEncoding
    /// Bytes of a code unit that the last chunk cut off.
    private var partial: [UInt8] = []
    /// A high surrogate waiting for its low half.
    private var highSurrogate: UInt32?
    /// Output bytes so far.
    public private(set) var produced = 0
    /// Set when `maxOutput` stopped a `feed`.
    public private(set) var isTruncated = false

    public init(from encoding: TextEncoding) { self.encoding = encoding }

    /// Transcodes `chunk`, handing UTF-8 to `sink` in pieces of up to 64 KiB. Stops (setting
    /// `isTruncated`) before the total output passes `maxOutput`.
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer, maxOutput: Int = .max, sink: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        guard !isTruncated else { return }
        let unit = encoding.unitSize
        var buffer: [UInt8] = []
        buffer.reserveCapacity(min(64 << 10, chunk.count * 3 / 2 + 8))
        var index = 0
        // Finish a unit the previous chunk cut.
        while !partial.isEmpty, index < chunk.count {
            partial.append(chunk[index])
            index += 1
            if partial.count == unit {
                let value = partial.withUnsafeBytes { readUnit($0, at: 0) }
                partial.removeAll()
                accept(value, into: &buffer)
            }
        }
        while index + unit <= chunk.count {
            accept(readUnit(chunk, at: index), into: &buffer)
            index += unit
            if buffer.count >= 64 << 10 {
                guard try flush(&buffer, maxOutput: maxOutput, sink: sink) else { return }
            }
        }
        while index < chunk.count {
            partial.append(chunk[index])
            index += 1
        }
        _ = try flush(&buffer, maxOutput: maxOutput, sink: sink)
    }

    /// Ends the text: a pending high surrogate or a cut-off unit becomes U+FFFD.
    public mutating func finish(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        if highSurrogate != nil || !partial.isEmpty, !isTruncated {
            highSurrogate = nil
            partial.removeAll()
            Self.append(0xFFFD, to: &buffer)
        }
        _ = try flush(&buffer, maxOutput: .max, sink: sink)
    }

    private func readUnit(_ bytes: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        switch encoding {
        case .utf8: UInt32(bytes[i])
        case .utf16LittleEndian: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
        case .utf16BigEndian: UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
        case .utf32LittleEndian:
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        case .utf32BigEndian:
            UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
    }

    /// One code unit in: surrogate pairs joined, everything invalid replaced.
    private mutating func accept(_ value: UInt32, into out: inout [UInt8]) {
        if encoding == .utf8 {
            out.append(UInt8(truncatingIfNeeded: value))
            return
        }
        if let high = highSurrogate {
            highSurrogate = nil
            if encoding.unitSize == 2, (0xDC00...0xDFFF).contains(value) {
                Self.append(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00), to: &out)
                return
            }
            Self.append(0xFFFD, to: &out)  // a high surrogate without its low half
        }
        if encoding.unitSize == 2, (0xD800...0xDBFF).contains(value) {
            highSurrogate = value
            return
        }
        Self.append(Unicode.Scalar(value).map { $0.value } ?? 0xFFFD, to: &out)
    }

    /// Hands `buffer` to the sink within `maxOutput` (cut at a character boundary); false
    /// when the limit stopped it.
    private mutating func flush(
        _ buffer: inout [UInt8], maxOutput: Int, sink: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows -> Bool {
        defer { buffer.removeAll(keepingCapacity: true) }
        var count = buffer.count
        let room = maxOutput - produced
        if count > room {
            isTruncated = true
            count = max(0, room)
            // Do not split a character: back up over continuation bytes.
            while count > 0, count < buffer.count, buffer[count] & 0xC0 == 0x80 { count -= 1 }
        }
        if count > 0 {
            try buffer.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            produced += count
        }
        return !isTruncated
    }

    /// UTF-8 of a scalar value (already checked valid, or U+FFFD).
    private static func append(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | (value >> 12) & 0x3F))
            out.append(UInt8(0x80 | (value >> 6) & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
