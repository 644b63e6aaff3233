import Foundation
import Testing
import TrawlCore
import TrawlTestSupport

@testable import TrawlS3

/// Credentials, region and endpoint found as the AWS CLI finds them.
@Suite struct ConfigurationTests {
    /// A fake home with `~/.aws/credentials` and `~/.aws/config`.
    func home(credentials: String? = nil, config: String? = nil) throws -> String {
        let dir = try TemporaryDirectory.make("aws")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        if let credentials {
            try credentials.write(to: dir.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        }
        if let config {
            try config.write(to: dir.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    let credentialsFile = """
        [default]
        aws_access_key_id = AKIADEFAULT0000001
        aws_secret_access_key = default-secret-value

        [dev]
        aws_access_key_id = AKIADEV00000000002
        aws_secret_access_key = dev-secret-value
        aws_session_token = dev-session-token
        """
    let configFile = """
        [default]
        region = eu-west-2

        [profile dev]
        region = ap-southeast-2
        s3 =
          endpoint_url = http://127.0.0.1:9000

        [profile fromconfig]
        aws_access_key_id = AKIACONFIG00000003
        aws_secret_access_key = config-secret
        """

    @Test func environmentKeysWinOverTheDefaultProfile() throws {
        let home = try home(credentials: credentialsFile, config: configFile)
        let resolved = try S3Configuration.resolve(environment: [
            "HOME": home, "AWS_ACCESS_KEY_ID": "AKIAENV00000000004", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_SESSION_TOKEN": "env-token",
        ])
        #expect(resolved.credentials.accessKeyId == "AKIAENV00000000004")
        #expect(resolved.credentials.sessionToken == "env-token")
        #expect(resolved.region == "eu-west-2")  // the default profile's region
        #expect(resolved.endpoint == nil)
    }

    @Test func profileFlagBeatsEnvironmentKeys() throws {
        let home = try home(credentials: credentialsFile, config: configFile)
        let resolved = try S3Configuration.resolve(
            profile: "dev",
            environment: [
                "HOME": home, "AWS_ACCESS_KEY_ID": "AKIAENV00000000004", "AWS_SECRET_ACCESS_KEY": "env-secret",
            ])
        #expect(resolved.credentials.accessKeyId == "AKIADEV00000000002")
        #expect(resolved.credentials.sessionToken == "dev-session-token")
        #expect(resolved.region == "ap-southeast-2")
        #expect(resolved.endpoint?.absoluteString == "http://127.0.0.1:9000")
    }

    @Test func awsProfileAndKeysInTheConfigFile() throws {
        let home = try home(credentials: credentialsFile, config: configFile)
        let resolved = try S3Configuration.resolve(environment: ["HOME": home, "AWS_PROFILE": "fromconfig"])
        #expect(resolved.credentials.accessKeyId == "AKIACONFIG00000003")
        #expect(resolved.region == "us-east-1")
        #expect(resolved.credentials.source == "~/.aws/config, profile fromconfig")
    }

    @Test func fileLocationsFromTheEnvironment() throws {
        let other = try home(
            credentials: credentialsFile.replacingOccurrences(of: "AKIADEFAULT0000001", with: "AKIAOTHERFILE00005"))
        let home = try home()
        let resolved = try S3Configuration.resolve(environment: [
            "HOME": home, "AWS_SHARED_CREDENTIALS_FILE": other + "/.aws/credentials",
            "AWS_CONFIG_FILE": other + "/.aws/none",
        ])
        #expect(resolved.credentials.accessKeyId == "AKIAOTHERFILE00005")
    }

    @Test func regionOrder() throws {
        let home = try home(credentials: credentialsFile, config: configFile)
        var env = ["HOME": home, "AWS_DEFAULT_REGION": "us-west-1"]
        #expect(try S3Configuration.resolve(environment: env).region == "us-west-1")
        env["AWS_REGION"] = "us-west-2"
        #expect(try S3Configuration.resolve(environment: env).region == "us-west-2")
        #expect(try S3Configuration.resolve(region: "sa-east-1", environment: env).region == "sa-east-1")
    }

    @Test func endpointOrder() throws {
        let home = try home(credentials: credentialsFile)
        var env = ["HOME": home, "AWS_ENDPOINT_URL": "http://127.0.0.1:1111"]
        #expect(try S3Configuration.resolve(environment: env).endpoint?.port == 1111)
        env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:2222"
        #expect(try S3Configuration.resolve(environment: env).endpoint?.port == 2222)
        #expect(
            try S3Configuration.resolve(endpointURL: "https://s3.example.test:3333", environment: env).endpoint?.port
                == 3333)
        #expect(throws: S3ConfigurationError.self) {
            try S3Configuration.resolve(endpointURL: "ftp:/nohost", environment: env)
        }
    }

    @Test func clearErrors() throws {
        let empty = try home()
        let none = #expect(throws: S3ConfigurationError.self) {
            try S3Configuration.resolve(environment: ["HOME": empty])
        }
        #expect(none?.description.contains("no AWS credentials found") == true)
        #expect(none?.description.contains(empty) == false)  // ~/.aws/credentials, not the home path
        let missing = #expect(throws: S3ConfigurationError.self) {
            try S3Configuration.resolve(profile: "nope", environment: ["HOME": try home(credentials: credentialsFile)])
        }
        #expect(missing?.description.contains("the profile nope is not in") == true)
        let half = #expect(throws: S3ConfigurationError.self) {
            try S3Configuration.resolve(environment: ["HOME": empty, "AWS_ACCESS_KEY_ID": "AKIAENV00000000004"])
        }
        #expect(half?.description.contains("AWS_SECRET_ACCESS_KEY") == true)
    }

    @Test func secretsNeverAppearInDescriptions() throws {
        let home = try home(credentials: credentialsFile, config: configFile)
        let resolved = try S3Configuration.resolve(profile: "dev", environment: ["HOME": home])
        let texts = [
            resolved.credentials.description, String(describing: resolved.credentials),
            String(reflecting: resolved.credentials),
            "\(resolved.credentials)",
        ]
        for text in texts {
            #expect(!text.contains("dev-secret-value"))
            #expect(!text.contains("dev-session-token"))
            #expect(!text.contains("AKIADEV00000000002"))
        }
        #expect(resolved.credentials.description.contains("AKIA…0002"))
    }

    @Test func s3URLs() throws {
        #expect(try S3Location.parse("s3://") == S3Location(bucket: nil))
        #expect(try S3Location.parse("s3://bucket") == S3Location(bucket: "bucket"))
        #expect(try S3Location.parse("s3://bucket/logs/2024/") == S3Location(bucket: "bucket", prefix: "logs/2024/"))
        #expect(throws: S3ConfigurationError.self) { try S3Location.parse("s3:///key") }
        #expect(throws: S3ConfigurationError.self) { try S3Location.parse("s3://bad bucket") }
    }

    @Test func addressing() throws {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x")
        let aws = S3Client(configuration: S3Configuration(credentials: credentials, region: "eu-west-1"))
        var request = S3Client.Request(operation: "GetObject", bucket: "my-bucket", key: "a b/c.txt")
        #expect(
            aws.url(for: request, region: "eu-west-1").url == "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt"
        )
        request.bucket = "my.dotted.bucket"
        #expect(
            aws.url(for: request, region: "eu-west-1").url
                == "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/a%20b/c.txt")
        let custom = S3Client(
            configuration: S3Configuration(
                credentials: credentials, region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:9000"),
                addressing: .auto))
        request.bucket = "my-bucket"
        request.query = [("versionId", "3")]
        #expect(
            custom.url(for: request, region: "us-east-1").url
                == "http://127.0.0.1:9000/my-bucket/a%20b/c.txt?versionId=3")
        let virtual = S3Client(
            configuration: S3Configuration(
                credentials: credentials, region: "us-east-1", endpoint: URL(string: "https://minio.example.test"),
                addressing: .virtual))
        #expect(virtual.url(for: request, region: "us-east-1").host == "my-bucket.minio.example.test")
    }

    @Test func retryPolicy() {
        let policy = RetryPolicy(baseDelay: 0.1, maxDelay: 5)
        for attempt in 1...10 {
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(delay >= 0 && delay <= min(5, 0.1 * pow(2, Double(attempt - 1))))
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: 3) == 3)  // Retry-After raises the wait
        #expect(policy.delay(afterAttempt: 1, retryAfter: 60) == 5)  // within the cap
        #expect(RetryPolicy.parseRetryAfter("7") == 7)
        #expect(
            RetryPolicy.parseRetryAfter(
                "Wed, 21 Oct 2015 07:28:00 GMT", now: Date(timeIntervalSince1970: 1_445_412_470)) == 10)
        #expect(S3Error(status: 503, code: "SlowDown", message: "", operation: "GetObject").isRetryable)
        #expect(!S3Error(status: 403, code: "AccessDenied", message: "", operation: "GetObject").isRetryable)
    }

    @Test func macieReasons() {
        func reason(_ status: Int, _ code: String, _ message: String = "") -> String {
            S3Error(status: status, code: code, message: message, operation: "GetObject", bucket: "b", key: "k")
                .macieReason.rawValue
        }
        #expect(reason(403, "AccessDenied") == "PERMISSION_DENIED")
        #expect(reason(404, "NoSuchKey") == "SOURCE_OBJECT_NO_LONGER_AVAILABLE")
        #expect(reason(404, "NoSuchBucket") == "NO_SUCH_BUCKET_AVAILABLE")
        #expect(reason(412, "PreconditionFailed") == "OBJECT_VERSION_MISMATCH")
        #expect(reason(403, "InvalidObjectState") == "INVALID_OBJECT_STATE")
        #expect(
            reason(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption.")
                == "INVALID_ENCRYPTION")
        #expect(reason(400, "KMS.DisabledException") == "INVALID_KMS_KEY")
    }
}
