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

/// Reads local files with `read(2)` into caller buffers: no mmap (a file changed under a
/// mapping can SIGBUS), no per-object allocation in the streaming path.
public struct FileReader: Sendable {
    public init() {}

    /// Streams the file in chunks of up to `chunkSize` bytes.
    public func stream(path: String, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let fd = try open(path)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc_read(fd, buffer.baseAddress, chunkSize)
            if count < 0 { throw ReadError(reason: .unableToParseFile, message: "read failed: \(String(cString: strerror(errno)))") }
            if count == 0 { return }
            if try !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return }
        }
    }

    /// Streams the bytes of `range` (clamped to the file) in chunks of up to `chunkSize`.
    public func stream(path: String, range: Range<Int>, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let fd = try open(path)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let want = min(chunkSize, range.upperBound - offset)
            let count = pread(fd, buffer.baseAddress, want, off_t(offset))
            if count < 0 { throw ReadError(reason: .unableToParseFile, message: "read failed: \(String(cString: strerror(errno)))") }
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
        guard Int(status.st_size) <= limit else {
            throw ReadError(reason: .fileExceedsSizeLimit, message: "\(status.st_size) bytes is over the \(limit)-byte limit for this format")
        }
        // st_size is what the file system says now, not bytes read: the file may shrink or
        // grow while it is read. Reserve a little, grow with what arrives, stop past the limit.
        var result: [UInt8] = []
        result.reserveCapacity(min(max(0, Int(status.st_size)), 1 << 20))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = Glibc_read(fd, chunk.baseAddress, chunk.count)
            if count < 0 { throw ReadError(reason: .unableToParseFile, message: "read failed: \(String(cString: strerror(errno)))") }
            if count == 0 { return result }
            guard count <= limit - result.count else {
                throw ReadError(reason: .fileExceedsSizeLimit, message: "the file grew past the \(limit)-byte limit for this format")
            }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
    }

    /// The first `count` bytes (for content sniffing) and the last `tail` bytes (gzip ISIZE,
    /// zip central directory) without reading the middle.
    public func head(path: String, count: Int) throws -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: count)
        let n = result.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, count) }
        guard n >= 0 else { throw ReadError(reason: .unableToParseFile, message: "read failed") }
        result.removeSubrange(n...)
        return result
    }

    public func tail(path: String, count: Int) throws -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        let size = Int(status.st_size)
        let start = max(0, size - count)
        var result = [UInt8](repeating: 0, count: size - start)
        let n = result.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n >= 0 else { throw ReadError(reason: .unableToParseFile, message: "read failed") }
        result.removeSubrange(n...)
        return result
    }

    private func open(_ path: String) throws -> Int32 {
        let fd = Glibc_open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            switch code {
            case EACCES, EPERM: throw ReadError(reason: .permissionDenied, message: "permission denied")
            case ENOENT: throw ReadError(reason: .sourceObjectNoLongerAvailable, message: "the file no longer exists")
            default: throw ReadError(reason: .unableToParseFile, message: String(cString: strerror(code)))
            }
        }
        return fd
    }
}

#if canImport(Glibc)
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
@inline(__always) private func Glibc_open(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#else
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
@inline(__always) private func Glibc_open(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif
