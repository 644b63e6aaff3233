internal import CZlib
import Foundation

/// Writes a gzip file incrementally (the discovery results are JSON Lines compressed as
/// .gz, as Macie writes them).
public final class GzipWriter {
    private var stream = z_stream()
    private let handle: FileHandle
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    private var finished = false

    public init(path: String, level: Int32 = 6) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw WriteError("cannot create \(path)") }
        self.handle = handle
        guard trawl_deflate_init2(&stream, level, 15 + 16) == Z_OK else {
            throw WriteError("zlib could not start")
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try pump($0, flush: Z_NO_FLUSH) }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Flushes the stream and closes the file. Safe to call twice.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try pump(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        deflateEnd(&stream)
        try handle.close()
    }

    deinit { if !finished { try? finish() } }

    private func pump(_ input: UnsafeRawBufferPointer, flush: Int32) throws {
        stream.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self))
        }
        stream.avail_in = UInt32(input.count)
        repeat {
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return deflate(&stream, flush)
            }
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 { try handle.write(contentsOf: output[0..<produced]) }
            if status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw WriteError("zlib deflate status \(status)")
            }
        } while stream.avail_out == 0 || (flush == Z_FINISH)
    }
}

/// An output file could not be created or written.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}
