import Foundation
import NIOHTTP1
import TrawlObjects

/// `trawl audit s3://bucket` and `s3://`: fetches each bucket's configuration documents from the
/// S3 API, in the JSON shapes the AWS CLI prints for the same calls. Transport only: the audit
/// layer reads these answers exactly as it reads the CLI's files.
public enum S3ConfigurationFetcher {
    /// What a live audit fetched.
    public struct Snapshot: Sendable {
        /// STS `GetCallerIdentity` (the owner account).
        public var callerIdentity: ConfigurationAnswer
        /// S3 Control `GetPublicAccessBlock` for the account (nil when the account is unknown).
        public var accountBlockPublicAccess: ConfigurationAnswer?
        public var buckets: [Bucket]
        public var warnings: [String]
    }

    /// One bucket's answers, keyed by the AWS CLI command giving the same document.
    public struct Bucket: Sendable {
        public var name: String
        public var createdAt: Date?
        public var answers: [String: ConfigurationAnswer]
    }

    /// S3 error codes meaning "this configuration does not exist".
    static let notConfiguredCodes: Set<String> = [
        "NoSuchBucketPolicy", "ServerSideEncryptionConfigurationNotFoundError", "NoSuchPublicAccessBlockConfiguration",
        "ReplicationConfigurationNotFoundError", "NoSuchTagSet", "OwnershipControlsNotFoundError",
    ]

    /// Fetches `s3://bucket` (one bucket) or `s3://` (every bucket the credentials list).
    /// - Throws: `S3Error` when the bucket list cannot be read (bad endpoint, no permission) and
    ///   `S3ConfigurationError` for a malformed URL. Per-bucket failures are `.failed` answers.
    public static func fetch(bucketURL: String, client: S3Client) throws -> Snapshot {
        let location = try S3Location.parse(bucketURL)
        var warnings: [String] = []
        var names: [(String, Date?)]
        if let bucket = location.bucket {
            names = [(bucket, nil)]
            if !location.prefix.isEmpty {
                warnings.append(
                    "the key prefix \(location.prefix) is ignored: bucket configuration applies to the whole bucket")
            }
        } else {
            names = try client.listBuckets().map { ($0.name, $0.creationDate) }
        }
        let identity = callerIdentity(client)
        var accountBPA: ConfigurationAnswer?
        if case .json(let json) = identity, let id = json["Account"]?.stringValue {
            accountBPA = accountBlockPublicAccess(client, accountId: id)
        }
        var buckets: [Bucket] = []
        for (name, created) in names.sorted(by: { $0.0 < $1.0 }) {
            buckets.append(bucket(name, createdAt: created, client: client, warnings: &warnings))
        }
        return Snapshot(
            callerIdentity: identity, accountBlockPublicAccess: accountBPA, buckets: buckets, warnings: warnings)
    }

    /// Every configuration call for one bucket.
    public static func bucket(_ name: String, createdAt: Date? = nil, client: S3Client, warnings: inout [String])
        -> Bucket
    {
        var answers: [String: ConfigurationAnswer] = [:]
        // The location first: later calls are signed for the bucket's own region.
        answers["get-bucket-location"] = call(client, "GetBucketLocation", name, "location") { root in
            let text = root.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { client.setRegion(text == "EU" ? "eu-west-1" : text, for: name) }
            return .object(["LocationConstraint": text.isEmpty ? .null : .string(text)])
        }
        if case .failed(let reason) = answers["get-bucket-location"], reason.contains("NoSuchBucket") {
            warnings.append("bucket \(name): \(reason)")
        }
        answers["get-bucket-policy"] = rawCall(client, "GetBucketPolicy", name, "policy") { body in
            .object(["Policy": .string(String(decoding: body, as: UTF8.self))])
        }
        answers["get-bucket-acl"] = call(client, "GetBucketAcl", name, "acl", convert: acl)
        answers["get-bucket-encryption"] = call(client, "GetBucketEncryption", name, "encryption", convert: encryption)
        answers["get-public-access-block"] = call(
            client, "GetPublicAccessBlock", name, "publicAccessBlock", convert: publicAccessBlock)
        answers["get-bucket-ownership-controls"] = call(client, "GetBucketOwnershipControls", name, "ownershipControls")
        {
            root in
            .object([
                "OwnershipControls": .object([
                    "Rules": .array(
                        root.all("Rule").map { rule in
                            .object(["ObjectOwnership": string(rule.value("ObjectOwnership"))])
                        })
                ])
            ])
        }
        answers["get-bucket-replication"] = call(
            client, "GetBucketReplication", name, "replication", convert: replication)
        answers["get-bucket-versioning"] = call(client, "GetBucketVersioning", name, "versioning") { root in
            var members: [String: JSONValue] = [:]
            if let status = root.value("Status"), !status.isEmpty { members["Status"] = .string(status) }
            if let mfa = root.value("MfaDelete"), !mfa.isEmpty { members["MFADelete"] = .string(mfa) }
            return .object(members)
        }
        answers["get-bucket-tagging"] = call(client, "GetBucketTagging", name, "tagging") { root in
            .object([
                "TagSet": .array(
                    (root["TagSet"]?.all("Tag") ?? []).map { tag in
                        .object(["Key": string(tag.value("Key")), "Value": string(tag.value("Value") ?? "")])
                    })
            ])
        }
        return Bucket(name: name, createdAt: createdAt, answers: answers)
    }

    // MARK: - Calls

    static func rawCall(
        _ client: S3Client, _ operation: String, _ bucket: String, _ subresource: String, convert: (Data) -> JSONValue
    ) -> ConfigurationAnswer {
        do {
            let response = try client.sendBlocking(
                S3Client.Request(operation: operation, bucket: bucket, query: [(subresource, "")]))
            return .json(convert(response.body))
        } catch {
            if notConfiguredCodes.contains(error.code) { return .notConfigured(code: error.code) }
            return .failed(reason: error.description)
        }
    }

    static func call(
        _ client: S3Client, _ operation: String, _ bucket: String, _ subresource: String,
        convert: @escaping (XMLNode) -> JSONValue
    ) -> ConfigurationAnswer {
        var malformed = false
        let answer = rawCall(client, operation, bucket, subresource) { body in
            guard let root = XMLNode.parse(body) else {
                malformed = true
                return .null
            }
            return convert(root)
        }
        return malformed ? .failed(reason: "\(operation) s3://\(bucket): the answer is not XML") : answer
    }

    /// STS `GetCallerIdentity` (the owner account).
    static func callerIdentity(_ client: S3Client) -> ConfigurationAnswer {
        var request = S3Client.Request(operation: "GetCallerIdentity", method: .POST)
        request.service = "sts"
        request.rawPath = "/"
        request.awsHost = "sts.\(client.configuration.region).amazonaws.com"
        request.headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")]
        request.body = Data("Action=GetCallerIdentity&Version=2011-06-15".utf8)
        do {
            let response = try client.sendBlocking(request)
            guard let root = XMLNode.parse(response.body),
                let account = root["GetCallerIdentityResult"]?.value("Account")
            else {
                return .failed(reason: "GetCallerIdentity: no Account in the answer")
            }
            return .json(.object(["Account": .string(account)]))
        } catch {
            return .failed(reason: error.description)
        }
    }

    /// S3 Control `GetPublicAccessBlock` (account level).
    static func accountBlockPublicAccess(_ client: S3Client, accountId: String) -> ConfigurationAnswer {
        var request = S3Client.Request(operation: "GetPublicAccessBlock (account)")
        request.rawPath = "/v20180820/configuration/publicAccessBlock"
        request.awsHost = "\(accountId).s3-control.\(client.configuration.region).amazonaws.com"
        request.headers = [("x-amz-account-id", accountId)]
        do {
            let response = try client.sendBlocking(request)
            guard let root = XMLNode.parse(response.body) else { return .failed(reason: "the answer is not XML") }
            return .json(publicAccessBlock(root))
        } catch {
            if notConfiguredCodes.contains(error.code) { return .notConfigured(code: error.code) }
            return .failed(reason: error.description)
        }
    }

    // MARK: - XML to the AWS CLI's JSON

    static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func bool(_ text: String?) -> JSONValue { text.map { .bool($0.lowercased() == "true") } ?? .null }

    static func acl(_ root: XMLNode) -> JSONValue {
        var owner: [String: JSONValue] = [:]
        if let node = root["Owner"] {
            owner["ID"] = string(node.value("ID"))
            if let name = node.value("DisplayName") { owner["DisplayName"] = .string(name) }
        }
        let grants = (root["AccessControlList"]?.all("Grant") ?? []).map { grant -> JSONValue in
            var grantee: [String: JSONValue] = [:]
            if let node = grant["Grantee"] {
                let type = node.attributes.first { $0.key.hasSuffix("type") }?.value
                if let type { grantee["Type"] = .string(type) }
                for field in ["ID", "DisplayName", "URI", "EmailAddress"] {
                    if let value = node.value(field) { grantee[field] = .string(value) }
                }
            }
            return .object(["Grantee": .object(grantee), "Permission": string(grant.value("Permission"))])
        }
        return .object(["Owner": .object(owner), "Grants": .array(grants)])
    }

    static func encryption(_ root: XMLNode) -> JSONValue {
        let rules = root.all("Rule").map { rule -> JSONValue in
            var members: [String: JSONValue] = [:]
            if let apply = rule["ApplyServerSideEncryptionByDefault"] {
                var inner: [String: JSONValue] = ["SSEAlgorithm": string(apply.value("SSEAlgorithm"))]
                if let key = apply.value("KMSMasterKeyID") { inner["KMSMasterKeyID"] = .string(key) }
                members["ApplyServerSideEncryptionByDefault"] = .object(inner)
            }
            if let enabled = rule.value("BucketKeyEnabled") { members["BucketKeyEnabled"] = bool(enabled) }
            return .object(members)
        }
        return .object(["ServerSideEncryptionConfiguration": .object(["Rules": .array(rules)])])
    }

    static func publicAccessBlock(_ root: XMLNode) -> JSONValue {
        var flags: [String: JSONValue] = [:]
        for name in ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] {
            flags[name] = .bool(root.value(name)?.lowercased() == "true")
        }
        return .object(["PublicAccessBlockConfiguration": .object(flags)])
    }

    static func replication(_ root: XMLNode) -> JSONValue {
        let rules = root.all("Rule").map { rule -> JSONValue in
            var members: [String: JSONValue] = ["Status": string(rule.value("Status"))]
            if let id = rule.value("ID") { members["ID"] = .string(id) }
            if let destination = rule["Destination"] {
                var inner: [String: JSONValue] = ["Bucket": string(destination.value("Bucket"))]
                if let account = destination.value("Account") { inner["Account"] = .string(account) }
                members["Destination"] = .object(inner)
            }
            return .object(members)
        }
        var configuration: [String: JSONValue] = ["Rules": .array(rules)]
        if let role = root.value("Role") { configuration["Role"] = .string(role) }
        return .object(["ReplicationConfiguration": .object(configuration)])
    }
}

/// `s3://bucket/prefix`, `s3://bucket`, or `s3://` (every bucket).
public struct S3Location: Sendable, Equatable {
    public var bucket: String?
    public var prefix: String

    public init(bucket: String?, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    public static func parse(_ text: String) throws(S3ConfigurationError) -> S3Location {
        guard text.hasPrefix("s3://") else { throw S3ConfigurationError("'\(text)' is not an s3:// URL") }
        let rest = text.dropFirst(5)
        guard !rest.isEmpty else { return S3Location(bucket: nil) }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        guard !bucket.isEmpty else {
            throw S3ConfigurationError("'\(text)' has no bucket name (s3://BUCKET[/PREFIX], or s3:// for all buckets)")
        }
        guard bucket.count <= 255,
            bucket.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
        else {
            throw S3ConfigurationError("'\(bucket)' is not a valid bucket name")
        }
        return S3Location(bucket: bucket, prefix: parts.count > 1 ? String(parts[1]) : "")
    }
}
