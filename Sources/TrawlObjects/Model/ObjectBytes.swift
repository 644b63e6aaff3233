import Foundation

/// The bytes of one object, wherever they live: a local file, memory (archive members,
/// decompressed data), or a remote store (TrawlS3 reads S3 in ranges).
///
/// Every reader takes bytes through this protocol, so formats never know the transport and a
/// large object can be read in ranges by several workers at once.
public protocol ObjectBytes {
    /// Streams the object in chunks of at most `chunkSize` bytes; returning false stops early.
    func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws
    /// Streams `range` of the object (clamped to its end) in chunks of at most `chunkSize` bytes.
    func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws
    /// The whole object, or a `ReadError` with FILE_EXCEEDS_SIZE_LIMIT over `limit`.
    func readAll(limit: Int) throws -> [UInt8]
    /// The first `count` bytes (fewer for a shorter object), for content sniffing.
    func head(_ count: Int) throws -> [UInt8]
    /// The last `count` bytes (fewer for a shorter object): gzip trailers, zip directories.
    func tail(_ count: Int) throws -> [UInt8]
}

/// Reads a local file with `read(2)`: only the file that was listed, only as much as was listed.
public struct FileBytes: ObjectBytes {
    public var path: String
    let reader: FileReader

    public init(path: String, reader: FileReader = FileReader()) {
        self.path = path
        self.reader = reader
    }

    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try reader.stream(path: path, chunkSize: chunkSize, body)
    }

    public func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try reader.stream(path: path, range: range, chunkSize: chunkSize, body)
    }

    public func readAll(limit: Int) throws -> [UInt8] { try reader.readAll(path: path, limit: limit) }
    public func head(_ count: Int) throws -> [UInt8] { try reader.head(path: path, count: count) }
    public func tail(_ count: Int) throws -> [UInt8] { try reader.tail(path: path, count: count) }
}

/// Bytes already in memory (archive members, decompressed data, tests).
public struct MemoryBytes: ObjectBytes {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try bytes.withUnsafeBytes { try BufferBytes(buffer: $0).stream(chunkSize: chunkSize, body) }
    }

    public func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try bytes.withUnsafeBytes { try BufferBytes(buffer: $0).stream(range: range, chunkSize: chunkSize, body) }
    }

    public func readAll(limit: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { _ = try BufferBytes(buffer: $0).checkLimit(limit) }
        return bytes
    }

    public func head(_ count: Int) throws -> [UInt8] { Array(bytes.prefix(max(0, count))) }
    public func tail(_ count: Int) throws -> [UInt8] { Array(bytes.suffix(max(0, count))) }
}

/// A view of bytes someone else owns (an archive member inside its decompressed archive): no
/// copy. Valid only while the owner keeps the buffer alive.
public struct BufferBytes: ObjectBytes {
    public let buffer: UnsafeRawBufferPointer

    public init(buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try stream(range: 0..<buffer.count, chunkSize: chunkSize, body)
    }

    public func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let range = range.clamped(to: 0..<buffer.count)
        var offset = range.lowerBound
        while offset < range.upperBound {
            let end = min(range.upperBound, offset + max(1, chunkSize))
            if try !body(UnsafeRawBufferPointer(rebasing: buffer[offset..<end])) { return }
            offset = end
        }
    }

    public func readAll(limit: Int) throws -> [UInt8] { Array(try checkLimit(limit)) }

    /// The buffer, or FILE_EXCEEDS_SIZE_LIMIT when it is over `limit`.
    func checkLimit(_ limit: Int) throws -> UnsafeRawBufferPointer {
        guard buffer.count <= limit else {
            throw ReadError(reason: .fileExceedsSizeLimit, message: "over the \(limit)-byte limit")
        }
        return buffer
    }

    public func head(_ count: Int) throws -> [UInt8] { Array(buffer.prefix(max(0, count))) }
    public func tail(_ count: Int) throws -> [UInt8] { Array(buffer.suffix(max(0, count))) }
}

/// The bytes of an object that its store lists but cannot read (an S3 Inventory report).
public struct UnreadableBytes: ObjectBytes {
    public var error: ReadError

    public init(_ error: ReadError) { self.error = error }

    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws { throw error }
    public func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        throw error
    }
    public func readAll(limit: Int) throws -> [UInt8] { throw error }
    public func head(_ count: Int) throws -> [UInt8] { throw error }
    public func tail(_ count: Int) throws -> [UInt8] { throw error }
}
