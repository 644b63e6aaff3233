import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an object's bytes could not be read.
public struct ReadError: Error, Sendable, CustomStringConvertible {
    /// Macie's reason code (`PERMISSION_DENIED`, `SOURCE_OBJECT_NO_LONGER_AVAILABLE`, ...).
    public var reason: ReasonCode
    public var message: String
    public init(reason: ReasonCode, message: String) {
        self.reason = reason
        self.message = message
    }
    public var description: String { "\(reason.rawValue): \(message)" }
}

/// Which file a listing saw: its device and inode. A file opened later must be the same one.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
    init(_ status: stat) { self.init(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)) }
}

/// Reads local files with `read(2)` into caller buffers: no mmap (a file changed under a
/// mapping can SIGBUS), no per-object allocation in the streaming path.
///
/// A file is read only if it is what was listed: opened without following a link and without
/// blocking (a FIFO put in its place cannot hang a worker), a regular file, the same device and
/// inode as `identity`, and read up to `listedSize` bytes at most (a file that grows while it is
/// scanned ends where it ended when listed).
public struct FileReader: Sendable {
    /// The device and inode the listing saw, when known.
    public var identity: FileIdentity?
    /// The size the listing saw, when known.
    public var listedSize: Int64?

    public init(identity: FileIdentity? = nil, listedSize: Int64? = nil) {
        self.identity = identity
        self.listedSize = listedSize
    }

    /// Where reading stops: the listed size, if known.
    private var end: Int { listedSize.map { Int(clamping: max(0, $0)) } ?? Int.max }

    /// Streams the file in chunks of up to `chunkSize` bytes.
    public func stream(path: String, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try stream(path: path, range: 0..<end, chunkSize: chunkSize, body)
    }

    /// Streams the bytes of `range` (clamped to the file and the listed size) in chunks of up to `chunkSize`.
    public func stream(
        path: String, range: Range<Int>, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let fd = try open(path)
        defer { close(fd) }
        let chunkSize = max(1, chunkSize)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = max(0, range.lowerBound)
        let upper = min(range.upperBound, end)
        while offset < upper {
            let want = min(chunkSize, upper - offset)
            let count = pread(fd, buffer.baseAddress, want, off_t(offset))
            if count < 0 {
                throw ReadError(reason: .unableToParseFile, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            offset += count
            if try !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return }
        }
    }

    /// Reads the whole file (at most `limit` bytes; more is an error the caller maps to
    /// `FILE_EXCEEDS_SIZE_LIMIT`).
    public func readAll(path: String, limit: Int) throws -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        guard min(Int(status.st_size), end) <= limit else {
            throw ReadError(
                reason: .fileExceedsSizeLimit,
                message: "\(status.st_size) bytes is over the \(limit)-byte limit for this format")
        }
        // st_size is what the file system says now, not bytes read: the file may shrink or
        // grow while it is read. Reserve a little, grow with what arrives, stop past the limit.
        var result: [UInt8] = []
        result.reserveCapacity(min(max(0, Int(status.st_size)), 1 << 20))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while result.count < end {
            let count = systemRead(fd, chunk.baseAddress, min(chunk.count, end - result.count))
            if count < 0 {
                throw ReadError(reason: .unableToParseFile, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            guard count <= limit - result.count else {
                throw ReadError(
                    reason: .fileExceedsSizeLimit, message: "the file grew past the \(limit)-byte limit for this format"
                )
            }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return result
    }

    /// The first `count` bytes (for content sniffing) and the last `tail` bytes (gzip ISIZE,
    /// zip central directory) without reading the middle.
    public func head(path: String, count: Int) throws -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: count)
        let n = result.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, count) }
        guard n >= 0 else { throw ReadError(reason: .unableToParseFile, message: "read failed") }
        result.removeSubrange(n...)
        return result
    }

    public func tail(path: String, count: Int) throws -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        let size = min(Int(status.st_size), end)
        let start = max(0, size - count)
        var result = [UInt8](repeating: 0, count: size - start)
        let n = result.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n >= 0 else { throw ReadError(reason: .unableToParseFile, message: "read failed") }
        result.removeSubrange(n...)
        return result
    }

    private func open(_ path: String) throws -> Int32 {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            switch code {
            case EACCES, EPERM: throw ReadError(reason: .permissionDenied, message: "permission denied")
            case ENOENT: throw ReadError(reason: .sourceObjectNoLongerAvailable, message: "the file no longer exists")
            case ELOOP:
                throw ReadError(
                    reason: .objectVersionMismatch,
                    message: "a symbolic link took the listed file's place; not followed")
            default: throw ReadError(reason: .unableToParseFile, message: String(cString: strerror(code)))
            }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            throw ReadError(reason: .unableToParseFile, message: "cannot stat the open file")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw ReadError(
                reason: .unsupportedFileTypeException,
                message: "not a regular file (a FIFO, socket or device took its place)")
        }
        if let identity, identity != FileIdentity(status) {
            close(fd)
            throw ReadError(reason: .objectVersionMismatch, message: "the file was replaced after it was listed")
        }
        return fd
    }
}

#if canImport(Glibc)
    @inline(__always) private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        Glibc.read(fd, buffer, count)
    }
    @inline(__always) private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#else
    @inline(__always) private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        Darwin.read(fd, buffer, count)
    }
    @inline(__always) private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif
