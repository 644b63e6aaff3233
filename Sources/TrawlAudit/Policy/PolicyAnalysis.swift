import Foundation

/// Who a statement lets in, as far as sharing is concerned.
public enum Grantee: Sendable, Hashable, CustomStringConvertible {
    case account(String)
    case organization(String)
    case cloudFrontOAI(String)
    case cloudFrontOAC(String?)
    case canonicalUser(String)
    case service(String)
    case federated(String)
    /// Access pinned to a network (VPC, VPC endpoint, source IPs) rather than to an account.
    case network(String)
    /// Pinned to a fixed value whose account cannot be worked out offline.
    case unresolved(String)

    public var description: String {
        switch self {
        case .account(let id): "account \(id)"
        case .organization(let id): "organization \(id)"
        case .cloudFrontOAI(let id): "CloudFront origin access identity \(id)"
        case .cloudFrontOAC(let arn): "CloudFront origin access control" + (arn.map { " (\($0))" } ?? "")
        case .canonicalUser(let id): "canonical user \(id)"
        case .service(let name): "service \(name)"
        case .federated(let name): "federated provider \(name)"
        case .network(let what): "network \(what)"
        case .unresolved(let what): what
        }
    }
}

/// What one Allow statement of a bucket policy does to this bucket.
public struct StatementAssessment: Sendable, Equatable {
    public var index: Int
    public var label: String
    /// Bad actions (read side: `s3:Get*`, `s3:List*`) the statement allows.
    public var readActions: [String]
    /// Bad actions (write side: `s3:Put*`, `s3:Delete*`, abort, restore) the statement allows.
    public var writeActions: [String]
    /// The principal is everyone (`*`, `{"AWS": "*"}`, or `NotPrincipal` with Allow).
    public var everyonePrincipal: Bool
    /// True when the statement makes the bucket public.
    public var isPublic: Bool
    /// For an everyone-principal statement that is not public: the condition or Deny statement
    /// that pins it, as text.
    public var neutralisedBy: String?
    /// Who the statement shares with.
    public var grantees: [Grantee]
    /// Why it does not matter here (`does not apply to this bucket`), if so.
    public var ignoredBecause: String?
}

/// A bucket policy analysed for one bucket, the way S3's policy-status logic (and Macie) reads it.
public struct PolicyAnalysis: Sendable, Equatable {
    public var document: PolicyDocument
    public var statements: [StatementAssessment]
    /// The Deny statement that requires an SSE header on PutObject, if any.
    public var encryptionRequiredBy: String?

    public var allowsPublicRead: Bool { statements.contains { $0.isPublic && !$0.readActions.isEmpty } }
    public var allowsPublicWrite: Bool { statements.contains { $0.isPublic && !$0.writeActions.isEmpty } }

    /// Condition keys whose fixed values make a statement non-public (S3's "fixed values" list).
    static let pinningKeys: Set<String> = [
        "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid", "aws:principalorgid",
        "aws:principalaccount", "aws:principalarn", "aws:sourceip",
    ]

    /// Analyses `document` for `bucket` (owned by `ownerAccount`, whose ACL owner is
    /// `ownerCanonicalId`).
    public static func analyse(
        _ document: PolicyDocument, bucket: String, ownerAccount: String?
    ) -> PolicyAnalysis {
        let bucketArn = "arn:\(AWSPartition.of(document)):s3:::\(bucket)"
        var assessments: [StatementAssessment] = []
        for statement in document.statements where statement.effect == .allow {
            assessments.append(assess(statement, in: document, bucket: bucket, bucketArn: bucketArn))
        }
        return PolicyAnalysis(
            document: document, statements: assessments,
            encryptionRequiredBy: encryptionRequirement(document, bucketArn: bucketArn, ownerAccount: ownerAccount))
    }

    /// - Parameter bucketArn: the bucket's ARN in the policy's partition.
    static func assess(_ statement: PolicyStatement, in document: PolicyDocument, bucket: String, bucketArn: String)
        -> StatementAssessment
    {
        let actions = S3Actions.granted(by: statement)
        var result = StatementAssessment(
            index: statement.index, label: statement.label,
            readActions: actions.filter(S3Actions.isRead), writeActions: actions.filter(S3Actions.isWrite),
            everyonePrincipal: statement.notPrincipal != nil || statement.principal?.includesEveryone == true,
            isPublic: false, neutralisedBy: nil, grantees: [], ignoredBecause: nil)
        guard appliesToBucket(statement, bucketArn: bucketArn) else {
            result.ignoredBecause = "its Resource does not cover bucket \(bucket) or its objects"
            return result
        }
        if !result.everyonePrincipal {
            result.grantees = (statement.principal?.entries ?? []).map(grantee(of:))
            return result
        }
        if let clause = statement.conditions.first(where: isPinning) {
            result.neutralisedBy = "Condition \(clause.description)"
            result.grantees = grantees(pinnedBy: clause)
            return result
        }
        let bad = result.readActions + result.writeActions
        if let (deny, clause) = neutralisingDeny(for: statement, badActions: bad, in: document, bucketArn: bucketArn) {
            result.neutralisedBy =
                "\(deny.label) denies every request unless \(clause.key) is \(clause.values.joined(separator: " or "))"
            result.grantees = grantees(pinnedBy: clause)
            return result
        }
        if bad.isEmpty {
            result.ignoredBecause =
                "it allows none of the actions that expose data (s3:Get*, s3:List*, s3:Put*, s3:Delete*, s3:AbortMultipartUpload, s3:RestoreObject)"
            return result
        }
        result.isPublic = true
        return result
    }

    /// A fixed, non-wildcard, variable-free value.
    static func isFixed(_ value: String, key: String) -> Bool {
        if value.contains("${") || value.isEmpty { return false }
        if key == "aws:userid", value.hasSuffix(":*") {
            // "AROLEID:*" names every session of one role: still a fixed principal.
            let id = value.dropLast(2)
            return !id.isEmpty && !id.contains("*") && !id.contains("?")
        }
        return !value.contains("*") && !value.contains("?")
    }

    /// `aws:SourceIp` values that name a bounded set of networks: all valid CIDR blocks whose union
    /// is neither every IPv4 nor every IPv6 address (`0.0.0.0/1` + `128.0.0.0/1` is everyone).
    static func isFixedAddressSet(_ values: [String]) -> Bool {
        let blocks = values.compactMap(CIDRBlock.init)
        return blocks.count == values.count && !CIDRBlock.unionCoversAnAddressFamily(blocks)
    }

    /// Whether a condition clause on an Allow pins access to fixed values (making it non-public).
    static func isPinning(_ clause: ConditionClause) -> Bool {
        let key = clause.key.lowercased()
        guard pinningKeys.contains(key), let op = ConditionOperator(clause.op) else { return false }
        guard !op.ifExists, op.qualifier != .forAllValues, !op.base.isNegated, !clause.values.isEmpty else {
            return false
        }
        if key == "aws:sourceip" {
            return op.base == .ipAddress && isFixedAddressSet(clause.values)
        }
        switch op.base {
        case .stringEquals, .stringEqualsIgnoreCase, .stringLike, .arnEquals, .arnLike:
            return clause.values.allSatisfy { isFixed($0, key: key) }
        default:
            return false
        }
    }

    /// A Deny for everyone whose only condition is "unless <pinning key> is <fixed values>"
    /// (`StringNotEquals aws:SourceVpce vpce-1`, `NotIpAddress aws:SourceIp 10.0.0.0/8`), covering
    /// the Allow's actions and resources: together they only let the pinned requests in.
    static func neutralisingDeny(
        for allow: PolicyStatement, badActions: [String], in document: PolicyDocument, bucketArn: String
    ) -> (PolicyStatement, ConditionClause)? {
        for deny in document.statements where deny.effect == .deny {
            guard deny.principal?.includesEveryone == true, deny.conditions.count == 1 else { continue }
            let clause = deny.conditions[0]
            let key = clause.key.lowercased()
            guard pinningKeys.contains(key), let op = ConditionOperator(clause.op), op.base.isNegated,
                !op.ifExists, op.qualifier == nil
            else { continue }
            let fixed: Bool
            if key == "aws:sourceip" {
                fixed = op.base == .notIpAddress && isFixedAddressSet(clause.values)
            } else {
                fixed =
                    [.stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .arnNotEquals, .arnNotLike]
                    .contains(op.base) && clause.values.allSatisfy { isFixed($0, key: key) }
            }
            guard fixed else { continue }
            let denied = Set(S3Actions.granted(by: deny).map { $0.lowercased() })
            let coversActions = badActions.allSatisfy { action in
                denied.contains(action.lowercased())
                    || (deny.actions ?? []).contains { PolicyEvaluator.actionMatches($0, action) }
            }
            guard coversActions, denyCovers(deny, resourcesOf: allow, bucketArn: bucketArn) else { continue }
            return (deny, clause)
        }
        return nil
    }

    /// Whether the Deny's Resource covers every resource the Allow names (a Deny pattern matches
    /// the Allow pattern taken literally), or the bucket and all its objects when the Allow uses
    /// NotResource.
    static func denyCovers(_ deny: PolicyStatement, resourcesOf allow: PolicyStatement, bucketArn: String) -> Bool {
        if deny.notResources != nil { return false }
        let patterns = deny.resources ?? ["*"]
        if let allowed = allow.resources {
            return allowed.allSatisfy { resource in patterns.contains { Wildcard($0).matches(resource) } }
        }
        let coversBucket = patterns.contains { Wildcard($0).matches(bucketArn) }
        let coversObjects = patterns.contains { Wildcard($0).matchesEverything(startingWith: bucketArn + "/") }
        return coversBucket && coversObjects
    }

    /// Whether the statement's Resource/NotResource reaches the bucket or any of its objects.
    static func appliesToBucket(_ statement: PolicyStatement, bucketArn arn: String) -> Bool {
        func loosened(_ pattern: String) -> Wildcard {
            // An unresolved policy variable could be anything.
            var text = pattern
            while let start = text.range(of: "${"), let end = text[start.upperBound...].firstIndex(of: "}") {
                text.replaceSubrange(start.lowerBound...end, with: "*")
            }
            return Wildcard(text)
        }
        if let resources = statement.resources {
            return resources.contains { pattern in
                let matcher = loosened(pattern)
                return matcher.matches(arn) || matcher.canMatchSomething(startingWith: arn + "/")
            }
        }
        if let notResources = statement.notResources {
            let matchers = notResources.map(loosened)
            let bucketExcluded = matchers.contains { $0.matches(arn) }
            let objectsExcluded = matchers.contains { $0.matchesEverything(startingWith: arn + "/") }
            return !(bucketExcluded && objectsExcluded)
        }
        return true
    }

    /// The grantee named by one principal entry.
    static func grantee(of entry: PrincipalSpec.Entry) -> Grantee {
        switch entry.type {
        case "Service":
            return entry.value.lowercased() == "cloudfront.amazonaws.com" ? .cloudFrontOAC(nil) : .service(entry.value)
        case "CanonicalUser": return .canonicalUser(entry.value)
        case "Federated": return .federated(entry.value)
        default:
            if entry.value.contains(":cloudfront:user/CloudFront Origin Access Identity") {
                return .cloudFrontOAI(String(entry.value.split(separator: " ").last ?? ""))
            }
            if let account = PolicyEvaluator.account(ofArn: entry.value) { return .account(account) }
            return .unresolved("principal \(entry.value)")
        }
    }

    /// Who an everyone-principal statement reaches once a pinning condition applies.
    static func grantees(pinnedBy clause: ConditionClause) -> [Grantee] {
        let key = clause.key.lowercased()
        return clause.values.map { value in
            switch key {
            case "aws:principalorgid": return .organization(value)
            case "aws:principalaccount", "aws:sourceaccount", "aws:sourceowner":
                return PolicyEvaluator.isAccountID(value) ? .account(value) : .unresolved("\(clause.key) \(value)")
            case "aws:principalarn", "aws:sourcearn", "s3:x-amz-server-side-encryption-aws-kms-key-id":
                if AWSPartition.service(ofArn: value) == "cloudfront" {
                    return .cloudFrontOAC(value)
                }
                return PolicyEvaluator.account(ofArn: value).map(Grantee.account)
                    ?? .unresolved("\(clause.key) \(value) (no account in the ARN)")
            case "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip": return .network("\(clause.key) \(value)")
            default: return .unresolved("\(clause.key) \(value)")
            }
        }
    }

    /// The Deny statement that refuses PutObject without an SSE header but lets one with
    /// `x-amz-server-side-encryption` (AES256, aws:kms, aws:kms:dsse) or an SSE-C algorithm through.
    static func encryptionRequirement(_ document: PolicyDocument, bucketArn: String, ownerAccount: String?) -> String? {
        let partition = AWSPartition.of(document)
        let principal = RequestPrincipal.iam(
            arn: "arn:\(partition):iam::\(ownerAccount ?? "000000000000"):role/trawl-audit-probe")
        let resource = "\(bucketArn)/trawl-audit-probe"
        let base: [String: [String]] = ["aws:SecureTransport": ["true"]]
        let plain = PolicyRequest(principal: principal, action: "s3:PutObject", resource: resource, context: base)
        let withoutHeader = PolicyEvaluator.evaluate(document, plain)
        guard withoutHeader.outcome == .explicitDeny else { return nil }
        let headers: [[String: [String]]] = [
            ["s3:x-amz-server-side-encryption": ["AES256"]],
            ["s3:x-amz-server-side-encryption": ["aws:kms"]],
            ["s3:x-amz-server-side-encryption": ["aws:kms:dsse"]],
            ["s3:x-amz-server-side-encryption-customer-algorithm": ["AES256"]],
        ]
        for header in headers {
            let request = PolicyRequest(
                principal: principal, action: "s3:PutObject", resource: resource,
                context: base.merging(header) { $1 })
            let decision = PolicyEvaluator.evaluate(document, request)
            let released = Set(withoutHeader.statements).subtracting(
                decision.outcome == .explicitDeny ? decision.statements : [])
            if let index = released.min(), let statement = document.statements.first(where: { $0.index == index }) {
                return statement.label
            }
        }
        return nil
    }
}
