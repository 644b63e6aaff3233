import Foundation
import TrawlObjects

/// Readers for the configuration shapes printed by the AWS CLI (`PascalCase`) and stored by
/// AWS Config (`camelCase`). Keys are matched case-insensitively (see `JSONValue`), so one reader
/// serves both where the names agree.
enum ConfigurationParsers {
    static let allUsersURI = "http://acs.amazonaws.com/groups/global/AllUsers"
    static let authenticatedUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    static let logDeliveryURI = "http://acs.amazonaws.com/groups/s3/LogDelivery"

    /// `{"PublicAccessBlockConfiguration": {...}}` or the inner object. Missing flags are off.
    static func blockPublicAccess(_ json: JSONValue) throws(InputError) -> BlockPublicAccess {
        let inner = json["PublicAccessBlockConfiguration"] ?? json
        guard case .object = inner else {
            throw InputError("PublicAccessBlockConfiguration is not an object")
        }
        func flag(_ name: String) throws(InputError) -> Bool {
            guard let value = inner[name], value != .null else { return false }
            guard let flag = value.boolValue else { throw InputError("\(name) is not a boolean") }
            return flag
        }
        return BlockPublicAccess(
            blockPublicAcls: try flag("BlockPublicAcls"), ignorePublicAcls: try flag("IgnorePublicAcls"),
            blockPublicPolicy: try flag("BlockPublicPolicy"),
            restrictPublicBuckets: try flag("RestrictPublicBuckets"))
    }

    /// `get-bucket-acl` output, or AWS Config's `AccessControlList` (already unwrapped from its
    /// JSON string): `{"grantList": [{"grantee": ..., "permission": "FullControl"}], "owner": {...}}`.
    static func accessControlList(_ json: JSONValue) throws(InputError) -> AccessControlList {
        guard case .object = json else { throw InputError("the ACL is not a JSON object") }
        let owner = json["Owner"]
        let grantsValue = json.member("Grants", "grantList")
        var grants: [ACLGrant] = []
        if let grantsValue {
            guard let items = grantsValue.arrayValue else { throw InputError("Grants is not a list") }
            for (index, item) in items.enumerated() {
                guard let permission = item["Permission"]?.stringValue else {
                    throw InputError("grant \(index) has no Permission")
                }
                guard let grantee = try Self.grantee(item["Grantee"], index: index) else { continue }
                grants.append(ACLGrant(grantee: grantee, permission: normalisePermission(permission)))
            }
        } else {
            throw InputError("the ACL has no Grants")
        }
        return AccessControlList(
            ownerID: owner?.member("ID", "id")?.stringValue,
            ownerDisplayName: owner?.member("DisplayName")?.stringValue,
            grants: grants)
    }

    private static func grantee(_ json: JSONValue?, index: Int) throws(InputError) -> ACLGrant.Grantee? {
        guard let json else { throw InputError("grant \(index) has no Grantee") }
        switch json {
        case .string(let name):
            // AWS Config writes groups by name.
            switch name.lowercased() {
            case "allusers": return .group(uri: allUsersURI)
            case "authenticatedusers": return .group(uri: authenticatedUsersURI)
            case "logdelivery": return .group(uri: logDeliveryURI)
            default:
                if name.hasPrefix("http") { return .group(uri: name) }
                return .canonicalUser(id: name, displayName: nil)
            }
        case .object:
            if let uri = json["URI"]?.stringValue { return .group(uri: uri) }
            if let email = json["EmailAddress"]?.stringValue { return .email(email) }
            if let id = json.member("ID", "identifier")?.stringValue {
                let type = json.member("typeIdentifier")?.stringValue?.lowercased()
                if type == "uri" { return .group(uri: id) }
                if type == "emailaddress" { return .email(id) }
                return .canonicalUser(id: id, displayName: json["DisplayName"]?.stringValue)
            }
            throw InputError("grant \(index) has a Grantee with no ID, URI or EmailAddress")
        default:
            throw InputError("grant \(index) has a Grantee that is not an object")
        }
    }

    /// `FullControl` → `FULL_CONTROL`, `ReadAcp` → `READ_ACP`.
    static func normalisePermission(_ text: String) -> String {
        if text.contains("_") || text == text.uppercased() { return text.uppercased() }
        var out = ""
        for (index, character) in text.enumerated() {
            if character.isUppercase && index > 0 { out.append("_") }
            out.append(character)
        }
        return out.uppercased()
    }

    /// `get-bucket-encryption` output or AWS Config's `ServerSideEncryptionConfiguration`.
    /// Returns nil when there is no rule with a default (no default encryption).
    static func defaultEncryption(_ json: JSONValue) throws(InputError) -> DefaultEncryption? {
        let inner = json["ServerSideEncryptionConfiguration"] ?? json
        guard case .object = inner else { throw InputError("ServerSideEncryptionConfiguration is not an object") }
        guard let rules = inner["Rules"] else { return nil }
        guard let list = rules.arrayValue else { throw InputError("Rules is not a list") }
        for rule in list {
            guard let apply = rule["ApplyServerSideEncryptionByDefault"], apply != .null else { continue }
            guard let algorithm = apply["SSEAlgorithm"]?.stringValue else {
                throw InputError("ApplyServerSideEncryptionByDefault has no SSEAlgorithm")
            }
            return DefaultEncryption(
                algorithm: algorithm,
                kmsMasterKeyId: apply.member("KMSMasterKeyID")?.stringValue,
                bucketKeyEnabled: rule["BucketKeyEnabled"]?.boolValue)
        }
        return nil
    }

    /// `get-bucket-replication` output or AWS Config's `BucketReplicationConfiguration` (whose
    /// `rules` is a map from rule name to rule, with `destinationConfig.bucketARN`).
    static func replication(_ json: JSONValue) throws(InputError) -> [ReplicationRule] {
        let inner = json["ReplicationConfiguration"] ?? json
        guard case .object = inner else { throw InputError("ReplicationConfiguration is not an object") }
        guard let rulesValue = inner["Rules"], rulesValue != .null else { return [] }
        var named: [(String?, JSONValue)] = []
        switch rulesValue {
        case .array(let items): named = items.map { (nil, $0) }
        case .object(let members): named = members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        default: throw InputError("Rules is neither a list nor a map")
        }
        var rules: [ReplicationRule] = []
        for (index, (name, rule)) in named.enumerated() {
            guard let destination = rule.member("Destination", "destinationConfig") else {
                throw InputError("replication rule \(index) has no Destination")
            }
            guard let bucket = destination.member("Bucket", "bucketARN")?.stringValue else {
                throw InputError("replication rule \(index) has no destination Bucket")
            }
            let status = rule["Status"]?.stringValue ?? "Enabled"
            rules.append(
                ReplicationRule(
                    id: rule.member("ID")?.stringValue ?? name, enabled: status.lowercased() == "enabled",
                    destinationBucket: bucket,
                    destinationAccount: destination.member("Account", "accountId")?.stringValue))
        }
        return rules
    }

    /// Versioning status, or nil when never enabled (`{}` from the CLI, `Off` in AWS Config).
    static func versioning(_ json: JSONValue) throws(InputError) -> String? {
        guard case .object = json else { throw InputError("versioning output is not an object") }
        guard let status = json["Status"]?.stringValue, status.lowercased() != "off" else { return nil }
        return status
    }

    /// `{"TagSet": [{"Key": k, "Value": v}]}`, AWS Config's `{"tagSets": [{"tags": {k: v}}]}` or a
    /// plain `{k: v}` map (a configuration item's `tags`).
    static func tags(_ json: JSONValue) throws(InputError) -> [String: String] {
        if let set = json["TagSet"] {
            guard let items = set.arrayValue else { throw InputError("TagSet is not a list") }
            var tags: [String: String] = [:]
            for item in items {
                guard let key = item["Key"]?.stringValue else { throw InputError("a tag has no Key") }
                tags[key] = item["Value"]?.stringValue ?? ""
            }
            return tags
        }
        if let sets = json["tagSets"]?.arrayValue {
            var tags: [String: String] = [:]
            for set in sets {
                for (key, value) in set["tags"]?.objectValue ?? [:] { tags[key] = value.stringValue ?? "" }
            }
            return tags
        }
        guard let members = json.objectValue else { throw InputError("tags are not an object") }
        return members.compactMapValues(\.stringValue)
    }

    /// `get-bucket-location`: a null or empty `LocationConstraint` is us-east-1, `EU` is eu-west-1.
    static func region(_ json: JSONValue) throws(InputError) -> String {
        guard case .object = json else { throw InputError("location output is not an object") }
        let constraint = json["LocationConstraint"]?.stringValue ?? ""
        switch constraint {
        case "": return "us-east-1"
        case "EU": return "eu-west-1"
        default: return constraint
        }
    }

    /// `get-bucket-ownership-controls`: the first rule's `ObjectOwnership`.
    static func objectOwnership(_ json: JSONValue) throws(InputError) -> String? {
        let inner = json["OwnershipControls"] ?? json
        guard let rules = inner["Rules"]?.arrayValue else { throw InputError("OwnershipControls has no Rules") }
        return rules.first?["ObjectOwnership"]?.stringValue
    }

    /// `get-bucket-policy` output: `{"Policy": "<policy JSON as a string>"}`.
    static func policyText(_ json: JSONValue) throws(InputError) -> BucketPolicyText {
        guard let policy = json["Policy"] else {
            throw InputError("the file has no Policy member (expected {\"Policy\": \"<JSON>\"})")
        }
        switch policy {
        case .string(let text): return BucketPolicyText(text)
        case .object:
            throw InputError("Policy is an object; `aws s3api get-bucket-policy` prints it as a JSON string")
        default: throw InputError("Policy is not a string")
        }
    }
}
