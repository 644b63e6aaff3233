import Foundation
import TrawlObjects

/// A policy that is not valid IAM policy JSON, with where and why.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `Principal` or `NotPrincipal`: `"*"` or a map from principal type (`AWS`, `Service`,
/// `CanonicalUser`, `Federated`) to one or more values.
public struct PrincipalSpec: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Hashable {
        public var type: String
        public var value: String
    }

    /// The bare `"*"` form.
    public var isBareWildcard: Bool
    public var entries: [Entry]

    /// True when it names everyone: `"*"`, `{"AWS": "*"}` (anyone, anonymous included) or a
    /// wildcard in an `AWS` or `CanonicalUser` value.
    public var includesEveryone: Bool {
        isBareWildcard
            || entries.contains { entry in
                (entry.type == "AWS" || entry.type == "CanonicalUser") && entry.value.contains("*")
            }
    }
}

/// One `Condition` test: `"StringEquals": {"aws:SourceVpce": ["vpce-1"]}` gives one clause per key.
public struct ConditionClause: Sendable, Equatable {
    /// As written, e.g. `ForAnyValue:StringLikeIfExists`.
    public var op: String
    public var key: String
    public var values: [String]

    public var description: String {
        let shown =
            values.count == 1 ? "\"\(values[0])\"" : "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return "\(op) \(key) \(shown)"
    }
}

public enum PolicyEffect: String, Sendable, Equatable {
    case allow = "Allow"
    case deny = "Deny"
}

/// One policy statement, with its position for evidence.
public struct PolicyStatement: Sendable, Equatable {
    public var index: Int
    public var sid: String?
    public var effect: PolicyEffect
    public var principal: PrincipalSpec?
    public var notPrincipal: PrincipalSpec?
    public var actions: [String]?
    public var notActions: [String]?
    public var resources: [String]?
    public var notResources: [String]?
    public var conditions: [ConditionClause]

    /// `Statement[2] (Sid "PublicRead")`, the label used in evidence.
    public var label: String {
        if let sid, !sid.isEmpty { return "Statement[\(index)] (Sid \"\(sid)\")" }
        return "Statement[\(index)]"
    }
}

/// A parsed IAM resource policy (bucket policy).
public struct PolicyDocument: Sendable, Equatable {
    public var version: String?
    public var id: String?
    public var statements: [PolicyStatement]

    /// Parses policy JSON text.
    /// - Throws: `PolicyError` naming the statement and element that is wrong.
    public static func parse(_ text: String) throws(PolicyError) -> PolicyDocument {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            let detail = error.message.hasPrefix("invalid JSON: ") ? " (\(error.message.dropFirst(14)))" : ""
            throw PolicyError(
                "the policy is not valid JSON" + (error.message == "the file is empty" ? " (empty)" : detail))
        }
        return try parse(json)
    }

    public static func parse(_ json: JSONValue) throws(PolicyError) -> PolicyDocument {
        guard case .object(let members) = json else { throw PolicyError("the policy is not a JSON object") }
        guard let statementValue = members["Statement"] else { throw PolicyError("the policy has no Statement") }
        let items: [JSONValue]
        switch statementValue {
        case .array(let list): items = list
        case .object: items = [statementValue]
        default: throw PolicyError("Statement is neither an object nor a list")
        }
        var statements: [PolicyStatement] = []
        for (index, item) in items.enumerated() {
            statements.append(try parseStatement(item, index: index))
        }
        return PolicyDocument(
            version: members["Version"]?.stringValue, id: members["Id"]?.stringValue, statements: statements)
    }

    private static func parseStatement(_ json: JSONValue, index: Int) throws(PolicyError) -> PolicyStatement {
        let at = "Statement[\(index)]"
        guard case .object(let members) = json else { throw PolicyError("\(at) is not an object") }
        let known: Set<String> = [
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
        ]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw PolicyError("\(at) has an unknown element \"\(unknown)\"")
        }
        guard let effectText = members["Effect"]?.stringValue else { throw PolicyError("\(at) has no Effect") }
        guard let effect = PolicyEffect(rawValue: effectText) else {
            throw PolicyError("\(at) has Effect \"\(effectText)\" (expected Allow or Deny)")
        }
        func list(_ name: String) throws(PolicyError) -> [String]? {
            guard let value = members[name] else { return nil }
            guard let strings = value.stringList, !strings.isEmpty else {
                throw PolicyError("\(at) \(name) must be a string or a non-empty list of strings")
            }
            return strings
        }
        var statement = PolicyStatement(
            index: index, sid: members["Sid"]?.stringValue, effect: effect,
            principal: try members["Principal"].map { value throws(PolicyError) in
                try parsePrincipal(value, at: "\(at) Principal")
            },
            notPrincipal: try members["NotPrincipal"].map { value throws(PolicyError) in
                try parsePrincipal(value, at: "\(at) NotPrincipal")
            },
            actions: try list("Action"), notActions: try list("NotAction"),
            resources: try list("Resource"), notResources: try list("NotResource"), conditions: [])
        if statement.principal != nil && statement.notPrincipal != nil {
            throw PolicyError("\(at) has both Principal and NotPrincipal")
        }
        if statement.principal == nil && statement.notPrincipal == nil {
            throw PolicyError("\(at) has no Principal (a bucket policy statement needs one)")
        }
        if (statement.actions == nil) == (statement.notActions == nil) {
            throw PolicyError("\(at) needs exactly one of Action and NotAction")
        }
        if statement.resources != nil && statement.notResources != nil {
            throw PolicyError("\(at) has both Resource and NotResource")
        }
        if let condition = members["Condition"] {
            guard case .object(let operators) = condition else { throw PolicyError("\(at) Condition is not an object") }
            for (op, block) in operators.sorted(by: { $0.key < $1.key }) {
                guard case .object(let keys) = block else {
                    throw PolicyError("\(at) Condition \"\(op)\" is not an object of keys")
                }
                guard ConditionOperator(op) != nil else {
                    throw PolicyError("\(at) Condition uses an unknown operator \"\(op)\"")
                }
                for (key, value) in keys.sorted(by: { $0.key < $1.key }) {
                    guard let values = value.stringList else {
                        throw PolicyError("\(at) Condition \(op) \(key) must be a string or a list of strings")
                    }
                    statement.conditions.append(ConditionClause(op: op, key: key, values: values))
                }
            }
        }
        return statement
    }

    private static func parsePrincipal(_ json: JSONValue, at: String) throws(PolicyError) -> PrincipalSpec {
        switch json {
        case .string(let text):
            guard text == "*" else { throw PolicyError("\(at) is the string \"\(text)\" (only \"*\" is allowed)") }
            return PrincipalSpec(isBareWildcard: true, entries: [])
        case .object(let members):
            var entries: [PrincipalSpec.Entry] = []
            for (type, value) in members.sorted(by: { $0.key < $1.key }) {
                guard let values = value.stringList else {
                    throw PolicyError("\(at) \(type) must be a string or a list of strings")
                }
                guard ["AWS", "Service", "CanonicalUser", "Federated"].contains(type) else {
                    throw PolicyError("\(at) has an unknown principal type \"\(type)\"")
                }
                entries += values.map { PrincipalSpec.Entry(type: type, value: $0) }
            }
            return PrincipalSpec(isBareWildcard: false, entries: entries)
        default:
            throw PolicyError("\(at) is neither \"*\" nor an object")
        }
    }
}
