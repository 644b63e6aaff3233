import Foundation

/// An access key pair, with the session token of temporary credentials. Its descriptions never
/// show the secret or the token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where they were found (`environment`, `shared credentials file, profile dev`...).
    public var source: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String {
        "credentials \(Self.redact(accessKeyId)) from \(source)\(sessionToken == nil ? "" : " (with session token)")"
    }
    public var debugDescription: String { description }

    /// `AKIA…MPLE`: enough to tell keys apart, not enough to use one.
    public static func redact(_ keyId: String) -> String {
        keyId.count > 8 ? "\(keyId.prefix(4))…\(keyId.suffix(4))" : "…"
    }
}

/// Why the S3 settings could not be resolved (no credentials, a profile that does not exist, a
/// malformed endpoint).
public struct S3ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

/// How bucket names go into URLs.
public enum AddressingStyle: String, Sendable, CaseIterable {
    /// `https://bucket.s3.region.amazonaws.com/key` when the name allows it, else path.
    case auto
    /// `https://endpoint/bucket/key` (MinIO, Ceph, moto, and buckets with dots).
    case path
    /// `https://bucket.endpoint/key`.
    case virtual
}

/// Everything needed to talk to S3: found the way the AWS CLI finds it.
public struct S3Configuration: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    /// Where the region came from (for the region-mismatch message).
    public var regionSource: String
    /// A custom endpoint (`http://127.0.0.1:9000`); nil for AWS.
    public var endpoint: URL?
    public var addressing: AddressingStyle
    public var retry: RetryPolicy

    public init(
        credentials: AWSCredentials, region: String, regionSource: String = "given", endpoint: URL? = nil,
        addressing: AddressingStyle = .auto, retry: RetryPolicy = RetryPolicy()
    ) {
        self.credentials = credentials
        self.region = region
        self.regionSource = regionSource
        self.endpoint = endpoint
        self.addressing = addressing
        self.retry = retry
    }

    /// Resolves credentials, region and endpoint as the AWS CLI does:
    ///
    /// - credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) when no
    ///   profile is named on the command line; otherwise the profile (`--profile`, else
    ///   `AWS_PROFILE`, else `default`) in the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
    ///   `~/.aws/credentials`), then in the config file (`AWS_CONFIG_FILE`, `~/.aws/config`,
    ///   sections `[profile NAME]` and `[default]`);
    /// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, us-east-1;
    /// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's
    ///   `endpoint_url` (or its `s3 = endpoint_url = ...` sub-section), else AWS.
    public static func resolve(
        profile profileFlag: String? = nil, region regionFlag: String? = nil, endpointURL endpointFlag: String? = nil,
        addressing: AddressingStyle = .auto, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(S3ConfigurationError) -> S3Configuration {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let credentialsPath =
            expand(environment["AWS_SHARED_CREDENTIALS_FILE"], home: home) ?? home + "/.aws/credentials"
        let configPath = expand(environment["AWS_CONFIG_FILE"], home: home) ?? home + "/.aws/config"
        let profileName = nonEmpty(profileFlag) ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let credentialsFile = try ProfileFile.load(path: credentialsPath, isConfig: false)
        let configFile = try ProfileFile.load(path: configPath, isConfig: true)
        let fromCredentials = credentialsFile?.profiles[profileName]
        let fromConfig = configFile?.profiles[profileName]

        // Credentials. Environment keys win unless a profile was named on the command line.
        var credentials: AWSCredentials?
        if profileFlag == nil, let id = nonEmpty(environment["AWS_ACCESS_KEY_ID"]) {
            guard let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"]) else {
                throw S3ConfigurationError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            credentials = AWSCredentials(
                accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]),
                source: "environment")
        }
        if credentials == nil {
            for (section, file) in [(fromCredentials, credentialsPath), (fromConfig, configPath)] {
                guard let section, let id = nonEmpty(section["aws_access_key_id"]) else { continue }
                guard let secret = nonEmpty(section["aws_secret_access_key"]) else {
                    throw S3ConfigurationError(
                        "profile \(profileName) in \(display(file, home: home)) has aws_access_key_id but no aws_secret_access_key"
                    )
                }
                credentials = AWSCredentials(
                    accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty(section["aws_session_token"]),
                    source: "\(display(file, home: home)), profile \(profileName)")
                break
            }
        }
        let profileWanted = profileFlag != nil || nonEmpty(environment["AWS_PROFILE"]) != nil
        if profileWanted, fromCredentials == nil, fromConfig == nil {
            throw S3ConfigurationError(
                "the profile \(profileName) is not in \(display(credentialsPath, home: home)) or \(display(configPath, home: home))"
            )
        }
        guard let credentials else {
            if let section = fromConfig,
                section["role_arn"] != nil || section["sso_session"] != nil
                    || section["sso_start_url"] != nil || section["credential_process"] != nil
            {
                throw S3ConfigurationError(
                    "profile \(profileName) uses role, SSO or credential_process credentials, which trawl does not fetch; "
                        + "export them first (for example: eval \"$(aws configure export-credentials --profile \(profileName) --format env)\")"
                )
            }
            throw S3ConfigurationError(
                "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add profile \(profileName) "
                    + "to \(display(credentialsPath, home: home)) (or pass --profile NAME)")
        }

        // Region.
        let region: String
        let regionSource: String
        if let flag = nonEmpty(regionFlag) {
            (region, regionSource) = (flag, "--region")
        } else if let value = nonEmpty(environment["AWS_REGION"]) {
            (region, regionSource) = (value, "AWS_REGION")
        } else if let value = nonEmpty(environment["AWS_DEFAULT_REGION"]) {
            (region, regionSource) = (value, "AWS_DEFAULT_REGION")
        } else if let value = nonEmpty(fromConfig?["region"]) {
            (region, regionSource) = (value, "profile \(profileName)")
        } else {
            (region, regionSource) = ("us-east-1", "the default")
        }

        // Endpoint.
        let endpointText =
            nonEmpty(endpointFlag) ?? nonEmpty(environment["AWS_ENDPOINT_URL_S3"])
            ?? nonEmpty(environment["AWS_ENDPOINT_URL"]) ?? nonEmpty(fromConfig?["s3.endpoint_url"])
            ?? nonEmpty(fromConfig?["endpoint_url"])
        var endpoint: URL?
        if let endpointText {
            guard let url = URL(string: endpointText), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
            else {
                throw S3ConfigurationError(
                    "endpoint URL '\(endpointText)' is not an http:// or https:// URL with a host")
            }
            endpoint = url
        }
        return S3Configuration(
            credentials: credentials, region: region, regionSource: regionSource, endpoint: endpoint,
            addressing: addressing)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    static func expand(_ path: String?, home: String) -> String? {
        guard let path = nonEmpty(path) else { return nil }
        return path.hasPrefix("~/") ? home + path.dropFirst() : path
    }

    /// Paths in messages: `~/.aws/credentials`, not the user's home directory.
    static func display(_ path: String, home: String) -> String {
        path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
    }
}

/// An AWS CLI INI file (`~/.aws/credentials` or `~/.aws/config`). In the config file profiles are
/// `[profile NAME]` (and `[default]`); in the credentials file `[NAME]`. Indented lines under a key
/// with an empty value form a sub-section (`s3 =\n  endpoint_url = ...`), kept as `s3.endpoint_url`.
struct ProfileFile {
    var profiles: [String: [String: String]] = [:]

    static func load(path: String, isConfig: Bool) throws(S3ConfigurationError) -> ProfileFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw S3ConfigurationError("\(path) is not readable")
        }
        return parse(text, isConfig: isConfig)
    }

    static func parse(_ text: String, isConfig: Bool) -> ProfileFile {
        var file = ProfileFile()
        var current: String?
        var parent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                parent = nil
                if isConfig {
                    if name.hasPrefix("profile ") {
                        name = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil  // [sso-session x], [services x]: not profiles
                        continue
                    }
                }
                current = name
                if file.profiles[name] == nil { file.profiles[name] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            if indented, let parent {
                file.profiles[current]?["\(parent).\(key)"] = value
            } else if value.isEmpty {
                parent = key
            } else {
                parent = nil
                file.profiles[current]?[key] = value
            }
        }
        return file
    }
}
