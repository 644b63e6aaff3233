import Foundation
import NIOHTTP1

/// A bucket in `ListBuckets`.
public struct S3Bucket: Sendable, Equatable {
    public var name: String
    public var creationDate: Date?
}

/// An object in a `ListObjectsV2` page.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var lastModified: Date
    public var eTag: String
    public var storageClass: String
}

/// One `ListObjectsV2` page.
public struct S3ListPage: Sendable {
    public var objects: [S3ObjectSummary]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
}

/// `HeadObject`'s answer.
public struct S3ObjectHead: Sendable {
    public var size: Int64
    public var eTag: String
    public var lastModified: Date?
    public var storageClass: String
    /// `AES256`, `aws:kms`, `aws:kms:dsse`, or `SSE-C` when a customer key is needed.
    public var serverSideEncryption: String?
    public var versionId: String?
}

extension S3Client {
    // MARK: - Buckets and listings

    /// `ListBuckets`: every bucket the credentials can list.
    public func listBuckets() throws(S3Error) -> [S3Bucket] {
        let response = try sendBlocking(Request(operation: "ListBuckets"))
        let root = try Self.xml(response, operation: "ListBuckets")
        return (root["Buckets"]?.all("Bucket") ?? []).compactMap { node in
            guard let name = node.value("Name") else { return nil }
            return S3Bucket(name: name, creationDate: node.value("CreationDate").flatMap(Self.parseISODate))
        }
    }

    /// One `ListObjectsV2` page (at most `maxKeys`, S3 caps it at 1,000).
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, startAfter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int? = nil
    ) throws(S3Error) -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2")]
        if let prefix, !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let response = try sendBlocking(Request(operation: "ListObjectsV2", bucket: bucket, query: query))
        let root = try Self.xml(response, operation: "ListObjectsV2", bucket: bucket)
        let objects = root.all("Contents").compactMap { node -> S3ObjectSummary? in
            guard let key = node.value("Key") else { return nil }
            return S3ObjectSummary(
                key: key, size: Int64(node.value("Size") ?? "0") ?? 0,
                lastModified: node.value("LastModified").flatMap(Self.parseISODate) ?? Date(timeIntervalSince1970: 0),
                eTag: node.value("ETag") ?? "", storageClass: node.value("StorageClass") ?? "STANDARD")
        }
        let truncated = root.value("IsTruncated")?.lowercased() == "true"
        let token = root.value("NextContinuationToken")
        if truncated && (token ?? "").isEmpty {
            throw S3Error(
                status: response.status, code: "MalformedResponse",
                message: "a truncated listing page has no NextContinuationToken",
                operation: "ListObjectsV2", bucket: bucket)
        }
        return S3ListPage(objects: objects, isTruncated: truncated, nextContinuationToken: token)
    }

    /// Every object under `prefix`, page by page; `page` returns false to stop. Returns the
    /// number of LIST requests made.
    @discardableResult
    public func listAllObjects(
        bucket: String, prefix: String? = nil, startAfter: String? = nil, pageSize: Int? = nil,
        page: ([S3ObjectSummary]) throws -> Bool
    ) throws -> Int {
        var token: String?
        var requests = 0
        repeat {
            let result = try listObjectsV2(
                bucket: bucket, prefix: prefix, startAfter: token == nil ? startAfter : nil, continuationToken: token,
                maxKeys: pageSize)
            requests += 1
            if try !page(result.objects) { break }
            token = result.isTruncated ? result.nextContinuationToken : nil
        } while token != nil
        return requests
    }

    /// `GetBucketLocation`, as a region name (empty is us-east-1, `EU` is eu-west-1). Remembered
    /// for the bucket's later requests.
    public func bucketRegion(_ bucket: String) throws(S3Error) -> String {
        let response = try sendBlocking(
            Request(operation: "GetBucketLocation", bucket: bucket, query: [("location", "")]))
        let root = try Self.xml(response, operation: "GetBucketLocation", bucket: bucket)
        var region = root.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if region.isEmpty { region = "us-east-1" }
        if region == "EU" { region = "eu-west-1" }
        setRegion(region, for: bucket)
        return region
    }

    // MARK: - Objects

    /// `HeadObject`.
    public func headObject(bucket: String, key: String) throws(S3Error) -> S3ObjectHead {
        let response = try sendBlocking(Request(operation: "HeadObject", method: .HEAD, bucket: bucket, key: key))
        var encryption = response.header("x-amz-server-side-encryption")
        if response.header("x-amz-server-side-encryption-customer-algorithm") != nil { encryption = "SSE-C" }
        return S3ObjectHead(
            size: Int64(response.header("Content-Length") ?? "0") ?? 0, eTag: response.header("ETag") ?? "",
            lastModified: response.header("Last-Modified").flatMap(Self.parseHTTPDate),
            storageClass: response.header("x-amz-storage-class") ?? "STANDARD", serverSideEncryption: encryption,
            versionId: response.header("x-amz-version-id"))
    }

    /// The `GetObject` request for `range` (inclusive byte offsets), sent with `If-Match` when an
    /// ETag is given so a changed object fails with 412 instead of mixing versions.
    public func getObjectRequest(
        bucket: String, key: String, range: ClosedRange<Int64>?, ifMatch: String?, versionId: String? = nil
    ) -> Request {
        var request = Request(operation: "GetObject", bucket: bucket, key: key)
        if let versionId { request.query.append(("versionId", versionId)) }
        if let range { request.headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        if let ifMatch, !ifMatch.isEmpty { request.headers.append(("if-match", ifMatch)) }
        return request
    }

    /// `GetObject`, whole or a range, waiting for the bytes.
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil, ifMatch: String? = nil)
        throws(S3Error) -> S3Response
    {
        try sendBlocking(getObjectRequest(bucket: bucket, key: key, range: range, ifMatch: ifMatch))
    }

    /// `GetObjectTagging`.
    public func objectTags(bucket: String, key: String) throws(S3Error) -> [String: String] {
        let response = try sendBlocking(
            Request(operation: "GetObjectTagging", bucket: bucket, key: key, query: [("tagging", "")]))
        let root = try Self.xml(response, operation: "GetObjectTagging", bucket: bucket)
        var tags: [String: String] = [:]
        for tag in root["TagSet"]?.all("Tag") ?? [] {
            if let key = tag.value("Key") { tags[key] = tag.value("Value") ?? "" }
        }
        return tags
    }

    // MARK: - Writing (test set-up and small tools)

    /// `CreateBucket`, in `region` when it is not us-east-1.
    public func createBucket(_ bucket: String, region: String? = nil) throws(S3Error) {
        var request = Request(operation: "CreateBucket", method: .PUT, bucket: bucket)
        let region = region ?? configuration.region
        if region != "us-east-1" {
            request.body = Data(
                """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>
                """.utf8)
        }
        _ = try sendBlocking(request)
        setRegion(region, for: bucket)
    }

    /// `PutObject`.
    public func putObject(bucket: String, key: String, body: Data, headers: [(String, String)] = []) throws(S3Error) {
        var request = Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key)
        request.body = body
        request.headers = headers
        _ = try sendBlocking(request)
    }

    /// `PutBucketPolicy`.
    public func putBucketPolicy(bucket: String, policy: String) throws(S3Error) {
        var request = Request(operation: "PutBucketPolicy", method: .PUT, bucket: bucket, query: [("policy", "")])
        request.body = Data(policy.utf8)
        _ = try sendBlocking(request)
    }

    // MARK: - Helpers

    static func xml(_ response: S3Response, operation: String, bucket: String? = nil) throws(S3Error) -> XMLNode {
        guard let root = XMLNode.parse(response.body) else {
            throw S3Error(
                status: response.status, code: "MalformedResponse",
                message: "the answer is not XML (is the endpoint an S3 API?)",
                operation: operation, bucket: bucket)
        }
        return root
    }

    static func parseISODate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
