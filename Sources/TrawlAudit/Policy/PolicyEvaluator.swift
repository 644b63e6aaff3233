import Foundation

/// Who makes a request.
public enum RequestPrincipal: Sendable, Equatable {
    /// An unauthenticated request.
    case anonymous
    /// An IAM identity: `arn:aws:iam::123456789012:role/x`, `...:user/x`, `...:root`, or an STS
    /// assumed-role session ARN.
    case iam(arn: String)
    /// An AWS service principal such as `cloudfront.amazonaws.com`.
    case service(String)
    /// A canonical user ID (ACL-era identity, CloudFront OAI canonical IDs).
    case canonicalUser(String)
    /// A federated identity provider (`cognito-identity.amazonaws.com`, a SAML provider ARN).
    case federated(String)

    /// The 12-digit account of an IAM principal.
    public var account: String? {
        guard case .iam(let arn) = self else { return nil }
        return PolicyEvaluator.account(ofArn: arn)
    }
}

/// A request to evaluate: principal, action, resource ARN and condition keys.
public struct PolicyRequest: Sendable {
    public var principal: RequestPrincipal
    public var action: String
    public var resource: String
    public var context: ConditionContext

    public init(principal: RequestPrincipal, action: String, resource: String, context: [String: [String]] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        var keys = context
        // Principal keys IAM adds on its own, unless the caller set them.
        if case .iam(let arn) = principal {
            if keys["aws:PrincipalArn"] == nil { keys["aws:PrincipalArn"] = [arn] }
            if keys["aws:PrincipalAccount"] == nil, let account = PolicyEvaluator.account(ofArn: arn) {
                keys["aws:PrincipalAccount"] = [account]
            }
            if keys["aws:PrincipalType"] == nil {
                keys["aws:PrincipalType"] = [
                    arn.hasSuffix(":root") ? "Account" : (arn.contains(":user/") ? "User" : "AssumedRole")
                ]
            }
        } else if case .anonymous = principal, keys["aws:PrincipalType"] == nil {
            keys["aws:PrincipalType"] = ["Anonymous"]
        } else if case .service(let name) = principal, keys["aws:PrincipalServiceName"] == nil {
            keys["aws:PrincipalServiceName"] = [name]
        }
        self.context = ConditionContext(keys)
    }
}

/// The outcome of evaluating a resource policy for one request.
public struct PolicyDecision: Sendable, Equatable {
    public enum Outcome: String, Sendable { case allowed, explicitDeny, implicitDeny }

    public var outcome: Outcome
    /// The statements that applied (the denying ones for an explicit deny).
    public var statements: [Int]
}

/// Evaluates a resource policy for a request: an explicit Deny wins, then any Allow, else the
/// request is implicitly denied (identity policies and SCPs are out of scope).
public enum PolicyEvaluator {
    public static func evaluate(_ policy: PolicyDocument, _ request: PolicyRequest) -> PolicyDecision {
        var allows: [Int] = []
        var denies: [Int] = []
        for statement in policy.statements where applies(statement, to: request) {
            if statement.effect == .deny { denies.append(statement.index) } else { allows.append(statement.index) }
        }
        if !denies.isEmpty { return PolicyDecision(outcome: .explicitDeny, statements: denies) }
        if !allows.isEmpty { return PolicyDecision(outcome: .allowed, statements: allows) }
        return PolicyDecision(outcome: .implicitDeny, statements: [])
    }

    /// Whether a statement matches the request (principal, action, resource and conditions).
    public static func applies(_ statement: PolicyStatement, to request: PolicyRequest) -> Bool {
        if let principal = statement.principal, !principalMatches(principal, request.principal) { return false }
        if let notPrincipal = statement.notPrincipal, principalMatches(notPrincipal, request.principal) { return false }
        if let actions = statement.actions, !actions.contains(where: { actionMatches($0, request.action) }) {
            return false
        }
        if let notActions = statement.notActions, notActions.contains(where: { actionMatches($0, request.action) }) {
            return false
        }
        if let resources = statement.resources,
            !resources.contains(where: { resourceMatches($0, request.resource, request.context) })
        {
            return false
        }
        if let notResources = statement.notResources,
            notResources.contains(where: { resourceMatches($0, request.resource, request.context) })
        {
            return false
        }
        return ConditionEvaluator.holds(statement.conditions, in: request.context)
    }

    /// Actions compare case-insensitively, with wildcards.
    public static func actionMatches(_ pattern: String, _ action: String) -> Bool {
        Wildcard(pattern, caseSensitive: false).matches(action)
    }

    static func resourceMatches(_ pattern: String, _ resource: String, _ context: ConditionContext) -> Bool {
        guard let resolved = context.substitute(pattern) else { return false }
        return ConditionEvaluator.arnMatches(pattern: resolved, arn: resource)
    }

    public static func principalMatches(_ spec: PrincipalSpec, _ principal: RequestPrincipal) -> Bool {
        if spec.isBareWildcard { return true }
        for entry in spec.entries {
            switch (entry.type, principal) {
            case ("AWS", _) where entry.value == "*":
                return true
            case ("AWS", .iam(let arn)):
                if awsPrincipalMatches(entry.value, arn: arn) { return true }
            case ("Service", .service(let name)):
                if entry.value.lowercased() == name.lowercased() { return true }
            case ("CanonicalUser", .canonicalUser(let id)):
                if entry.value == "*" || entry.value == id { return true }
            case ("Federated", .federated(let provider)):
                if entry.value == provider { return true }
            default:
                continue
            }
        }
        return false
    }

    /// `123456789012` and `arn:aws:iam::123456789012:root` name every principal of the account; a
    /// role ARN also matches that role's assumed-role sessions.
    static func awsPrincipalMatches(_ value: String, arn: String) -> Bool {
        if isAccountID(value) { return account(ofArn: arn) == value }
        if value.hasSuffix(":root"), let account = account(ofArn: value) {
            return self.account(ofArn: arn) == account
        }
        if value == arn { return true }
        // arn:aws:iam::A:role/path/name  ~  arn:aws:sts::A:assumed-role/name/session
        if let roleName = value.split(separator: ":role/").last?.split(separator: "/").last,
            value.contains(":role/"), arn.contains(":assumed-role/"),
            account(ofArn: value) == account(ofArn: arn)
        {
            let parts = arn.split(separator: ":assumed-role/").last?.split(separator: "/")
            return parts?.first == roleName
        }
        return false
    }

    public static func isAccountID(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy(\.isASCIIDigit)
    }

    /// The account field of an ARN when it is a 12-digit ID (`arn:aws:iam::123456789012:role/x`).
    public static func account(ofArn arn: String) -> String? {
        if isAccountID(arn) { return arn }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "arn", isAccountID(String(parts[4])) else { return nil }
        return String(parts[4])
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
