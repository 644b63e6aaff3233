import Foundation
import TrawlS3

#if canImport(Glibc)
import Glibc
#endif

/// A real S3 server for the tests: moto's standalone server (`pip install 'moto[server]'`),
/// started on 127.0.0.1 with a free port and stopped when the test is done.
final class MotoServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts a server; `environment` adds variables (`MOTO_ACCOUNT_ID`).
    init(environment: [String: String] = [:]) throws {
        port = try freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["moto_server", "-H", "127.0.0.1", "-p", String(port)]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it answers on its port (moto starts in about a second).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning { throw TestSetupError("moto_server exited at start (is `moto[server]` installed? `make test` installs it)") }
            if canConnect(port: port) { return }
            usleep(100_000)
        }
        stop()
        throw TestSetupError("moto_server did not start listening on port \(port) within 30 s")
    }

    /// Stops the server: SIGTERM, and SIGKILL if it is still there after 3 s (werkzeug's
    /// threaded server does not always leave on SIGTERM).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A client with throw-away credentials, path-style, us-east-1.
    func client(region: String = "us-east-1", accessKey: String = "AKIDTESTTESTTEST", secret: String = "test-secret",
                retry: RetryPolicy = RetryPolicy(baseDelay: 0.01, maxDelay: 0.2), endpoint: String? = nil) -> S3Client {
        let credentials = AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, source: "test")
        return S3Client(configuration: S3Configuration(
            credentials: credentials, region: region, endpoint: URL(string: endpoint ?? self.endpoint)!, addressing: .path, retry: retry))
    }

    /// Runs python with boto3 against this server (IAM and account set-up that is not S3's).
    func python(_ script: String, accessKey: String = "AKIDTESTTESTTEST", secret: String = "test-secret") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        var env = ProcessInfo.processInfo.environment
        env["AWS_ACCESS_KEY_ID"] = accessKey
        env["AWS_SECRET_ACCESS_KEY"] = secret
        env["AWS_DEFAULT_REGION"] = "us-east-1"
        env["ENDPOINT"] = endpoint
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("python set-up failed: \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A port nobody listens on right now (bound to 0, read back, released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestSetupError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

/// A TCP proxy in front of the server that answers `503 SlowDown` (with `Retry-After: 0`) to
/// the first `failures` connections and then forwards bytes both ways. Not an S3 fake: every
/// answer that is not a 503 comes from the real server.
final class ThrottlingProxy: @unchecked Sendable {
    let listener: Int32
    let port: Int
    let upstreamPort: Int
    let lock = NSLock()
    var remainingFailures: Int
    var failuresSent = 0
    var stopped = false

    init(upstreamPort: Int, failures: Int) throws {
        self.upstreamPort = upstreamPort
        remainingFailures = failures
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw TestSetupError("proxy cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            lock.lock()
            let fail = remainingFailures > 0 && !stopped
            if fail {
                remainingFailures -= 1
                failuresSent += 1
            }
            lock.unlock()
            Thread.detachNewThread { [self] in
                if fail { answer503(client) } else { forward(client) }
            }
        }
    }

    private func answer503(_ client: Int32) {
        // Read the request head (and whatever body arrived) before answering.
        var buffer = [UInt8](repeating: 0, count: 65536)
        _ = recv(client, &buffer, buffer.count, 0)
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        let response = "HTTP/1.1 503 Slow Down\r\nRetry-After: 0\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(client, Int32(SHUT_RDWR))
        close(client)
    }

    private func forward(_ client: Int32) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(upstreamPort).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(client)
            close(upstream)
            return
        }
        let done = DispatchGroup()
        for (from, to) in [(client, upstream), (upstream, client)] {
            done.enter()
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = recv(from, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    var sent = 0
                    while sent < count {
                        let n = buffer[sent..<count].withUnsafeBytes { send(to, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        if n <= 0 { break }
                        sent += n
                    }
                }
                shutdown(to, Int32(SHUT_WR))
                done.leave()
            }
        }
        done.wait()
        close(client)
        close(upstream)
    }
}
