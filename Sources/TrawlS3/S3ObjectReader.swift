import Foundation
import NIOCore
import Synchronization
import TrawlObjects

/// Reads one object with ranged GETs of `rangeSize` bytes, each sent with `If-Match: <ETag from
/// the listing>`, so an object rewritten mid-read fails with OBJECT_VERSION_MISMATCH instead of
/// mixing two versions. While the caller analyses one range the next one is already on its way.
/// Memory: at most two ranges per reader.
///
/// Failures are `ReadError`s with Macie's reason codes (PERMISSION_DENIED,
/// SOURCE_OBJECT_NO_LONGER_AVAILABLE, NO_SUCH_BUCKET_AVAILABLE, OBJECT_VERSION_MISMATCH,
/// INVALID_ENCRYPTION...), or trawl's NETWORK_ERROR once every retry of a range failed in
/// transit; the analyzer turns them into the object's status. A range cut short in transit is
/// retried by the client, so a range of the wrong length here means the object itself changed.
public struct S3ObjectReader: Sendable {
    public let client: S3Client
    public let object: ObjectRef
    public let rangeSize: Int
    /// The object's first range, already requested by the prefetcher.
    let first: EventLoopFuture<S3Response>?

    public init(
        client: S3Client, object: ObjectRef, rangeSize: Int = 8 << 20, first: EventLoopFuture<S3Response>? = nil
    ) {
        self.client = client
        self.object = object
        self.rangeSize = max(1, rangeSize)
        self.first = first
    }

    var bucket: String { object.bucket }
    var key: String {
        if case .s3(_, let key, _) = object.location { return key }
        return object.key
    }

    /// Requests bytes `[offset, offset + count)`.
    func request(offset: Int64, count: Int) -> EventLoopFuture<S3Response> {
        if offset == 0, let first, count == min(Int64(rangeSize), object.size) { return first }
        let range = offset...(offset + Int64(count) - 1)
        return client.send(
            client.getObjectRequest(
                bucket: bucket, key: key, range: range, ifMatch: object.eTag.isEmpty ? nil : object.eTag))
    }

    /// Waits for a range and checks it is the version the listing saw.
    func wait(_ future: EventLoopFuture<S3Response>) throws(ReadError) -> Data {
        let response: S3Response
        do {
            response = try future.wait()
        } catch let error as S3Error {
            throw ReadError(reason: error.macieReason, message: error.description)
        } catch {
            // Not an answer from S3 at all (the client is shutting down): the network's failure, not the object's.
            throw ReadError(reason: .networkError, message: "GetObject s3://\(bucket)/\(key): \(error)")
        }
        if !object.eTag.isEmpty, let eTag = response.header("ETag"), eTag != object.eTag {
            throw ReadError(
                reason: .objectVersionMismatch,
                message:
                    "GetObject s3://\(bucket)/\(key): the object changed during analysis (ETag \(eTag), listed as \(object.eTag))"
            )
        }
        return response.body
    }

    /// The first `count` bytes (content sniffing): served from the first range.
    public func head(_ count: Int) throws(ReadError) -> [UInt8] {
        guard object.size > 0 else { return [] }
        let first = min(Int64(rangeSize), object.size)
        if count <= first {
            let data = try wait(request(offset: 0, count: Int(first)))
            return Array(data.prefix(count))
        }
        return Array(try wait(request(offset: 0, count: Int(min(Int64(count), object.size)))))
    }

    /// Streams the object in pieces of at most `chunkSize` bytes; returning false stops early.
    public func stream(chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try stream(range: 0..<Int(clamping: object.size), chunkSize: chunkSize, body)
    }

    /// Streams `range` of the object (clamped to its size) in ranged GETs, the next one in flight
    /// while the current one is consumed.
    public func stream(range: Range<Int>, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let size = object.size
        var offset = Int64(max(0, range.lowerBound))
        let end = min(size, Int64(range.upperBound))
        guard offset < end else { return }
        func next(_ offset: Int64) -> EventLoopFuture<S3Response> {
            // The prefetched first range serves a stream from the start of the object.
            request(offset: offset, count: Int(min(Int64(rangeSize), end - offset)))
        }
        var pending: EventLoopFuture<S3Response>? = next(offset)
        while let current = pending {
            let data = try wait(current)
            let expected = min(Int64(rangeSize), end - offset)
            guard Int64(data.count) == expected else {
                throw ReadError(
                    reason: .objectVersionMismatch,
                    message:
                        "GetObject s3://\(bucket)/\(key): got \(data.count) bytes at offset \(offset), expected \(expected) (the object changed?)"
                )
            }
            offset += Int64(data.count)
            pending = offset < end ? next(offset) : nil
            let keepGoing = try data.withUnsafeBytes { raw -> Bool in
                var start = 0
                while start < raw.count {
                    let stop = min(raw.count, start + max(1, chunkSize))
                    if try !body(UnsafeRawBufferPointer(rebasing: raw[start..<stop])) { return false }
                    start = stop
                }
                return true
            }
            if !keepGoing { return }
        }
    }

    /// The last `count` bytes (one ranged GET).
    public func tail(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let start = max(0, Int(clamping: object.size) - max(0, count))
        try stream(range: start..<Int(clamping: object.size), chunkSize: max(1, count)) {
            bytes += $0
            return true
        }
        return bytes
    }

    /// The whole object, or FILE_EXCEEDS_SIZE_LIMIT over `limit` (checked before any GET).
    public func readAll(limit: Int) throws -> [UInt8] {
        guard object.size <= Int64(limit) else {
            throw ReadError(
                reason: .fileExceedsSizeLimit,
                message: "\(object.size) bytes is over the \(limit)-byte limit for this format")
        }
        var result = [UInt8]()
        result.reserveCapacity(Int(object.size))
        try stream(chunkSize: rangeSize) { chunk in
            result.append(contentsOf: chunk)
            return true
        }
        return result
    }
}

/// Starts reading the first range of upcoming objects before the workers ask for them, so many
/// objects are in flight while the detector works, within a budget of objects and bytes.
///
/// Objects are taken in the scan runner's order (largest first); an object asked for out of order
/// is simply read on demand. Prefetched bytes are held only until their object is taken.
public final class S3Prefetcher: Sendable {
    struct State {
        var queue: [ObjectRef]
        var next = 0
        var taken: Set<ObjectRef> = []
        var ready: [ObjectRef: (future: EventLoopFuture<S3Response>, bytes: Int64)] = [:]
        var bytesHeld: Int64 = 0
    }

    let client: S3Client
    let rangeSize: Int
    let maxObjects: Int
    let maxBytes: Int64
    let state: Mutex<State>

    /// - Parameters:
    ///   - objects: the objects the scan will read, in any order (they are read largest first).
    ///   - shouldRead: false for objects the scan skips without a GET (Glacier, SSE-C).
    ///   - maxObjects: first ranges in flight or waiting, at most.
    ///   - maxBytes: bytes of first ranges in flight or waiting, at most.
    public init(
        client: S3Client, objects: [ObjectRef], rangeSize: Int, maxObjects: Int = 16, maxBytes: Int64 = 64 << 20,
        shouldRead: (ObjectRef) -> Bool = { _ in true }
    ) {
        self.client = client
        self.rangeSize = max(1, rangeSize)
        self.maxObjects = max(0, maxObjects)
        self.maxBytes = max(0, maxBytes)
        let order = objects.indices.sorted { objects[$0].size > objects[$1].size }.map { objects[$0] }.filter(
            shouldRead)
        state = Mutex(State(queue: order))
        // Nothing is fetched until the first object is asked for (an estimate never reads).
    }

    /// A reader for `object`, with its first range if it was prefetched.
    public func reader(for object: ObjectRef) -> S3ObjectReader {
        let first = state.withLock { state -> EventLoopFuture<S3Response>? in
            state.taken.insert(object)
            guard let entry = state.ready.removeValue(forKey: object) else { return nil }
            state.bytesHeld -= entry.bytes
            return entry.future
        }
        refill()
        return S3ObjectReader(client: client, object: object, rangeSize: rangeSize, first: first)
    }

    /// Bytes of prefetched ranges currently held or in flight (for tests and the budget).
    public var bytesHeld: Int64 { state.withLock { $0.bytesHeld } }

    private func refill() {
        state.withLock { state in
            while state.next < state.queue.count, state.ready.count < maxObjects {
                let object = state.queue[state.next]
                if state.taken.contains(object) || object.size == 0 {
                    state.next += 1
                    continue
                }
                let bytes = min(Int64(rangeSize), object.size)
                // Always allow one, so an object larger than the budget still gets prefetched alone.
                guard state.bytesHeld + bytes <= maxBytes || state.ready.isEmpty else { break }
                state.next += 1
                state.bytesHeld += bytes
                // Sending only schedules work on the event loop; nothing calls back into this lock.
                let reader = S3ObjectReader(client: client, object: object, rangeSize: rangeSize)
                state.ready[object] = (reader.request(offset: 0, count: Int(bytes)), bytes)
            }
        }
    }
}
