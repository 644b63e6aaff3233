import Foundation
import NIOHTTP1
import Synchronization
import Testing
import TrawlCore
import TrawlObjects
import TrawlTestSupport

@testable import TrawlS3

/// Scans through a network that answers 503 and 500, drops and resets connections and cuts
/// bodies short (`FaultProxy`): every object is still read completely, and when the retries
/// run out the object says the network failed, not that it could not be parsed.
@Suite(.serialized) struct HostileNetworkTests {
    /// Retries as configured by default, waits shortened for the test.
    static let retry = RetryPolicy(maxAttempts: 8, maxConnectAttempts: 3, baseDelay: 0.005, maxDelay: 0.05)

    /// Object `index`'s bytes: 200 B to 10 KB of text (up to three 4 KiB ranges), every third
    /// holding an SSN with its keyword.
    static func body(_ index: Int) -> Data {
        let size = 200 + (index * 7_919) % 9_800
        var text = "record \(index)\n"
        let filler = "the quick brown fox jumps over the lazy dog \(index)\n"
        while text.utf8.count < size { text += filler }
        if index % 3 == 0 {
            // Somewhere in the middle, so it may straddle a range boundary.
            let middle = text.index(text.startIndex, offsetBy: text.count / 2)
            text.insert(contentsOf: "\nSSN: 123-45-6789\n", at: middle)
        }
        return Data(text.utf8)
    }

    static func putObjects(_ count: Int, bucket: String, client: S3Client) throws -> [String: Data] {
        try client.createBucket(bucket)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            for index in stride(from: lane, to: count, by: 8) {
                do {
                    try client.putObject(bucket: bucket, key: String(format: "obj/%04d.txt", index), body: body(index))
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        guard failures.withLock({ $0 }).isEmpty else {
            throw TestSetupError("uploads failed: \(failures.withLock { $0 })")
        }
        return Dictionary(uniqueKeysWithValues: (0..<count).map { (String(format: "obj/%04d.txt", $0), body($0)) })
    }

    @Test func everyObjectIsReadCompletelyThroughFaults() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let clean = server.client()
        let expected = try Self.putObjects(300, bucket: "hostile", client: clean)
        let proxy = try FaultProxy(upstreamPort: server.port, seed: 0x7472_6177_6c)
        defer { proxy.stop() }
        let hostile = server.client(retry: Self.retry, endpoint: proxy.endpoint)

        // The TrawlS3 level: listing pages, then every object in 4 KiB ranges, 8 at a time.
        var listed: [S3ObjectSummary] = []
        let pages = try hostile.listAllObjects(bucket: "hostile", pageSize: 50) { page in
            listed += page
            return true
        }
        #expect(pages == 6)
        #expect(listed.map(\.key) == expected.keys.sorted())
        let problems = Mutex<[String]>([])
        let summaries = listed
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            for summary in summaries.enumerated().filter({ $0.offset % 8 == lane }).map(\.element) {
                let object = ObjectRef(
                    bucket: "hostile", key: summary.key, size: summary.size, lastModified: summary.lastModified,
                    eTag: summary.eTag,
                    location: .s3(bucket: "hostile", key: summary.key, versionId: nil))
                do {
                    let bytes = try S3ObjectReader(client: hostile, object: object, rangeSize: 4096).readAll(
                        limit: 1 << 20)
                    if Data(bytes) != expected[summary.key] {
                        problems.withLock { $0.append("\(summary.key): \(bytes.count) bytes differ") }
                    }
                } catch {
                    problems.withLock { $0.append("\(summary.key): \(error)") }
                }
            }
        }
        #expect(problems.withLock { $0 } == [])
        let faultsWhileReading = proxy.totalFaults
        // Some 1,000 requests, a quarter of them faulted, every kind of fault among them.
        #expect(faultsWhileReading >= 120)
        #expect(Fault.allCases.filter { proxy.faults[$0, default: 0] == 0 } == [])
        #expect(hostile.counters.retries.load(ordering: .relaxed) >= faultsWhileReading)

        // The scan level: the same results as a scan over the clean connection.
        var reading = S3Reading()
        reading.rangeSize = 4096
        let viaProxy = try SourceListing.list(
            try S3ObjectStore(url: "s3://hostile", client: hostile, reading: reading), scope: Scope())
        let direct = try SourceListing.list(
            try S3ObjectStore(url: "s3://hostile", client: clean, reading: reading), scope: Scope())
        let fromProxy = try scan(viaProxy, detector: LiveS3Tests.detector)
        let fromDirect = try scan(direct, detector: LiveS3Tests.detector)
        #expect(proxy.totalFaults > faultsWhileReading)  // the scan met faults too
        #expect(fromProxy.count == expected.count)
        #expect(
            fromProxy.values.filter { $0.status != .complete }.map { "\($0.object.key): \($0.reason?.rawValue ?? "")" }
                == [])
        #expect(fromDirect.values.filter(\.hasFinding).count == 100)
        for (key, result) in fromDirect {
            #expect(fromProxy[key].map(fingerprint) == fingerprint(result), "\(key)")
        }
    }

    @Test(arguments: Fault.allCases)
    func whenRetriesRunOutTheReasonIsTheNetwork(fault: Fault) throws {
        let server = try MotoServer()
        defer { server.stop() }
        try server.client().createBucket("lost")
        try server.client().putObject(bucket: "lost", key: "ssn.txt", body: Self.body(3))
        // Every object read fails the same way; the listing goes through.
        let proxy = try FaultProxy(
            upstreamPort: server.port, seed: 1, rate: 1, kinds: [fault], onlyRangedRequests: true)
        defer { proxy.stop() }
        let hostile = server.client(
            retry: RetryPolicy(maxAttempts: 3, maxConnectAttempts: 2, baseDelay: 0.005, maxDelay: 0.02),
            endpoint: proxy.endpoint)
        let listing = try SourceListing.list(try S3ObjectStore(url: "s3://lost", client: hostile), scope: Scope())
        let result = try #require(try scan(listing, detector: LiveS3Tests.detector)["lost/ssn.txt"])
        #expect(result.status == .skipped)
        #expect(result.reason == .networkError)
        // All the attempts a server or lost connection gets (not the few of a refused one).
        #expect(proxy.totalFaults >= 3)
        #expect(proxy.totalFaults % 3 == 0)
    }

    @Test func noConnectionAtAllFailsFast() throws {
        let credentials = AWSCredentials(
            accessKeyId: "AKIDTESTTESTTEST", secretAccessKey: "test-secret", source: "test")
        let nowhere = S3Client(
            configuration: S3Configuration(
                credentials: credentials, region: "us-east-1",
                endpoint: URL(string: "http://127.0.0.1:\(try Loopback.freePort())")!,
                addressing: .path, retry: RetryPolicy(maxAttempts: 8, maxConnectAttempts: 2, baseDelay: 0.005)))
        let error = #expect(throws: S3Error.self) { try nowhere.listObjectsV2(bucket: "x") }
        #expect(error?.code == "ConnectionFailed")
        #expect(error?.macieReason == .networkError)
        // Two attempts, not eight (each waits out AsyncHTTPClient's own reconnects, up to 10 s).
        #expect(nowhere.counters.retries.load(ordering: .relaxed) == 1)
    }
}

/// A 2xx answer shorter than it says, or than the range asked for, is not an answer.
@Suite struct IncompleteAnswerTests {
    func response(_ status: Int, _ headers: [(String, String)], bodyCount: Int) -> S3Response {
        S3Response(status: status, headers: HTTPHeaders(headers), body: Data(count: bodyCount))
    }

    func ranged(_ range: String) -> S3Client.Request {
        var request = S3Client.Request(operation: "GetObject", bucket: "b", key: "k")
        request.headers = [("range", range)]
        return request
    }

    @Test func contentLengthAndContentRange() {
        let get = S3Client.Request(operation: "GetObject", bucket: "b", key: "k")
        #expect(S3Client.shortfall(of: response(200, [("Content-Length", "10")], bodyCount: 10), for: get) == nil)
        #expect(S3Client.shortfall(of: response(200, [("Content-Length", "10")], bodyCount: 5), for: get) != nil)
        #expect(S3Client.shortfall(of: response(200, [], bodyCount: 5), for: get) == nil)
        // HEAD: the object's length, no body.
        let head = S3Client.Request(operation: "HeadObject", method: .HEAD, bucket: "b", key: "k")
        #expect(S3Client.shortfall(of: response(200, [("Content-Length", "10")], bodyCount: 0), for: head) == nil)
        // Ranges: exactly the range, or up to the object's end.
        let range = ranged("bytes=4096-8191")
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 4096-8191/10000")], bodyCount: 4096), for: range) == nil)
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 4096-8191/8192")], bodyCount: 4096), for: range) == nil)
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 4096-6000/6001")], bodyCount: 1905), for: range) == nil)
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 4096-8191/10000")], bodyCount: 2048), for: range) != nil)
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 4096-6143/10000")], bodyCount: 2048), for: range) != nil)
        #expect(
            S3Client.shortfall(
                of: response(206, [("Content-Range", "bytes 0-4095/10000")], bodyCount: 4096), for: range) != nil)
        #expect(
            S3Client.shortfall(of: response(206, [("Content-Range", "bytes 4096-8191/*")], bodyCount: 4096), for: range)
                == nil)
    }

    @Test func byteRanges() {
        #expect(ByteRange(header: "bytes=0-4095") == ByteRange(first: 0, last: 4095))
        #expect(ByteRange(header: "bytes=5-") == nil)
        #expect(ByteRange(header: "bytes=9-1") == nil)
        #expect(ByteRange(contentRange: "bytes 0-9/10") == ByteRange(first: 0, last: 9, total: 10))
        #expect(ByteRange(contentRange: "bytes 0-9/*") == ByteRange(first: 0, last: 9))
        #expect(ByteRange(contentRange: "bytes 0-9/x") == nil)
        #expect(ByteRange(contentRange: "bytes */10") == nil)
    }

    @Test func reasons() {
        func reason(_ status: Int, _ code: String) -> String {
            S3Error(status: status, code: code, message: "", operation: "GetObject").macieReason.rawValue
        }
        for code in ["ConnectionFailed", "ConnectionLost", "Timeout"] { #expect(reason(0, code) == "NETWORK_ERROR") }
        #expect(reason(503, "SlowDown") == "NETWORK_ERROR")
        #expect(reason(500, "InternalError") == "NETWORK_ERROR")
        #expect(reason(403, "AccessDenied") == "PERMISSION_DENIED")
        #expect(reason(404, "NoSuchKey") == "SOURCE_OBJECT_NO_LONGER_AVAILABLE")
        #expect(S3Error(status: 0, code: "ConnectionLost", message: "", operation: "x").isConnectFailure == false)
        #expect(S3Error(status: 0, code: "ConnectionFailed", message: "", operation: "x").isConnectFailure)
    }
}
