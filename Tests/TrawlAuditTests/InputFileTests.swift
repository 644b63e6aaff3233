import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlAudit

/// Builds a throwaway AWS CLI layout: one account, one bucket `b`, with the given files.
private func layout(_ files: [String: String], account: [String: String] = [:]) throws -> URL {
    let root = try TemporaryDirectory.make("audit")
    let defaults: [String: String] = [
        "_account/get-caller-identity.json":
            #"{"UserId":"X","Account":"111122223333","Arn":"arn:aws:iam::111122223333:user/a"}"#,
        "b/get-bucket-acl.json":
            #"{"Owner":{"ID":"owner"},"Grants":[{"Grantee":{"Type":"CanonicalUser","ID":"owner"},"Permission":"FULL_CONTROL"}]}"#,
        "b/get-bucket-encryption.json":
            #"{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}}"#,
        "b/get-public-access-block.json":
            #"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}}"#,
        "b/get-bucket-versioning.json": "{}",
        "b/get-bucket-location.json": #"{"LocationConstraint":null}"#,
    ]
    var all = defaults
    for (path, text) in files { all[path] = text }
    for (path, text) in account { all["_account/" + path] = text }
    for (path, text) in all where text != "<absent>" {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    return root
}

private func audit(_ files: [String: String], account: [String: String] = [:]) throws -> (BucketMetadata, AuditReport) {
    let root = try layout(files, account: account)
    defer { TemporaryDirectory.remove(root) }
    let report = Auditor.audit(try AuditSource.load(path: root.path))
    return (try #require(report.buckets.first), report)
}

@Suite struct InputFileTests {
    @Test func defaultsAreNotPublicAndComplete() throws {
        let (bucket, report) = try audit([:])
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(bucket.region == "us-east-1")
        #expect(bucket.errorCode == nil)
        #expect(bucket.versioning == false)
        #expect(report.findings.isEmpty)
    }

    @Test func missingACLIsUnknown() throws {
        let (bucket, _) = try audit(["b/get-bucket-acl.json": "<absent>", "b/get-public-access-block.json": "<absent>"])
        #expect(bucket.publicAccess.effectivePermission == .unknown)
        #expect(bucket.errorMessage?.contains("get-bucket-acl.json is missing") == true)
    }

    @Test func missingACLIsHarmlessWhenIgnorePublicAclsIsOn() throws {
        let (bucket, _) = try audit(["b/get-bucket-acl.json": "<absent>"])
        #expect(bucket.publicAccess.effectivePermission == .notPublic)
        #expect(bucket.sharedAccess == .unknown)
    }

    @Test(arguments: [
        ("b/get-bucket-acl.json", "{not json", "get-bucket-acl.json: invalid JSON"),
        ("b/get-bucket-acl.json", "", "the file is empty"),
        ("b/get-bucket-acl.json", #"{"Owner":{"ID":"o"}}"#, "the ACL has no Grants"),
        (
            "b/get-bucket-acl.json", #"{"Grants":[{"Grantee":{"Type":"CanonicalUser"},"Permission":"READ"}]}"#,
            "no ID, URI or EmailAddress"
        ),
        (
            "b/get-public-access-block.json", #"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":"maybe"}}"#,
            "BlockPublicAcls is not a boolean"
        ),
        ("b/get-bucket-policy.json", #"{"Policy":{"Statement":[]}}"#, "Policy is an object"),
        ("b/get-bucket-policy.json", #"{"Version":"2012-10-17"}"#, "has no Policy member"),
        ("b/get-bucket-policy.json", #"{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\"}]}"}"#, "has no Principal"),
    ])
    func malformedFilesMakeTheAspectUnknown(path: String, text: String, reason: String) throws {
        var files = [path: text]
        if path.hasSuffix("get-public-access-block.json") { files["b/get-bucket-acl.json"] = "<absent>" }
        if path.hasSuffix("get-bucket-acl.json") || path.hasSuffix("get-bucket-policy.json") {
            files["b/get-public-access-block.json"] = "<absent>"
        }
        let (bucket, _) = try audit(files)
        #expect(bucket.publicAccess.effectivePermission == .unknown)
        #expect(bucket.errorMessage?.contains(reason) == true, "\(bucket.errorMessage ?? "nil")")
    }

    @Test func malformedEncryptionReplicationAndLocation() throws {
        let (bucket, _) = try audit([
            "b/get-bucket-encryption.json":
                #"{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{}}]}}"#,
            "b/get-bucket-replication.json": #"{"ReplicationConfiguration":{"Rules":[{"Status":"Enabled"}]}}"#,
            "b/get-bucket-location.json": "[]",
        ])
        #expect(bucket.serverSideEncryption.type == .unknown)
        #expect(bucket.replicationDetails.replicated == nil)
        #expect(bucket.region == nil)
        #expect(bucket.errorMessage?.contains("no SSEAlgorithm") == true)
        #expect(bucket.errorMessage?.contains("has no Destination") == true)
    }

    @Test func collectorErrorFiles() throws {
        let (bucket, _) = try audit([
            "b/get-bucket-encryption.json": "<absent>",
            "b/get-bucket-encryption.error":
                "An error occurred (AccessDenied) when calling the GetBucketEncryption operation: Access Denied",
            "b/get-bucket-policy.error":
                "An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist",
        ])
        #expect(bucket.serverSideEncryption.type == .unknown)
        #expect(bucket.errorMessage?.contains("get-bucket-encryption failed when collected") == true)
        #expect(bucket.allowsUnencryptedObjectUploads == .true)
    }

    @Test func accountFiles() throws {
        let (bucket, report) = try audit(
            [
                "b/get-public-access-block.json": "<absent>",
                "b/get-bucket-policy.json":
                    #"{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"}"#,
            ],
            account: [
                "get-caller-identity.json": "<absent>", "get-public-access-block.json": "{broken",
                "list-accounts.json": "{}",
            ])
        #expect(bucket.accountId == nil)
        #expect(bucket.publicAccess.effectivePermission == .unknown)
        #expect(bucket.errorMessage?.contains("account level") == true)
        #expect(report.warnings.contains { $0.contains("owner account unknown") })
        #expect(report.warnings.contains { $0.contains("list-accounts.json has no Accounts") })
    }

    @Test func sourceErrors() throws {
        #expect(throws: AuditSourceError.notFound("/nonexistent/trawl")) {
            try AuditSource.load(path: "/nonexistent/trawl")
        }
        let empty = try TemporaryDirectory.make("empty")
        defer { TemporaryDirectory.remove(empty) }
        #expect(throws: AuditSourceError.self) { try AuditSource.load(path: empty.path) }
        let bad = empty.appendingPathComponent("config.json")
        try Data("{\"hello\":1}".utf8).write(to: bad)
        #expect(throws: AuditSourceError.self) { try AuditSource.load(path: bad.path) }
    }

    @Test func configItemFromTheAPIWithStringMembers() throws {
        let item = #"""
            {"configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceName":"api","awsRegion":"us-west-2","awsAccountId":"111122223333",
             "configuration":"{\"name\":\"api\",\"owner\":{\"id\":\"owner\"}}",
             "supplementaryConfiguration":{
               "AccessControlList":"{\"grantList\":[{\"grantee\":{\"id\":\"owner\"},\"permission\":\"FullControl\"},{\"grantee\":\"AuthenticatedUsers\",\"permission\":\"Write\"}],\"owner\":{\"id\":\"owner\"}}",
               "BucketPolicy":"{\"policyText\":null}",
               "PublicAccessBlockConfiguration":"{\"blockPublicAcls\":false,\"ignorePublicAcls\":false,\"blockPublicPolicy\":false,\"restrictPublicBuckets\":false}"}},
             {"resourceType":"AWS::S3::Bucket","resourceName":"gone","configurationItemStatus":"ResourceDeleted"},
             {"resourceType":"AWS::S3::AccountPublicAccessBlock","configuration":{"blockPublicAcls":true,"ignorePublicAcls":false,"blockPublicPolicy":true,"restrictPublicBuckets":false}}]}
            """#
        let directory = try TemporaryDirectory.make("config")
        defer { TemporaryDirectory.remove(directory) }
        let file = directory.appendingPathComponent("config.json")
        try Data(item.utf8).write(to: file)
        let input = try AuditSource.load(path: file.path)
        #expect(input.buckets.map(\.name) == ["api"])
        #expect(input.account.blockPublicAccess.value?.blockPublicPolicy == true)
        let report = Auditor.audit(input)
        let bucket = try #require(report.buckets.first)
        #expect(bucket.publicAccess.effectivePermission == .public)
        #expect(
            bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.accessControlList.allowsPublicWriteAccess
                == true)
        #expect(bucket.serverSideEncryption.type == .none)
        #expect(bucket.region == "us-west-2")
    }
}
