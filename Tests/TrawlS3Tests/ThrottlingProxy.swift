import Foundation
import TrawlS3
import TrawlTestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension MotoServer {
    /// A client with throw-away credentials, path-style, us-east-1.
    func client(
        region: String = "us-east-1", accessKey: String = "AKIDTESTTESTTEST", secret: String = "test-secret",
        retry: RetryPolicy = RetryPolicy(baseDelay: 0.01, maxDelay: 0.2), endpoint: String? = nil
    ) -> S3Client {
        let credentials = AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, source: "test")
        return S3Client(
            configuration: S3Configuration(
                credentials: credentials, region: region, endpoint: URL(string: endpoint ?? self.endpoint)!,
                addressing: .path, retry: retry))
    }
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
        (listener, port) = try Loopback.listener()
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Closes the listener once: a second close could close a descriptor the process has
    /// since reused (another test's connection).
    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
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
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        let response =
            "HTTP/1.1 503 Slow Down\r\nRetry-After: 0\r\nContent-Type: application/xml\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(client, Int32(SHUT_RDWR))
        close(client)
    }

    private func forward(_ client: Int32) {
        guard let upstream = Loopback.connection(to: upstreamPort) else {
            close(client)
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
                        let n = buffer[sent..<count].withUnsafeBytes {
                            send(to, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                        }
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
