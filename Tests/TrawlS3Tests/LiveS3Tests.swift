import Foundation
import Synchronization
import Testing
import TrawlAudit
import TrawlCore
import TrawlDetect
import TrawlObjects
import TrawlReport
import TrawlTestSupport

@testable import TrawlS3

/// What must be equal between two scans of the same object: status, reason, and per type the
/// count and the locations.
func fingerprint(_ result: ObjectResult) -> String {
    var parts = [result.status.rawValue, result.reason?.rawValue ?? "-", String(result.sizeClassified)]
    for detection in result.detections.sorted(by: { $0.info.id < $1.info.id }) {
        parts.append(
            "\(detection.info.id)×\(detection.count)@\(detection.occurrences.map { "\($0)" }.joined(separator: ";"))")
    }
    return parts.joined(separator: " | ")
}

func scan(_ listing: SourceListing, detector: Detector, workers: Int = 2) throws -> [String: ObjectResult] {
    let sink = CollectingSink()
    let runner = Runner(
        detector: detector, settings: AnalyzerSettings(), workers: workers, bytes: listing.reader(for: listing.selected)
    )
    try runner.run(listing.selected, sink: sink)
    return sink.byKey
}

/// A live audit's input as `trawl audit s3://…` builds it: S3's answers read by the audit layer.
func liveAudit(bucketURL: String, client: S3Client) throws -> AuditInput {
    let snapshot = try S3ConfigurationFetcher.fetch(bucketURL: bucketURL, client: client)
    return LiveInputBuilder.input(
        callerIdentity: snapshot.callerIdentity, accountBlockPublicAccess: snapshot.accountBlockPublicAccess,
        buckets: snapshot.buckets.map { .init(name: $0.name, createdAt: $0.createdAt, answers: $0.answers) },
        organizationAccounts: nil, warnings: snapshot.warnings)
}

func upload(directory: URL, bucket: String, client: S3Client) throws {
    try client.createBucket(bucket)
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])!
    for case let url as URL in enumerator
    where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        let key = String(url.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
        try client.putObject(bucket: bucket, key: key, body: try Data(contentsOf: url))
    }
}

/// Tests against a real S3 server (moto_server) started on loopback by each test.
@Suite(.serialized) struct LiveS3Tests {
    static let detector: Detector = try! Detector(identifiers: Catalog.builtin.identifiers)

    @Test func scanningS3FindsWhatScanningTheDirectoryFinds() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        let corpus = Repository.url("Corpus/buckets")
        let buckets = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { !$0.hasPrefix(".") }
            .sorted()
        for bucket in buckets {
            try upload(directory: corpus.appendingPathComponent(bucket), bucket: bucket, client: client)
        }

        var reading = S3Reading()
        reading.rangeSize = 4096  // many ranges per object: chunk boundaries everywhere
        let live = try SourceListing.list(
            try S3ObjectStore(url: "s3://", client: client, reading: reading), scope: Scope())
        let local = try SourceListing.list(
            DirectorySource(root: URL(fileURLWithPath: corpus.path), singleBucket: nil), scope: Scope())
        #expect(live.problems.isEmpty)
        #expect(
            Set(live.selected.map { "\($0.bucket)/\($0.key)" }) == Set(local.selected.map { "\($0.bucket)/\($0.key)" }))
        #expect(live.store.requests?.listRequests == buckets.count + 1)

        let fromS3 = try scan(live, detector: Self.detector)
        let fromDisk = try scan(local, detector: Self.detector)
        #expect(fromS3.keys.sorted() == fromDisk.keys.sorted())
        #expect(fromDisk.values.contains { $0.hasFinding })
        for (key, diskResult) in fromDisk {
            #expect(fromS3[key].map(fingerprint) == fingerprint(diskResult), "\(key)")
        }
        // The estimate's S3 cost: LIST requests, one GET per 4 KiB range, bytes read.
        let cost = try #require(live.requestCost(region: "us-east-1"))
        #expect(cost.listRequests == buckets.count + 1)
        #expect(cost.getRequests >= live.selected.count - 1)  // one object is a format trawl skips
        #expect(cost.bytesTransferred > 0 && cost.usd >= 0)
    }

    @Test func aValueStraddlingARangeBoundaryIsFound() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        try client.createBucket("edges")
        // An AWS access key pair with its keyword, placed so the key crosses the 4,096-byte range boundary.
        let filler = String(repeating: "lorem ipsum dolor sit amet\n", count: 140)
        let prefix = filler + String(repeating: "x", count: 4096 - filler.utf8.count - 30) + "\n"
        let secret =
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nemail: jane.doe@example.com card 4111 1111 1111 1111\n"
        let text = prefix + secret + filler
        try client.putObject(bucket: "edges", key: "straddle.txt", body: Data(text.utf8))
        let base = try TemporaryDirectory.make("edges")
        defer { TemporaryDirectory.remove(base) }
        let dir = base.appendingPathComponent("edges")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: dir.appendingPathComponent("straddle.txt"))

        var reading = S3Reading()
        reading.rangeSize = 4096
        let live = try SourceListing.list(
            try S3ObjectStore(url: "s3://edges", client: client, reading: reading), scope: Scope())
        let before = client.counters.getRequests.load(ordering: .relaxed)
        let fromS3 = try scan(live, detector: Self.detector)
        #expect(client.counters.getRequests.load(ordering: .relaxed) - before >= 2)  // it really was read in ranges
        let local = try SourceListing.list(
            DirectorySource(root: URL(fileURLWithPath: dir.path), singleBucket: "edges"), scope: Scope())
        let fromDisk = try scan(local, detector: Self.detector)
        let s3Result = try #require(fromS3["edges/straddle.txt"])
        #expect(s3Result.hasFinding)
        #expect(fingerprint(s3Result) == fingerprint(try #require(fromDisk["edges/straddle.txt"])))
    }

    @Test func paginationOverMoreThanAThousandObjects() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        try client.createBucket("many")
        let count = 1_234
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            for index in stride(from: lane, to: count, by: 8) {
                do {
                    try client.putObject(
                        bucket: "many", key: String(format: "logs/%05d.txt", index), body: Data("line \(index)\n".utf8))
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        try client.putObject(bucket: "many", key: "other/skip.txt", body: Data("x".utf8))

        var pages: [Int] = []
        var keys: [String] = []
        let requests = try client.listAllObjects(bucket: "many", prefix: "logs/") { page in
            pages.append(page.count)
            keys += page.map(\.key)
            return true
        }
        #expect(requests == 2)
        #expect(pages == [1000, 234])
        #expect(keys.count == count && Set(keys).count == count && keys == keys.sorted())
        // Smaller pages, start-after.
        let small = try client.listAllObjects(
            bucket: "many", prefix: "logs/", startAfter: "logs/01200.txt", pageSize: 10
        ) { _ in true }
        #expect(small == 4)  // 33 keys after 01200, 10 per page
        let listing = try SourceListing.list(try S3ObjectStore(url: "s3://many/logs/", client: client), scope: Scope())
        #expect(listing.inScope.count == count)
        #expect(listing.store.requests?.listRequests == 2)
    }

    @Test func throttlingIsRetriedUntilItSucceeds() throws {
        let server = try MotoServer()
        defer { server.stop() }
        try server.client().createBucket("busy")
        try server.client().putObject(bucket: "busy", key: "a.txt", body: Data("hello\n".utf8))
        let proxy = try ThrottlingProxy(upstreamPort: server.port, failures: 4)
        defer { proxy.stop() }
        let client = server.client(endpoint: proxy.endpoint)
        let page = try client.listObjectsV2(bucket: "busy")
        #expect(page.objects.map(\.key) == ["a.txt"])
        #expect(proxy.failuresSent == 4)
        #expect(client.counters.retries.load(ordering: .relaxed) == 4)
        let body = try client.getObject(bucket: "busy", key: "a.txt").body
        #expect(String(decoding: body, as: UTF8.self) == "hello\n")

        // A server that never recovers: the error says so, after the configured attempts.
        let stubborn = try ThrottlingProxy(upstreamPort: server.port, failures: 1_000)
        defer { stubborn.stop() }
        let giveUp = server.client(
            retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05), endpoint: stubborn.endpoint)
        let error = #expect(throws: S3Error.self) { try giveUp.listObjectsV2(bucket: "busy") }
        #expect(error?.code == "SlowDown")
        #expect(stubborn.failuresSent == 3)
    }

    @Test func errorsPerObjectAndPerBucketBecomeMacieReasons() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        try client.createBucket("gone")
        try client.putObject(bucket: "gone", key: "vanishes.txt", body: Data("soon gone\n".utf8))
        try client.putObject(bucket: "gone", key: "changes.txt", body: Data("version one\n".utf8))
        try client.putObject(
            bucket: "gone", key: "cold.txt", body: Data("frozen\n".utf8),
            headers: [("x-amz-storage-class", "DEEP_ARCHIVE")])
        let listing = try SourceListing.list(try S3ObjectStore(url: "s3://gone", client: client), scope: Scope())
        // Between listing and reading: one object deleted, one rewritten.
        var delete = S3Client.Request(operation: "DeleteObject", method: .DELETE, bucket: "gone", key: "vanishes.txt")
        delete.headers = []
        _ = try client.sendBlocking(delete)
        try client.putObject(bucket: "gone", key: "changes.txt", body: Data("version two, longer\n".utf8))
        let gets = client.counters.getRequests.load(ordering: .relaxed)
        let results = try scan(listing, detector: Self.detector)
        #expect(results["gone/vanishes.txt"]?.reason == .sourceObjectNoLongerAvailable)
        #expect(results["gone/changes.txt"]?.reason == .objectVersionMismatch)
        #expect(results["gone/cold.txt"]?.reason == .invalidObjectState)
        #expect(results.values.allSatisfy { $0.status == .skipped })
        #expect(client.counters.getRequests.load(ordering: .relaxed) - gets == 2)  // none for the Deep Archive object

        // A bucket the user names that does not exist is an error naming it, never "nothing found".
        let missing = #expect(throws: SourceError.self) {
            try SourceListing.list(try S3ObjectStore(url: "s3://no-such-bucket", client: client), scope: Scope())
        }
        #expect(missing?.description.contains("bucket no-such-bucket does not exist") == true)
        // A bad endpoint is a clear error.
        let nowhere = server.client(
            retry: RetryPolicy(maxConnectAttempts: 2, baseDelay: 0.01),
            endpoint: "http://127.0.0.1:\(try Loopback.freePort())")
        let error = #expect(throws: SourceError.self) {
            try SourceListing.list(try S3ObjectStore(url: "s3://x", client: nowhere), scope: Scope())
        }
        #expect(error?.description.contains("connection refused") == true)
    }

    /// moto enforces IAM policies (not bucket policies) once authentication is switched on, so the
    /// denial is an IAM user's policy; a matching bucket policy is put too, as on AWS.
    @Test func aDeniedObjectIsPermissionDeniedAndTheOthersAreRead() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let admin = server.client()
        try admin.createBucket("guarded")
        try admin.putObject(bucket: "guarded", key: "open.txt", body: Data("contact: jane.doe@example.com\n".utf8))
        try admin.putObject(bucket: "guarded", key: "secret.txt", body: Data("card 4111 1111 1111 1111\n".utf8))
        let deny = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},\
            {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::guarded/secret.txt"}]}
            """
        try admin.putBucketPolicy(
            bucket: "guarded",
            policy: """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::guarded/secret.txt"}]}
                """)
        let keys = try server.python(
            """
            import boto3, json, os, urllib.request
            iam = boto3.client("iam", endpoint_url=os.environ["ENDPOINT"])
            iam.create_user(UserName="scanner")
            iam.put_user_policy(UserName="scanner", PolicyName="scan", PolicyDocument=json.dumps(\(deny)))
            key = iam.create_access_key(UserName="scanner")["AccessKey"]
            urllib.request.urlopen(urllib.request.Request(os.environ["ENDPOINT"] + "/moto-api/reset-auth", data=b"0", headers={"Content-Type": "text/plain"}, method="POST"))
            print(key["AccessKeyId"], key["SecretAccessKey"])
            """
        ).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // From here on moto checks every signature: the scan below also proves ours are right.
        let scanner = server.client(accessKey: keys[0], secret: keys[1])
        let listing = try SourceListing.list(try S3ObjectStore(url: "s3://guarded", client: scanner), scope: Scope())
        let results = try scan(listing, detector: Self.detector)
        #expect(results["guarded/secret.txt"]?.status == .skipped)
        #expect(results["guarded/secret.txt"]?.reason == .permissionDenied)
        #expect(results["guarded/open.txt"]?.status == .complete)
        #expect(results["guarded/open.txt"]?.hasFinding == true)
        // Wrong credentials are a clear, fatal error that shows no secret.
        let wrong = server.client(accessKey: keys[0], secret: "not-the-secret-at-all")
        let error = #expect(throws: SourceError.self) {
            try SourceListing.list(try S3ObjectStore(url: "s3://guarded", client: wrong), scope: Scope())
        }
        #expect(error?.description.contains("SignatureDoesNotMatch") == true)
        #expect(error?.description.contains("not-the-secret-at-all") == false)
        #expect(error?.description.contains(keys[1]) == false)
    }

    /// moto reports every bucket's owner as its own fixed canonical ID, so the sample's owner ID
    /// is replaced by moto's on both sides (on AWS the owner is whoever created the bucket).
    static let sampleOwner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    static let motoOwner = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"

    @Test func liveAuditAgreesWithTheFilesForTheSampleAccount() throws {
        let server = try MotoServer(environment: ["MOTO_ACCOUNT_ID": "111122223333"])
        defer { server.stop() }
        let sample = Repository.url("Corpus/accounts/sample")
        let buckets = [
            "acme-org-only", "acme-private", "acme-public-acl", "acme-public-policy", "acme-public-policy-blocked",
            "acme-replicated", "acme-shared-partner", "acme-unencrypted", "acme-vpce-only",
        ]
        // The same configuration, put through the real API from the CLI's JSON files.
        _ = try server.python(
            """
            import boto3, json, os
            ep = os.environ["ENDPOINT"]; root = \(String(reflecting: sample.path))
            s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1")
            def load(b, name):
                p = os.path.join(root, b, name + ".json")
                return json.load(open(p)) if os.path.exists(p) else None
            for b in \(buckets):
                loc = load(b, "get-bucket-location")["LocationConstraint"]
                if loc in (None, "", "us-east-1"): s3.create_bucket(Bucket=b)
                else: s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": loc})
                v = load(b, "get-bucket-versioning")
                if v and v.get("Status"): s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": v["Status"]})
                acl = load(b, "get-bucket-acl")
                if acl:
                    acl = json.loads(json.dumps(acl).replace(\(String(reflecting: Self.sampleOwner)), \(String(reflecting: Self.motoOwner))))
                    s3.put_bucket_acl(Bucket=b, AccessControlPolicy={"Owner": acl["Owner"], "Grants": acl["Grants"]})
                p = load(b, "get-bucket-policy")
                if p: s3.put_bucket_policy(Bucket=b, Policy=p["Policy"])
                e = load(b, "get-bucket-encryption")
                if e: s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=e["ServerSideEncryptionConfiguration"])
                pab = load(b, "get-public-access-block")
                if pab: s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=pab["PublicAccessBlockConfiguration"])
                oc = load(b, "get-bucket-ownership-controls")
                if oc: s3.put_bucket_ownership_controls(Bucket=b, OwnershipControls=oc["OwnershipControls"])
                r = load(b, "get-bucket-replication")
                if r: s3.put_bucket_replication(Bucket=b, ReplicationConfiguration=r["ReplicationConfiguration"])
                t = load(b, "get-bucket-tagging")
                if t: s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": t["TagSet"]})
            """)
        // The account's Block Public Access, through S3 Control (botocore would put the account
        // ID in the host name, which loopback cannot resolve).
        let account = try JSONSerialization.jsonObject(
            with: Data(contentsOf: sample.appendingPathComponent("_account/get-public-access-block.json")))
        let flags = try #require((account as? [String: Any])?["PublicAccessBlockConfiguration"] as? [String: Bool])
        var put = S3Client.Request(operation: "PutPublicAccessBlock (account)", method: .PUT)
        put.rawPath = "/v20180820/configuration/publicAccessBlock"
        put.headers = [("x-amz-account-id", "111122223333")]
        put.body = Data(
            ("<PublicAccessBlockConfiguration xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
                + flags.sorted { $0.key < $1.key }.map { "<\($0.key)>\($0.value)</\($0.key)>" }.joined()
                + "</PublicAccessBlockConfiguration>").utf8)
        _ = try server.client().sendBlocking(put)

        // The file side: the same buckets and account, without what S3 cannot say (inventory
        // reports, the organization's account list).
        let files = try TemporaryDirectory.make("audit")
        defer { TemporaryDirectory.remove(files) }
        try FileManager.default.createDirectory(
            at: files.appendingPathComponent("_account"), withIntermediateDirectories: true)
        for name in ["get-caller-identity.json", "get-public-access-block.json"] {
            try FileManager.default.copyItem(
                at: sample.appendingPathComponent("_account/\(name)"),
                to: files.appendingPathComponent("_account/\(name)"))
        }
        for bucket in buckets {
            try FileManager.default.createDirectory(
                at: files.appendingPathComponent(bucket), withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: sample.appendingPathComponent(bucket).path)
            where file.hasSuffix(".json") {
                let text = try String(contentsOf: sample.appendingPathComponent("\(bucket)/\(file)"), encoding: .utf8)
                try text.replacingOccurrences(of: Self.sampleOwner, with: Self.motoOwner)
                    .write(to: files.appendingPathComponent("\(bucket)/\(file)"), atomically: true, encoding: .utf8)
            }
        }
        let options = AuditOptions(now: Date(timeIntervalSince1970: 1_793_500_000))
        let fromFiles = Auditor.audit(try AuditSource.load(path: files.path), options: options)
        let live = try liveAudit(bucketURL: "s3://", client: server.client())
        let fromAPI = Auditor.audit(live, options: options)
        #expect(live.account.accountId == "111122223333")
        #expect(fromAPI.buckets.map(\.bucketName) == buckets)
        for bucket in buckets {
            let a = try #require(fromFiles.buckets.first { $0.bucketName == bucket })
            let b = try #require(fromAPI.buckets.first { $0.bucketName == bucket })
            #expect(b.publicAccess == a.publicAccess, "\(bucket) public access")
            #expect(b.sharedAccess == a.sharedAccess, "\(bucket) shared access")
            #expect(b.serverSideEncryption == a.serverSideEncryption, "\(bucket) encryption")
            #expect(b.replicationDetails == a.replicationDetails, "\(bucket) replication")
            #expect(
                b.allowsUnencryptedObjectUploads == a.allowsUnencryptedObjectUploads, "\(bucket) unencrypted uploads")
            #expect(b.versioning == a.versioning, "\(bucket) versioning")
            #expect(b.region == a.region, "\(bucket) region")
            #expect(b.tags == a.tags, "\(bucket) tags")
            #expect(
                Set(fromAPI.findings(for: bucket).map(\.type)) == Set(fromFiles.findings(for: bucket).map(\.type)),
                "\(bucket) findings")
        }
        // One bucket, by URL.
        let one = try liveAudit(bucketURL: "s3://acme-public-acl", client: server.client())
        #expect(one.buckets.map(\.name) == ["acme-public-acl"])
    }
}

/// `trawl scan s3://BUCKET --endpoint-url ...` run as a user would, against the directory scan.
@Suite struct CommandLineS3Tests {
    /// Object → sorted "TYPE×count" from Macie findings (JSON Lines).
    func detections(_ jsonLines: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in jsonLines.split(separator: "\n") where !line.isEmpty {
            let finding = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let resources = finding["resourcesAffected"] as? [String: Any]
            let bucket = (resources?["s3Bucket"] as? [String: Any])?["name"] as? String ?? "?"
            let key = (resources?["s3Object"] as? [String: Any])?["key"] as? String ?? "?"
            let result = (finding["classificationDetails"] as? [String: Any])?["result"] as? [String: Any]
            var types: [String] = []
            for category in result?["sensitiveData"] as? [[String: Any]] ?? [] {
                for detection in category["detections"] as? [[String: Any]] ?? [] {
                    types.append("\(detection["type"] ?? "?")×\(detection["count"] ?? "?")")
                }
            }
            out["\(bucket)/\(key)"] = types.sorted()
        }
        return out
    }

    @Test func scanOfABucketEqualsTheScanOfItsDirectory() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        let corpus = Repository.url("Corpus/buckets")
        try upload(
            directory: corpus.appendingPathComponent("acme-customer-exports"), bucket: "acme-customer-exports",
            client: client)
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDTESTTESTTEST", "AWS_SECRET_ACCESS_KEY": "cli-secret-never-printed",
            "AWS_REGION": "us-east-1",
            "HOME": FileManager.default.temporaryDirectory.path,
        ]
        let live = try TrawlBinary.run(
            [
                "scan", "s3://acme-customer-exports", "--endpoint-url", server.endpoint, "--identifiers", "all",
                "--yes", "--no-progress", "--format", "json",
            ], environment: environment)
        let local = try TrawlBinary.run(
            [
                "scan", corpus.path, "--include-bucket", "acme-customer-exports", "--identifiers", "all",
                "--yes", "--no-progress", "--format", "json",
            ], environment: environment)
        #expect(live.status == local.status)
        #expect(live.status == 1)  // findings
        let fromS3 = try detections(live.stdout)
        #expect(!fromS3.isEmpty)
        #expect(fromS3 == (try detections(local.stdout)))
        #expect(live.stderr.contains("LIST + "))  // the S3 request cost is in the estimate
        #expect(!live.stderr.contains("cli-secret-never-printed") && !live.stdout.contains("cli-secret-never-printed"))

        // The estimate, and the clear errors.
        let estimate = try TrawlBinary.run(
            ["estimate", "s3://acme-customer-exports", "--endpoint-url", server.endpoint, "--format", "json"],
            environment: environment)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(estimate.stdout.utf8)) as? [String: Any])
        let s3 = try #require(report["s3"] as? [String: Any])
        #expect(s3["listRequests"] as? Int == 1)
        #expect((s3["getRequests"] as? Int ?? 0) >= 1)
        let noCredentials = try TrawlBinary.run(
            ["estimate", "s3://acme-customer-exports", "--endpoint-url", server.endpoint],
            environment: [
                "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "",
                "HOME": FileManager.default.temporaryDirectory.appendingPathComponent("no-home-\(UUID().uuidString)")
                    .path,
            ])
        #expect(noCredentials.status == 64)
        #expect(noCredentials.stderr.contains("no AWS credentials found"))
        let badEndpoint = try TrawlBinary.run(
            ["estimate", "s3://x", "--endpoint-url", "not a url"], environment: environment)
        #expect(badEndpoint.status == 64)
        #expect(badEndpoint.stderr.contains("is not an http:// or https:// URL"))
    }
}

/// `trawl audit s3://BUCKET` fetches the configuration live and gives the file audit's verdicts.
@Suite struct CommandLineLiveAuditTests {
    @Test func publicBucketPolicyIsReportedLive() throws {
        let server = try MotoServer()
        defer { server.stop() }
        let client = server.client()
        try client.createBucket("acme-live-public")
        try client.putBucketPolicy(
            bucket: "acme-live-public",
            policy: """
                {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-live-public/*"}]}
                """)
        // The account's Block Public Access (all off), through S3 Control, so it is known.
        var put = S3Client.Request(operation: "PutPublicAccessBlock (account)", method: .PUT)
        put.rawPath = "/v20180820/configuration/publicAccessBlock"
        put.headers = [("x-amz-account-id", "123456789012")]
        put.body = Data(
            ("<PublicAccessBlockConfiguration xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
                + "<BlockPublicAcls>false</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls>"
                + "<BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets>"
                + "</PublicAccessBlockConfiguration>").utf8)
        _ = try client.sendBlocking(put)
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDTESTTESTTEST", "AWS_SECRET_ACCESS_KEY": "audit-secret-never-printed",
            "AWS_REGION": "us-east-1",
            "HOME": FileManager.default.temporaryDirectory.path,
        ]
        let run = try TrawlBinary.run(
            ["audit", "s3://acme-live-public", "--endpoint-url", server.endpoint, "--format", "json"],
            environment: environment)
        #expect(run.status == 1, "a public bucket is a High finding: \(run.stderr)")
        #expect(run.stdout.contains("\"effectivePermission\":\"PUBLIC\""))
        #expect(run.stdout.contains("Policy:IAMUser/S3BucketPublic"))
        #expect(
            !run.stdout.contains("audit-secret-never-printed") && !run.stderr.contains("audit-secret-never-printed"))
        let mixed = try TrawlBinary.run(
            ["audit", "s3://acme-live-public", "Corpus/accounts/sample"], environment: environment)
        #expect(mixed.status == 64)
        // A bucket that does not exist is an error naming it, never a row of UNKNOWN verdicts.
        let missing = try TrawlBinary.run(
            ["audit", "s3://no-such-bucket", "--endpoint-url", server.endpoint], environment: environment)
        #expect(missing.status == 2, "the source cannot be read: \(missing.output)")
        #expect(missing.stderr.contains("bucket no-such-bucket does not exist"))
        let estimate = try TrawlBinary.run(
            ["estimate", "s3://no-such-bucket", "--endpoint-url", server.endpoint], environment: environment)
        #expect(estimate.status == 64, "\(estimate.output)")
        #expect(estimate.stderr.contains("bucket no-such-bucket does not exist"))
    }
}
