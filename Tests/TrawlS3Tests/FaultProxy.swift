import Foundation
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What `FaultProxy` does to a request it picks.
enum Fault: String, CaseIterable, Sendable {
    /// `503 SlowDown`, the connection kept.
    case slowDown
    /// `500 InternalError`, the connection kept.
    case internalError
    /// The request is read, then the connection is closed without an answer.
    case closeBeforeAnswer
    /// The request is read, then the connection is reset (RST) without an answer.
    case resetBeforeAnswer
    /// The server's answer head and half its body, then the connection is closed: fewer bytes
    /// than the Content-Length.
    case cutBody
    /// A `206` answer whose Content-Length is rewritten to half the body, which is sent: a
    /// consistent-looking answer shorter than the range asked for (other answers are cut as
    /// with `cutBody`).
    case shortRange
}

/// An HTTP/1.1 proxy on 127.0.0.1 in front of the test's S3 server that injects faults into
/// about `rate` of the requests: error answers, connections closed or reset before the answer,
/// and bodies cut short. Every answer that is not a fault comes unchanged from the real server.
///
/// Deterministic: whether the n-th attempt of a request (its method, target and Range) is faulted,
/// and how, depends only on `seed`, `rate`, the request and n, never on timing or interleaving.
/// Bounded: at most `maxFaults` faults, and none after `window` seconds.
final class FaultProxy: @unchecked Sendable {
    let port: Int
    let upstreamPort: Int
    let seed: UInt64
    let rate: Double
    let kinds: [Fault]
    let maxFaults: Int
    let deadline: Date
    /// Only requests with a Range header (object reads) are faulted when set.
    let onlyRangedRequests: Bool

    private let listener: Int32
    private let lock = NSLock()
    private var attemptsByRequest: [String: Int] = [:]
    private var faultCounts: [Fault: Int] = [:]
    private var requestCount = 0
    private var stopped = false

    init(
        upstreamPort: Int, seed: UInt64, rate: Double = 0.25, kinds: [Fault] = Fault.allCases, maxFaults: Int = 500,
        window: TimeInterval = 300, onlyRangedRequests: Bool = false
    ) throws {
        self.upstreamPort = upstreamPort
        self.seed = seed
        self.rate = rate
        self.kinds = kinds
        self.maxFaults = maxFaults
        self.deadline = Date().addingTimeInterval(window)
        self.onlyRangedRequests = onlyRangedRequests
        (listener, port) = try Loopback.listener(backlog: 128)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Faults injected so far, by kind.
    var faults: [Fault: Int] { lock.withLock { faultCounts } }
    var totalFaults: Int { faults.values.reduce(0, +) }
    /// Requests received so far (faulted or not).
    var requests: Int { lock.withLock { requestCount } }

    /// Closes the listener once: a second close could close a descriptor the process has
    /// since reused (another test's connection).
    func stop() {
        guard
            lock.withLock({ () -> Bool in
                defer { stopped = true }
                return !stopped
            })
        else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    // MARK: - Decisions

    /// The fault for this attempt of `request` (its method, target and Range), if any.
    private func decide(_ request: String, ranged: Bool) -> Fault? {
        lock.withLock {
            requestCount += 1
            let attempt = attemptsByRequest[request, default: 0]
            attemptsByRequest[request] = attempt + 1
            guard !onlyRangedRequests || ranged, faultCounts.values.reduce(0, +) < maxFaults, Date() < deadline else {
                return nil
            }
            var hash = seed ^ 0xcbf2_9ce4_8422_2325
            for byte in request.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }  // FNV-1a
            hash = Self.mix(hash ^ UInt64(attempt) &* 0x9e37_79b9_7f4a_7c15)
            guard Double(hash >> 11) / Double(1 << 53) < rate else { return nil }
            let fault = kinds[Int(Self.mix(hash) % UInt64(kinds.count))]
            faultCounts[fault, default: 0] += 1
            return fault
        }
    }

    /// SplitMix64's finalizer.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            Self.setTimeouts(client)
            Thread.detachNewThread { [self] in
                serve(client)
            }
        }
    }

    /// Serves the requests of one client connection (kept alive between answers) until the
    /// client leaves or a fault ends the connection.
    private func serve(_ client: Int32) {
        var pending: [UInt8] = []
        defer { close(client) }
        while let request = Self.readMessage(client, buffer: &pending, bodyFollowsHead: true) {
            let range = request.header("range")
            let fault = decide(request.startLine + " " + (range ?? ""), ranged: range != nil)
            switch fault {
            case .slowDown?:
                Self.sendAll(client, Self.errorAnswer(status: "503 Slow Down", code: "SlowDown"))
                continue
            case .internalError?:
                Self.sendAll(client, Self.errorAnswer(status: "500 Internal Server Error", code: "InternalError"))
                continue
            case .closeBeforeAnswer?:
                return
            case .resetBeforeAnswer?:
                Self.reset(client)
                return
            case .cutBody?, .shortRange?, nil:
                break
            }
            guard let answer = forward(request) else { return }
            guard let fault else {
                Self.sendAll(client, answer.serialized(connection: answer.hasLength ? "keep-alive" : "close"))
                if !answer.hasLength { return }
                continue
            }
            // Cut: half the body, then the connection ends. Nothing to cut in a bodiless answer: drop it.
            guard answer.body.count >= 2 else { return }
            var cut = answer
            cut.body = Array(answer.body.prefix(answer.body.count / 2))
            if fault == .shortRange, answer.startLine.contains(" 206 ") {
                cut.setHeader("Content-Length", String(cut.body.count))
                Self.sendAll(client, cut.serialized(connection: "close"))
            } else {
                Self.sendAll(client, cut.head(connection: "close") + cut.body)
            }
            return
        }
    }

    /// Sends `request` to the server on a connection of its own and reads the whole answer.
    private func forward(_ request: HTTPMessage) -> HTTPMessage? {
        guard let upstream = Loopback.connection(to: upstreamPort) else { return nil }
        defer { close(upstream) }
        Self.setTimeouts(upstream)
        Self.sendAll(upstream, request.serialized(connection: "close"))
        // The server closes after its answer (Connection: close): everything up to EOF is the answer.
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(upstream, &chunk, chunk.count, 0)
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        guard var answer = Self.readMessage(upstream, buffer: &received, bodyFollowsHead: false) else { return nil }
        answer.body = received  // the rest, whatever the framing
        return answer
    }

    // MARK: - HTTP/1.1 framing (just enough for S3's requests and answers)

    struct HTTPMessage {
        var startLine: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        var hasLength: Bool { header("content-length") != nil || header("transfer-encoding") != nil }

        mutating func setHeader(_ name: String, _ value: String) {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            headers.append((name, value))
        }

        func head(connection: String) -> [UInt8] {
            var lines = [startLine]
            lines += headers.filter { $0.0.lowercased() != "connection" && $0.0.lowercased() != "keep-alive" }.map {
                "\($0.0): \($0.1)"
            }
            lines.append("Connection: \(connection)")
            return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        }

        func serialized(connection: String) -> [UInt8] { head(connection: connection) + body }
    }

    /// Reads one message head from `buffer` (receiving more from `fd` as needed) and, when
    /// `bodyFollowsHead`, its Content-Length body; what follows stays in `buffer`. Nil at EOF.
    private static func readMessage(_ fd: Int32, buffer: inout [UInt8], bodyFollowsHead: Bool) -> HTTPMessage? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var chunk = [UInt8](repeating: 0, count: 65536)
        func receive() -> Bool {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return false }
            buffer += chunk[0..<count]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            headEnd =
                buffer.count >= 4 ? (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator } : nil
            if headEnd == nil, !receive() { return nil }
        }
        let lines = String(decoding: buffer[0..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        buffer.removeFirst(headEnd! + 4)
        var message = HTTPMessage(startLine: lines[0], headers: [], body: [])
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            message.headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        if bodyFollowsHead {
            let length = message.header("content-length").flatMap(Int.init) ?? 0
            while buffer.count < length {
                if !receive() { return nil }
            }
            message.body = Array(buffer.prefix(length))
            buffer.removeFirst(length)
        }
        return message
    }

    private static func errorAnswer(status: String, code: String) -> [UInt8] {
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>injected by the test proxy</Message></Error>"
        return Array(
            "HTTP/1.1 \(status)\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                .utf8)
    }

    // MARK: - Sockets

    /// No thread of the proxy waits for a silent peer for more than 30 s.
    private static func setTimeouts(_ fd: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    /// Closing with a zero linger time sends RST instead of FIN.
    private static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }
}
