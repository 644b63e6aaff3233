internal import CZlib

/// Why a decompression stopped early.
public enum InflateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The compressed data is corrupt or ends before the stream does.
    case malformed(String)
    /// The output would exceed the caller's byte limit (decompression bomb guard).
    case outputLimit(Int)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed compressed data: \(why)"
        case .outputLimit(let limit): "decompressed size exceeds the limit of \(limit) bytes"
        }
    }
}

/// Streaming zlib inflate. Output is handed out in chunks, so a large stream never has to be
/// held in memory whole.
public enum Inflate {
    public enum Container: Sendable {
        /// gzip (RFC 1952), including concatenated members as `cat a.gz b.gz` makes them.
        case gzip
        /// Raw deflate (RFC 1951), as stored in zip entries.
        case raw
        /// zlib (RFC 1950).
        case zlib
    }

    /// Inflates `input`, calling `sink` with each chunk of output (at most `chunkSize` bytes).
    /// Stops with `.outputLimit` before producing more than `maxOutput` bytes, and with
    /// `.malformed` on corrupt or truncated input; chunks already handed to `sink` stay valid
    /// (a caller can report what it read as partial). Returns the number of bytes produced.
    @discardableResult
    public static func inflate(
        _ input: UnsafeRawBufferPointer, container: Container, maxOutput: Int = .max,
        chunkSize: Int = 256 * 1024, sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var stream = z_stream()
        let windowBits: Int32
        switch container {
        case .gzip: windowBits = 15 + 16
        case .raw: windowBits = -15
        case .zlib: windowBits = 15
        }
        guard trawl_inflate_init2(&stream, windowBits) == Z_OK else {
            throw InflateError.malformed("zlib could not start")
        }
        defer { inflateEnd(&stream) }

        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { output.deallocate() }
        var produced = 0
        var consumed = 0
        let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self)

        while true {
            stream.next_in = base.map { UnsafeMutablePointer(mutating: $0 + consumed) }
            let available = input.count - consumed
            stream.avail_in = UInt32(min(available, Int(UInt32.max)))
            stream.next_out = output
            stream.avail_out = UInt32(chunkSize)
            let before = stream.avail_in
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += Int(before - stream.avail_in)
            let count = chunkSize - Int(stream.avail_out)
            if count > 0 {
                if produced + count > maxOutput {
                    let allowed = maxOutput - produced
                    if allowed > 0 { try sink(UnsafeRawBufferPointer(start: output, count: allowed)) }
                    throw InflateError.outputLimit(maxOutput)
                }
                produced += count
                try sink(UnsafeRawBufferPointer(start: output, count: count))
            }
            switch status {
            case Z_STREAM_END:
                // gzip: another member may follow (concatenated .gz files).
                if container == .gzip, consumed < input.count, hasGzipMagic(input, at: consumed) {
                    guard inflateReset(&stream) == Z_OK else { throw InflateError.malformed("reset failed") }
                    continue
                }
                return produced
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: input ended in the middle of the stream.
                if consumed >= input.count { throw InflateError.malformed("unexpected end of data") }
                continue
            case Z_DATA_ERROR:
                throw InflateError.malformed(stream.msg.map { String(cString: $0) } ?? "data error")
            default:
                throw InflateError.malformed("zlib status \(status)")
            }
        }
    }

    /// Convenience: inflates into one array (bounded by `maxOutput`).
    public static func inflate(_ input: [UInt8], container: Container, maxOutput: Int = .max) throws -> [UInt8] {
        var result: [UInt8] = []
        _ = try input.withUnsafeBytes { raw in
            try inflate(raw, container: container, maxOutput: maxOutput) { result.append(contentsOf: $0) }
        }
        return result
    }

    static func hasGzipMagic(_ input: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        offset + 1 < input.count && input[offset] == 0x1F && input[offset + 1] == 0x8B
    }

    /// The uncompressed size a gzip file declares in its last member's trailer (ISIZE,
    /// modulo 2^32). A hint for estimates only: it is wrong for multi-member files and
    /// for sizes of 4 GiB and more.
    public static func gzipDeclaredSize(_ input: UnsafeRawBufferPointer) -> Int? {
        guard input.count >= 18, hasGzipMagic(input, at: 0) else { return nil }
        let n = input.count
        return Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
    }
}
