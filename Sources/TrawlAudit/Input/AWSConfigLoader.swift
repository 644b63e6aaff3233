import Foundation
import TrawlObjects

/// Reads AWS Config files: a snapshot or history file (`{"configurationItems": [...]}`), an
/// invoking event (`{"configurationItem": {...}}`), a bare item, or a list of items. Items for
/// `AWS::S3::Bucket` become buckets; `AWS::S3::AccountPublicAccessBlock` sets the account level.
///
/// `supplementaryConfiguration` members are objects in snapshot files and JSON strings in the
/// `get-resource-config-history` API output; both are accepted. `AccessControlList` is always a
/// JSON string; `BucketPolicy.policyText` is the policy as a string (null when there is none).
enum AWSConfigLoader {
    static func load(file: URL, warnings: inout [String]) throws -> (AccountConfiguration, [BucketConfiguration]) {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw AuditSourceError.unrecognised(path: file.path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw AuditSourceError.unrecognised(path: file.path, reason: error.message)
        }
        let items: [JSONValue]
        if let list = json["configurationItems"]?.arrayValue {
            items = list
        } else if let item = json["configurationItem"] {
            items = [item]
        } else if let list = json.arrayValue {
            items = list
        } else if json["resourceType"] != nil {
            items = [json]
        } else {
            throw AuditSourceError.unrecognised(
                path: file.path, reason: "not an AWS Config file (no configurationItems or resourceType)")
        }
        var account = AccountConfiguration(accountId: nil)
        var buckets: [BucketConfiguration] = []
        for (index, item) in items.enumerated() {
            let type = item["resourceType"]?.stringValue ?? ""
            let status = item["configurationItemStatus"]?.stringValue ?? "OK"
            if status == "ResourceDeleted" || status == "ResourceNotRecorded" || status == "ResourceDeletedNotRecorded"
            {
                continue
            }
            if account.accountId == nil, let id = item["awsAccountId"]?.stringValue { account.accountId = id }
            switch type {
            case "AWS::S3::Bucket":
                if let bucket = bucket(from: item) {
                    buckets.append(bucket)
                } else {
                    warnings.append("\(file.lastPathComponent): configuration item \(index) has no bucket name")
                }
            case "AWS::S3::AccountPublicAccessBlock":
                let configuration = (try? item["configuration"]?.unwrappingJSONString()) ?? .null
                do {
                    account.blockPublicAccess = .present(try ConfigurationParsers.blockPublicAccess(configuration))
                } catch {
                    account.blockPublicAccess = .unknown(reason: "AWS Config account public access block: \(error)")
                }
            default:
                continue
            }
        }
        if account.accountId == nil {
            account.accountIdUnknownReason = "the AWS Config items do not name the account"
        }
        return (account, buckets)
    }

    static func bucket(from item: JSONValue) -> BucketConfiguration? {
        let configuration: JSONValue
        do {
            configuration = try item["configuration"]?.unwrappingJSONString() ?? .null
        } catch {
            configuration = .null
        }
        guard
            let name = item["resourceName"]?.stringValue ?? configuration["name"]?.stringValue
                ?? item["resourceId"]?.stringValue
        else { return nil }
        var bucket = BucketConfiguration(name: name, origin: "aws-config")
        if let region = item["awsRegion"]?.stringValue {
            bucket.region = .present(region)
        } else {
            bucket.region = .unknown(reason: "AWS Config item has no awsRegion")
        }
        let created = item["resourceCreationTime"]?.stringValue ?? configuration["creationDate"]?.stringValue
        bucket.createdAt = created.flatMap(parseDate)
        let supplementary = item["supplementaryConfiguration"] ?? .object([:])

        func member(_ name: String) -> Aspect<JSONValue> {
            guard let value = supplementary[name], value != .null else { return .absent }
            do {
                return .present(try value.unwrappingJSONString())
            } catch {
                return .unknown(reason: "AWS Config \(name): \(error.message)")
            }
        }
        func parsed<T>(_ name: String, missing: Aspect<T>, _ parse: (JSONValue) throws(InputError) -> T?) -> Aspect<T> {
            switch member(name) {
            case .absent: return missing
            case .unknown(let reason): return .unknown(reason: reason)
            case .present(let json):
                do {
                    guard let value = try parse(json) else { return .absent }
                    return .present(value)
                } catch {
                    return .unknown(reason: "AWS Config \(name): \(error.message)")
                }
            }
        }

        bucket.policy = parsed("BucketPolicy", missing: .unknown(reason: "AWS Config item has no BucketPolicy")) {
            json throws(InputError) -> BucketPolicyText? in
            guard let text = json["policyText"], text != .null else { return nil }
            guard let string = text.stringValue else { throw InputError("policyText is not a string") }
            return BucketPolicyText(string)
        }
        var acl: Aspect<AccessControlList> = parsed(
            "AccessControlList", missing: .unknown(reason: "AWS Config item has no AccessControlList"),
            ConfigurationParsers.accessControlList)
        if case .present(var list) = acl, list.ownerID == nil {
            list.ownerID = configuration["owner"]?["id"]?.stringValue
            acl = .present(list)
        }
        bucket.acl = acl
        bucket.encryption = parsed(
            "ServerSideEncryptionConfiguration", missing: .absent, ConfigurationParsers.defaultEncryption)
        bucket.blockPublicAccess = parsed(
            "PublicAccessBlockConfiguration", missing: .absent, ConfigurationParsers.blockPublicAccess)
        bucket.replication = parsed(
            "BucketReplicationConfiguration", missing: .absent, ConfigurationParsers.replication)
        bucket.versioning = parsed("BucketVersioningConfiguration", missing: .absent, ConfigurationParsers.versioning)
        bucket.objectOwnership = parsed("BucketOwnershipControls", missing: .absent) { json throws(InputError) in
            let rules = json.member("rules", "Rules", "OwnershipControls")
            return rules?.arrayValue?.first?.member("objectOwnership", "ObjectOwnership")?.stringValue
        }
        if let tags = item["tags"], tags != .null {
            bucket.tags =
                (try? ConfigurationParsers.tags(tags)).map { .present($0) }
                ?? .unknown(reason: "AWS Config tags are malformed")
        } else {
            bucket.tags = parsed("BucketTaggingConfiguration", missing: .absent, ConfigurationParsers.tags)
        }
        return bucket
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let millis = Double(text) { return Date(timeIntervalSince1970: millis > 1e11 ? millis / 1000 : millis) }
        return nil
    }
}
