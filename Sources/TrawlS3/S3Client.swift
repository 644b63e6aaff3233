import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Requests made, for the estimate's S3 cost and the scan summary.
public final class S3RequestCounters: Sendable {
    public let listRequests = Atomic<Int>(0)
    public let getRequests = Atomic<Int>(0)
    public let otherRequests = Atomic<Int>(0)
    public let retries = Atomic<Int>(0)
    public let bytesReceived = Atomic<Int64>(0)
    public init() {}
}

/// One answer from S3 (2xx, or a 3xx/4xx the caller interprets).
public struct S3Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public func header(_ name: String) -> String? { headers.first(name: name) }
}

/// A small S3 client: SigV4 over AsyncHTTPClient, retries with backoff, per-bucket regions.
///
/// Every call has a blocking form (for the scan's worker threads, which are not Swift concurrency
/// threads: it waits on NIO futures, never on the cooperative pool) and an `async` form.
public final class S3Client: Sendable {
    public let configuration: S3Configuration
    public let counters = S3RequestCounters()
    let http: HTTPClient
    /// Regions learnt from redirects and `GetBucketLocation`, by bucket.
    let bucketRegions = Mutex<[String: String]>([:])

    /// - Parameter maxConnections: connections kept per host (the objects in flight).
    public init(configuration: S3Configuration, maxConnections: Int = 16) {
        self.configuration = configuration
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .seconds(10), read: .seconds(120))
        config.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnections))
        config.decompression = .disabled
        config.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    deinit {
        // The last reference may go away on an event loop (inside a request's callback), where a
        // blocking shutdown would deadlock: shut down in the background.
        http.shutdown(queue: .global()) { _ in }
    }

    // MARK: - Requests

    /// A request before signing.
    public struct Request: Sendable {
        public var method: HTTPMethod = .GET
        public var bucket: String?
        public var key: String?
        public var query: [(String, String)] = []
        public var headers: [(String, String)] = []
        public var body = Data()
        /// The operation's name, for messages.
        public var operation: String
        /// Signing service (`s3`; `sts` for GetCallerIdentity).
        public var service = "s3"
        /// A full path instead of bucket/key (S3 Control, STS).
        public var rawPath: String?
        /// A host instead of S3's (AWS STS, S3 Control); ignored with a custom endpoint.
        public var awsHost: String?

        public init(
            operation: String, method: HTTPMethod = .GET, bucket: String? = nil, key: String? = nil,
            query: [(String, String)] = []
        ) {
            self.operation = operation
            self.method = method
            self.bucket = bucket
            self.key = key
            self.query = query
        }
    }

    /// The region requests about `bucket` are signed for.
    public func region(for bucket: String?) -> String {
        guard let bucket else { return configuration.region }
        return bucketRegions.withLock { $0[bucket] } ?? configuration.region
    }

    /// Records a bucket's region (from `GetBucketLocation` or a redirect).
    public func setRegion(_ region: String, for bucket: String) {
        bucketRegions.withLock { $0[bucket] = region }
    }

    /// The URL (scheme, host with port, encoded path, query) and the Host header for a request.
    public func url(for request: Request, region: String) -> (url: String, host: String, path: String) {
        let scheme: String
        var host: String
        var basePath = ""
        if let endpoint = configuration.endpoint {
            scheme = endpoint.scheme?.lowercased() ?? "https"
            host = endpoint.host ?? "localhost"
            if let port = endpoint.port, !((scheme == "http" && port == 80) || (scheme == "https" && port == 443)) {
                host += ":\(port)"
            }
            basePath = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        } else {
            scheme = "https"
            host = request.awsHost ?? "s3.\(region).amazonaws.com"
        }
        var path: String
        if let rawPath = request.rawPath {
            path = basePath + rawPath
        } else if let bucket = request.bucket {
            let virtual: Bool
            switch configuration.addressing {
            case .path: virtual = false
            case .virtual: virtual = true
            case .auto: virtual = configuration.endpoint == nil && Self.isVirtualHostable(bucket)
            }
            let keyPath = "/" + (request.key ?? "")
            if virtual {
                host = "\(bucket).\(host)"
                path = basePath + keyPath
            } else {
                path = basePath + "/" + bucket + (request.key.map { "/" + $0 } ?? "")
            }
        } else {
            path = basePath + "/"
        }
        if path.isEmpty { path = "/" }
        let query = SigV4Signer.canonicalQuery(request.query)
        let url =
            "\(scheme)://\(host)\(SigV4Signer.uriEncode(path, keepSlash: true))" + (query.isEmpty ? "" : "?" + query)
        return (url, host, path)
    }

    /// DNS-compatible names without dots (dots break TLS certificates of `*.s3.amazonaws.com`).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), !bucket.contains("."), !bucket.hasPrefix("-"), !bucket.hasSuffix("-")
        else {
            return false
        }
        return bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// Signs and sends once, with no retry.
    func sendOnce(_ request: Request, region: String) -> EventLoopFuture<S3Response> {
        let (url, host, path) = self.url(for: request, region: region)
        let payloadHash = request.body.isEmpty ? SigV4Signer.emptyPayloadHash : SigV4Signer.sha256Hex(request.body)
        var headers = request.headers
        headers.append(("host", host))
        headers.append(("x-amz-date", SigV4Signer.timestamp(Date())))
        headers.append(("x-amz-content-sha256", payloadHash))
        if let token = configuration.credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        let signer = SigV4Signer(credentials: configuration.credentials, region: region, service: request.service)
        let signature = signer.sign(
            method: request.method.rawValue, path: path, query: request.query, headers: headers,
            payloadHash: payloadHash, date: Self.parseTimestamp(headers.first { $0.0 == "x-amz-date" }!.1))
        var httpHeaders = HTTPHeaders()
        for (name, value) in headers { httpHeaders.add(name: name, value: value) }
        httpHeaders.add(name: "Authorization", value: signature.authorization)
        if !request.body.isEmpty || request.method == .PUT || request.method == .POST {
            httpHeaders.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        }
        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(
                url: url, method: request.method, headers: httpHeaders,
                body: request.body.isEmpty ? nil : .data(request.body))
        } catch {
            return http.eventLoopGroup.next().makeFailedFuture(
                S3Error(
                    status: 0, code: "BadEndpoint", message: "cannot make a request to \(url): \(error)",
                    operation: request.operation,
                    bucket: request.bucket, key: request.key))
        }
        let operation = request.operation
        let bucket = request.bucket
        let key = request.key
        let endpointText = configuration.endpoint?.absoluteString ?? "AWS (\(host))"
        return http.execute(request: httpRequest, deadline: .now() + .seconds(300)).flatMapErrorThrowing { error in
            throw Self.transportError(error, from: endpointText, operation: operation, bucket: bucket, key: key)
        }.map { response in
            var body = Data()
            if var buffer = response.body, let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body = Data(bytes)
            }
            return S3Response(status: Int(response.status.code), headers: response.headers, body: body)
        }
    }

    static func parseTimestamp(_ stamp: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: stamp) ?? Date()
    }

    /// An `S3Error` for a request that got no complete answer. Codes:
    /// - `ConnectionFailed`: no connection could be made at all (refused, unreachable, name not
    ///   resolved, connect timeout): likely a wrong endpoint, so only a few quick attempts;
    /// - `Timeout`: a connection was made but the answer did not come in time;
    /// - `ConnectionLost`: the connection was made and then closed or reset before the whole
    ///   answer came (a cut body among them): retried like a 5xx.
    static func transportError(
        _ error: any Error, from endpoint: String, operation: String, bucket: String?, key: String?
    ) -> S3Error {
        let code = isConnectFailure(error) ? "ConnectionFailed" : isTimeout(error) ? "Timeout" : "ConnectionLost"
        let what = code == "ConnectionLost" ? "connection to \(endpoint) lost" : "no answer from \(endpoint)"
        return S3Error(
            status: 0, code: code, message: "\(what): \(describe(error))", operation: operation, bucket: bucket,
            key: key)
    }

    /// Whether `error` means no connection could be made (as opposed to one lost after it was made).
    static func isConnectFailure(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError:
            return true
        case let error as HTTPClientError:
            return error == .connectTimeout || error == .getConnectionFromPoolTimeout
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError:
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
        default:
            return describe(error) == "connection refused"
        }
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return error == .readTimeout || error == .deadlineExceeded || error == .connectTimeout
        }
        return false
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if isTimeout(error) { return "timed out" }
        return text
    }

    /// Sends with retries (throttling, 5xx, lost connections: exponential backoff with jitter,
    /// honouring `Retry-After`) and one retry in the bucket's own region after a region redirect.
    /// Fails with `S3Error` for any non-2xx answer (304 excepted).
    public func send(_ request: Request) -> EventLoopFuture<S3Response> {
        let promise = http.eventLoopGroup.next().makePromise(of: S3Response.self)
        attempt(request, number: 1, regionRetried: false, promise: promise)
        return promise.futureResult
    }

    private func attempt(_ request: Request, number: Int, regionRetried: Bool, promise: EventLoopPromise<S3Response>) {
        let region = self.region(for: request.bucket)
        count(request)
        sendOnce(request, region: region).whenComplete { result in
            let failure: S3Error
            var retryAfter: Double?
            switch result {
            case .success(let response) where (200..<300).contains(response.status) || response.status == 304:
                self.counters.bytesReceived.add(Int64(response.body.count), ordering: .relaxed)
                if let shortfall = Self.shortfall(of: response, for: request) {
                    // Part of the answer is missing (a proxy or the network cut it): ask again.
                    failure = S3Error(
                        status: 0, code: "ConnectionLost",
                        message: "incomplete answer (HTTP \(response.status)): \(shortfall)",
                        operation: request.operation, bucket: request.bucket, key: request.key)
                    break
                }
                promise.succeed(response)
                return
            case .success(let response):
                let error = S3Error.parse(
                    status: response.status, body: response.body, operation: request.operation, bucket: request.bucket,
                    key: request.key)
                // The bucket lives in another region: learn it and sign for it.
                if let bucket = request.bucket, !regionRetried,
                    let actual = response.header("x-amz-bucket-region")
                        ?? (XMLNode.parse(response.body)?.value("Region")),
                    actual != region, [301, 307, 400].contains(response.status)
                {
                    self.setRegion(actual, for: bucket)
                    self.attempt(request, number: number, regionRetried: true, promise: promise)
                    return
                }
                if response.status == 301 {
                    promise.fail(
                        S3Error(
                            status: 301, code: "RegionMismatch",
                            message:
                                "the bucket is not in \(region) (region from \(self.configuration.regionSource)); pass --region with the bucket's region",
                            operation: request.operation, bucket: request.bucket, key: request.key))
                    return
                }
                failure = error
                retryAfter = RetryPolicy.parseRetryAfter(response.header("Retry-After"))
            case .failure(let error as S3Error):
                failure = error
            case .failure(let error):
                failure = S3Error(
                    status: 0, code: "ConnectionFailed", message: Self.describe(error), operation: request.operation,
                    bucket: request.bucket, key: request.key)
            }
            let policy = self.configuration.retry
            let limit = failure.isConnectFailure ? policy.maxConnectAttempts : policy.maxAttempts
            guard failure.isRetryable, number < limit else {
                promise.fail(failure)
                return
            }
            self.counters.retries.add(1, ordering: .relaxed)
            let delay = policy.delay(afterAttempt: number, retryAfter: retryAfter)
            promise.futureResult.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
                self.attempt(request, number: number + 1, regionRetried: regionRetried, promise: promise)
            }
        }
    }

    /// Why a 2xx body is not the whole answer, or nil: fewer (or more) bytes than its
    /// Content-Length, or for a ranged GET not the range asked for (up to the object's end).
    static func shortfall(of response: S3Response, for request: Request) -> String? {
        // HEAD answers, 204 and 304 carry the object's headers but no body.
        guard request.method != .HEAD, response.status != 204, response.status != 304 else { return nil }
        if let declared = response.header("Content-Length").flatMap(Int.init), declared != response.body.count {
            return "\(response.body.count) bytes received, Content-Length \(declared)"
        }
        guard response.status == 206,
            let asked = request.headers.first(where: { $0.0.lowercased() == "range" }).flatMap({
                ByteRange(header: $0.1)
            }),
            let served = response.header("Content-Range").flatMap(ByteRange.init(contentRange:))
        else { return nil }
        // The range, cut at the object's end.
        let expectedLast = served.total.map { min(asked.last, $0 - 1) } ?? asked.last
        if served.first != asked.first || served.last != expectedLast
            || Int64(response.body.count) != served.last - served.first + 1
        {
            return
                "bytes \(served.first)-\(served.last) (\(response.body.count) received) for the range \(asked.first)-\(asked.last)"
        }
        return nil
    }

    private func count(_ request: Request) {
        switch request.operation {
        case "ListObjectsV2", "ListBuckets": counters.listRequests.add(1, ordering: .relaxed)
        case "GetObject": counters.getRequests.add(1, ordering: .relaxed)
        default: counters.otherRequests.add(1, ordering: .relaxed)
        }
    }

    /// Sends and waits (for threads outside Swift concurrency).
    public func sendBlocking(_ request: Request) throws(S3Error) -> S3Response {
        do {
            return try send(request).wait()
        } catch let error as S3Error {
            throw error
        } catch {
            throw S3Error(
                status: 0, code: "ConnectionFailed", message: Self.describe(error), operation: request.operation,
                bucket: request.bucket, key: request.key)
        }
    }

    /// Sends and awaits.
    public func sendAsync(_ request: Request) async throws -> S3Response {
        try await send(request).get()
    }
}

/// Inclusive byte offsets of a `Range: bytes=a-b` request header or a `Content-Range: bytes a-b/total`
/// answer header (the only forms trawl sends and S3 returns).
struct ByteRange: Equatable {
    var first: Int64
    var last: Int64
    /// The object's size, from `Content-Range` (nil when `*`).
    var total: Int64?

    init(first: Int64, last: Int64, total: Int64? = nil) {
        self.first = first
        self.last = last
        self.total = total
    }

    /// `bytes=a-b`.
    init?(header: String) {
        guard header.hasPrefix("bytes="), let (first, last) = Self.offsets(header.dropFirst(6)) else { return nil }
        self.init(first: first, last: last)
    }

    /// `bytes a-b/total` or `bytes a-b/*`.
    init?(contentRange: String) {
        guard contentRange.hasPrefix("bytes ") else { return nil }
        let parts = contentRange.dropFirst(6).split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let (first, last) = Self.offsets(parts[0]) else { return nil }
        let total = parts[1] == "*" ? nil : Int64(parts[1])
        if parts[1] != "*" && total == nil { return nil }
        self.init(first: first, last: last, total: total)
    }

    private static func offsets(_ text: Substring) -> (Int64, Int64)? {
        let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else {
            return nil
        }
        return (first, last)
    }
}
