internal import CZlib

/// Streaming zlib deflate: writes gzip (for `.jsonl.gz` results), raw deflate (zip members)
/// or zlib. Feed input with `compress`, end with `finish`; output goes to a sink in chunks.
public final class Deflater {
    private var stream = z_stream()
    private var finished = false
    private let chunkSize: Int

    /// `level` 0...9 (6 is zlib's default). Gzip output carries no file name and mtime 0.
    public init(container: Inflate.Container, level: Int = 6, chunkSize: Int = 64 * 1024) {
        self.chunkSize = chunkSize
        let windowBits: Int32
        switch container {
        case .gzip: windowBits = 15 + 16
        case .raw: windowBits = -15
        case .zlib: windowBits = 15
        }
        let status = deflateInit2_(
            &stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): zlib out of memory or mismatched")
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input`, handing finished output to `sink`.
    public func compress(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        precondition(!finished, "Deflater used after finish")
        try run(input, flush: Z_NO_FLUSH, sink: sink)
    }

    /// Flushes everything and writes the stream's trailer.
    public func finish(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        precondition(!finished, "Deflater finished twice")
        finished = true
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, sink: sink)
    }

    private func run(
        _ input: UnsafeRawBufferPointer, flush: Int32, sink: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { output.deallocate() }
        var consumed = 0
        let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        while true {
            let available = input.count - consumed
            let feed = min(available, Int(UInt32.max))
            stream.next_in = base.map { UnsafeMutablePointer(mutating: $0 + consumed) }
            stream.avail_in = UInt32(feed)
            stream.next_out = output
            stream.avail_out = UInt32(chunkSize)
            let lastFeed = feed == available
            let status = CZlib.deflate(&stream, lastFeed ? flush : Z_NO_FLUSH)
            consumed += feed - Int(stream.avail_in)
            let produced = chunkSize - Int(stream.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(start: output, count: produced)) }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if consumed == input.count && stream.avail_out != 0 {
                return
            }
            precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed (\(status))")
        }
    }
}

extension Deflate {
    /// CRC-32 (as gzip and zip use it), continuing from `crc`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var value = UInt(crc)
        var offset = 0
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        while offset < bytes.count {
            let count = min(bytes.count - offset, Int(UInt32.max))
            value = CZlib.crc32(value, base! + offset, UInt32(count))
            offset += count
        }
        return UInt32(truncatingIfNeeded: value)
    }
}

/// One-shot compression helpers.
public enum Deflate {
    /// Compresses `input` whole.
    public static func compress(_ input: [UInt8], container: Inflate.Container, level: Int = 6) -> [UInt8] {
        let deflater = Deflater(container: container, level: level)
        var out: [UInt8] = []
        input.withUnsafeBytes { raw in deflater.compress(raw) { out.append(contentsOf: $0) } }
        deflater.finish { out.append(contentsOf: $0) }
        return out
    }
}
