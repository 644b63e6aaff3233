import Foundation
import TrawlObjects

/// Why an audit source could not be read at all. (Problems with single files do not throw:
/// they make that aspect of that bucket UNKNOWN with the reason.)
public enum AuditSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case unrecognised(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): "audit source '\(path)' does not exist"
        case .unrecognised(let path, let reason): "cannot audit '\(path)': \(reason)"
        }
    }
}

/// Loads audit inputs from files:
///
/// - a directory in the AWS CLI layout (`_account/get-caller-identity.json`,
///   `<bucket>/get-bucket-*.json`, see `docs/audit.md`), optionally with `_config/` (AWS Config
///   files) and `_inventory/` or `<bucket>/inventory/` (S3 Inventory reports);
/// - an AWS Config snapshot, history or configuration item file (`AWS::S3::Bucket` items);
/// - a directory holding only AWS Config files.
public enum AuditSource {
    /// The file names the AWS CLI layout uses, one per `aws s3api` call.
    public enum CLIFile: String, CaseIterable, Sendable {
        case policy = "get-bucket-policy"
        case acl = "get-bucket-acl"
        case encryption = "get-bucket-encryption"
        case publicAccessBlock = "get-public-access-block"
        case ownershipControls = "get-bucket-ownership-controls"
        case replication = "get-bucket-replication"
        case versioning = "get-bucket-versioning"
        case tagging = "get-bucket-tagging"
        case location = "get-bucket-location"
    }

    /// S3 error codes meaning "this configuration does not exist": a collector that saved such an
    /// error instead of omitting the file still yields "not configured".
    static let notConfiguredErrors = [
        "NoSuchBucketPolicy", "ServerSideEncryptionConfigurationNotFoundError",
        "NoSuchPublicAccessBlockConfiguration", "ReplicationConfigurationNotFoundError", "NoSuchTagSet",
        "OwnershipControlsNotFoundError",
    ]

    /// Loads one source (directory or file).
    /// - Throws: `AuditSourceError` when the path does not exist or holds nothing auditable.
    public static func load(path: String) throws -> AuditInput {
        try load(paths: [path])
    }

    /// Loads several sources and merges them: the first source that describes an account or a
    /// bucket wins; inventory reports are attached to the bucket they list.
    public static func load(paths: [String]) throws -> AuditInput {
        var merged: AuditInput?
        for path in paths {
            let input = try loadOne(path: path)
            guard var current = merged else {
                merged = input
                continue
            }
            if current.account.accountId == nil { current.account = input.account }
            let known = Set(current.buckets.map(\.name))
            current.buckets += input.buckets.filter { !known.contains($0.name) }
            current.warnings += input.warnings
            merged = current
        }
        guard var result = merged else { throw AuditSourceError.notFound("(no source given)") }
        result.buckets.sort { $0.name < $1.name }
        return result
    }

    private static func loadOne(path: String) throws -> AuditInput {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw AuditSourceError.notFound(path)
        }
        if !isDirectory.boolValue {
            if url.lastPathComponent == "manifest.json" {
                throw AuditSourceError.unrecognised(
                    path: path,
                    reason: "an S3 Inventory manifest alone has no bucket configuration; put it under "
                        + "SOURCE/_inventory/ next to the AWS CLI or AWS Config files")
            }
            var warnings: [String] = []
            let (account, buckets) = try AWSConfigLoader.load(file: url, warnings: &warnings)
            guard !buckets.isEmpty else {
                throw AuditSourceError.unrecognised(path: path, reason: "no AWS::S3::Bucket configuration items")
            }
            return AuditInput(account: account, buckets: buckets, warnings: warnings)
        }
        return try AWSCLILoader.load(directory: url)
    }
}

/// Reads the AWS CLI directory layout.
enum AWSCLILoader {
    static func load(directory: URL) throws -> AuditInput {
        let fileManager = FileManager.default
        var warnings: [String] = []
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw AuditSourceError.unrecognised(path: directory.path, reason: "\(error.localizedDescription)")
        }
        let account = loadAccount(directory.appendingPathComponent("_account"), warnings: &warnings)
        var buckets: [BucketConfiguration] = []
        for entry in entries where !entry.hasPrefix("_") && !entry.hasPrefix(".") {
            let folder = directory.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { continue }
            buckets.append(loadBucket(name: entry, folder: folder))
        }
        var configAccount: AccountConfiguration?
        let configFolder = directory.appendingPathComponent("_config")
        if let files = try? fileManager.contentsOfDirectory(atPath: configFolder.path) {
            for file in files.sorted() where file.hasSuffix(".json") {
                do {
                    let (itemAccount, items) = try AWSConfigLoader.load(
                        file: configFolder.appendingPathComponent(file), warnings: &warnings)
                    if configAccount == nil, itemAccount.accountId != nil { configAccount = itemAccount }
                    let known = Set(buckets.map(\.name))
                    buckets += items.filter { !known.contains($0.name) }
                } catch {
                    warnings.append("_config/\(file): \(error)")
                }
            }
        }
        var resolvedAccount = account
        if resolvedAccount.accountId == nil, let configAccount {
            resolvedAccount.accountId = configAccount.accountId
            resolvedAccount.accountIdUnknownReason = nil
            if case .absent = resolvedAccount.blockPublicAccess {
                resolvedAccount.blockPublicAccess = configAccount.blockPublicAccess
            }
        }
        guard !buckets.isEmpty || fileManager.fileExists(atPath: directory.appendingPathComponent("_account").path)
        else {
            throw AuditSourceError.unrecognised(
                path: directory.path,
                reason: "no bucket folders (<bucket>/get-bucket-*.json) and no _account folder")
        }
        InventoryAttacher.attach(root: directory, to: &buckets, warnings: &warnings)
        return AuditInput(account: resolvedAccount, buckets: buckets, warnings: warnings)
    }

    /// The result of looking for one `aws` call's output.
    enum FileRead {
        case json(JSONValue)
        case missing
        case notConfigured(String)
        case failed(String)
    }

    /// Reads `<call>.json`, or `<call>.error` (the collector's record of a failed call).
    static func read(_ call: String, in folder: URL) -> FileRead {
        let jsonURL = folder.appendingPathComponent(call + ".json")
        let errorURL = folder.appendingPathComponent(call + ".error")
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: jsonURL.path) {
            let data: Data
            do {
                data = try Data(contentsOf: jsonURL)
            } catch {
                return .failed("\(call).json is unreadable: \(error.localizedDescription)")
            }
            do {
                return .json(try JSONValue.parse(data))
            } catch {
                return .failed("\(call).json: \(error.message)")
            }
        }
        if fileManager.fileExists(atPath: errorURL.path) {
            let text = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            if let code = AuditSource.notConfiguredErrors.first(where: { text.contains($0) }) {
                return .notConfigured(code)
            }
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "(empty error file)"
            return .failed("\(call) failed when collected: \(firstLine.trimmingCharacters(in: .whitespaces))")
        }
        return .missing
    }

    /// Turns a file read into an aspect; `missing` says what a missing file means.
    static func aspect<T>(
        _ call: String, in folder: URL, missing: Aspect<T>,
        parse: (JSONValue) throws(InputError) -> T?
    ) -> Aspect<T> {
        switch read(call, in: folder) {
        case .json(let json):
            do {
                guard let value = try parse(json) else { return .absent }
                return .present(value)
            } catch {
                return .unknown(reason: "\(call).json: \(error.message)")
            }
        case .missing: return missing
        case .notConfigured: return .absent
        case .failed(let reason): return .unknown(reason: reason)
        }
    }

    static func loadAccount(_ folder: URL, warnings: inout [String]) -> AccountConfiguration {
        var account = AccountConfiguration(accountId: nil)
        switch read("get-caller-identity", in: folder) {
        case .json(let json):
            if let id = json["Account"]?.stringValue {
                account.accountId = id
            } else {
                account.accountIdUnknownReason = "get-caller-identity.json has no Account"
            }
        case .missing:
            account.accountIdUnknownReason = "_account/get-caller-identity.json is missing"
        case .notConfigured(let code), .failed(let code):
            account.accountIdUnknownReason = code
        }
        if let reason = account.accountIdUnknownReason {
            warnings.append(
                "owner account unknown (\(reason)): every account that is not the organization's counts as external")
        }
        account.blockPublicAccess = aspect(
            "get-public-access-block", in: folder, missing: .absent, parse: ConfigurationParsers.blockPublicAccess)
        if case .unknown(let reason) = account.blockPublicAccess {
            account.blockPublicAccess = .unknown(reason: "account level: \(reason)")
        }
        switch read("list-accounts", in: folder) {
        case .json(let json):
            if let list = json["Accounts"]?.arrayValue {
                var ids: Set<String> = []
                for item in list {
                    if let id = item["Id"]?.stringValue { ids.insert(id) }
                    if account.organizationId == nil, let arn = item["Arn"]?.stringValue {
                        account.organizationId = organizationId(fromAccountArn: arn)
                    }
                }
                account.organizationAccounts = ids
            } else {
                warnings.append("list-accounts.json has no Accounts list: only the owner account is internal")
            }
        case .missing: break
        case .notConfigured(let reason), .failed(let reason):
            warnings.append("\(reason): only the owner account is internal")
        }
        return account
    }

    /// `arn:aws:organizations::111122223333:account/o-exampleorgid/444455556666` → `o-exampleorgid`.
    static func organizationId(fromAccountArn arn: String) -> String? {
        let parts = arn.split(separator: "/")
        guard parts.count >= 3, parts[1].hasPrefix("o-") else { return nil }
        return String(parts[1])
    }

    static func loadBucket(name: String, folder: URL) -> BucketConfiguration {
        typealias File = AuditSource.CLIFile
        var bucket = BucketConfiguration(name: name, origin: "aws-cli")
        bucket.policy = aspect(
            File.policy.rawValue, in: folder, missing: .absent, parse: ConfigurationParsers.policyText)
        bucket.acl = aspect(
            File.acl.rawValue, in: folder,
            missing: .unknown(reason: "\(File.acl.rawValue).json is missing"),
            parse: ConfigurationParsers.accessControlList)
        bucket.encryption = aspect(
            File.encryption.rawValue, in: folder, missing: .absent, parse: ConfigurationParsers.defaultEncryption)
        bucket.blockPublicAccess = aspect(
            File.publicAccessBlock.rawValue, in: folder, missing: .absent,
            parse: ConfigurationParsers.blockPublicAccess)
        bucket.objectOwnership = aspect(
            File.ownershipControls.rawValue, in: folder, missing: .absent,
            parse: ConfigurationParsers.objectOwnership)
        bucket.replication = aspect(
            File.replication.rawValue, in: folder, missing: .absent, parse: ConfigurationParsers.replication)
        bucket.versioning = aspect(
            File.versioning.rawValue, in: folder,
            missing: .unknown(reason: "\(File.versioning.rawValue).json is missing"),
            parse: ConfigurationParsers.versioning)
        bucket.tags = aspect(File.tagging.rawValue, in: folder, missing: .absent, parse: ConfigurationParsers.tags)
        bucket.region = aspect(
            File.location.rawValue, in: folder,
            missing: .unknown(reason: "\(File.location.rawValue).json is missing"),
            parse: ConfigurationParsers.region)
        return bucket
    }
}

/// Finds S3 Inventory manifests under `SOURCE/_inventory/` and `SOURCE/<bucket>/inventory/` and
/// attaches each to the bucket named by its `sourceBucket` (the newest report per bucket).
enum InventoryAttacher {
    static func attach(root: URL, to buckets: inout [BucketConfiguration], warnings: inout [String]) {
        var manifests: [URL] = []
        manifests += findManifests(under: root.appendingPathComponent("_inventory"))
        for bucket in buckets {
            manifests += findManifests(
                under: root.appendingPathComponent(bucket.name).appendingPathComponent("inventory"))
        }
        var newest: [String: (Double, Result<InventoryReport, InventoryError>)] = [:]
        for url in manifests {
            do {
                let report = try InventoryReport.open(manifestAt: url)
                let stamp = Double(report.manifest.creationTimestamp ?? "") ?? 0
                let name = report.manifest.sourceBucket
                if let existing = newest[name], existing.0 > stamp { continue }
                newest[name] = (stamp, .success(report))
            } catch let error as InventoryError {
                // Attribute the failure to the bucket folder it sits in, when it does.
                let relative = url.path.dropFirst(root.path.count).split(separator: "/").map(String.init)
                if let first = relative.first, first != "_inventory", newest[first] == nil {
                    newest[first] = (-1, .failure(error))
                } else if let sourceBucket = sourceBucketName(of: url), newest[sourceBucket] == nil {
                    newest[sourceBucket] = (-1, .failure(error))
                } else {
                    warnings.append("\(error)")
                }
            } catch {
                warnings.append("\(url.path): \(error)")
            }
        }
        for index in buckets.indices {
            if let (_, result) = newest.removeValue(forKey: buckets[index].name) {
                buckets[index].inventory = [result]
            }
        }
        for name in newest.keys.sorted() {
            warnings.append("S3 Inventory report for bucket '\(name)' has no matching bucket configuration")
        }
    }

    private static func sourceBucketName(of manifest: URL) -> String? {
        guard let data = try? Data(contentsOf: manifest), let json = try? JSONValue.parse(data) else { return nil }
        return json["sourceBucket"]?.stringValue
    }

    private static func findManifests(under folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [URL] = []
        while let relative = enumerator.nextObject() as? String {
            if (relative as NSString).lastPathComponent == "manifest.json" {
                found.append(folder.appendingPathComponent(relative))
            }
        }
        return found.sorted { $0.path < $1.path }
    }
}
