import Foundation

/// A parsed condition operator: base test, set qualifier (`ForAnyValue:`/`ForAllValues:`) and
/// `IfExists` suffix.
public struct ConditionOperator: Sendable, Equatable {
    public enum Base: String, Sendable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Negated operators are true when no condition value matches (and when the key is absent).
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default: false
            }
        }

        /// The operator that this one negates (`StringNotEquals` → `StringEquals`).
        var positive: Base {
            switch self {
            case .stringNotEquals: .stringEquals
            case .stringNotEqualsIgnoreCase: .stringEqualsIgnoreCase
            case .stringNotLike: .stringLike
            case .numericNotEquals: .numericEquals
            case .dateNotEquals: .dateEquals
            case .notIpAddress: .ipAddress
            case .arnNotEquals: .arnEquals
            case .arnNotLike: .arnLike
            default: self
            }
        }

        /// Whether the values are compared as literals that may hold `*`/`?` wildcards.
        public var usesWildcards: Bool {
            switch self {
            case .stringLike, .stringNotLike, .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: true
            default: false
            }
        }
    }

    public enum SetQualifier: String, Sendable {
        case forAnyValue = "ForAnyValue"
        case forAllValues = "ForAllValues"
    }

    public var base: Base
    public var qualifier: SetQualifier?
    public var ifExists: Bool

    /// Parses `ForAnyValue:StringLikeIfExists` and the like; nil for an unknown operator.
    public init?(_ text: String) {
        var rest = Substring(text)
        qualifier = nil
        if let colon = rest.firstIndex(of: ":") {
            guard let qualifier = SetQualifier(rawValue: String(rest[..<colon])) else { return nil }
            self.qualifier = qualifier
            rest = rest[rest.index(after: colon)...]
        }
        ifExists = rest.hasSuffix("IfExists")
        if ifExists { rest = rest.dropLast("IfExists".count) }
        guard let base = Base(rawValue: String(rest)) else { return nil }
        if base == .null && (ifExists || qualifier != nil) { return nil }
        self.base = base
    }
}

/// The request facts a condition is evaluated against: condition keys (lower-cased) to values.
public struct ConditionContext: Sendable {
    public var values: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +)
    }

    public func values(for key: String) -> [String]? { values[key.lowercased()] }

    /// Replaces `${aws:username}`-style policy variables (and `${*}`, `${?}`, `${$}`, and the
    /// `${key, 'default'}` form). Nil when a variable has no value and no default.
    public func substitute(_ text: String) -> String? {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let body = rest[start.upperBound..<end].trimmingCharacters(in: .whitespaces)
            switch body {
            case "*": result += "*"
            case "?": result += "?"
            case "$": result += "$"
            default:
                let parts = body.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if let value = values(for: parts[0])?.first {
                    result += value
                } else if parts.count == 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'"), parts[1].count >= 2 {
                    result += parts[1].dropFirst().dropLast()
                } else {
                    return nil
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

/// Evaluates condition clauses the way IAM does.
public enum ConditionEvaluator {
    /// True when every clause holds (clauses in a statement are ANDed).
    public static func holds(_ clauses: [ConditionClause], in context: ConditionContext) -> Bool {
        clauses.allSatisfy { holds($0, in: context) }
    }

    /// One clause: the key's context values against the clause's values (ORed).
    public static func holds(_ clause: ConditionClause, in context: ConditionContext) -> Bool {
        guard let op = ConditionOperator(clause.op) else { return false }
        let present = context.values(for: clause.key)
        if op.base == .null {
            let wantsAbsent = clause.values.contains { $0.lowercased() == "true" }
            let isAbsent = present == nil || present?.isEmpty == true
            return wantsAbsent == isAbsent
        }
        guard let contextValues = present, !contextValues.isEmpty else {
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case nil: return op.base.isNegated
            }
        }
        let expected = clause.values.compactMap { value -> String? in
            op.base == .ipAddress || op.base == .notIpAddress ? value : context.substitute(value)
        }
        func matchesAny(_ value: String) -> Bool {
            expected.contains { compare(op.base.positive, actual: value, expected: $0) }
        }
        func passes(_ value: String) -> Bool {
            op.base.isNegated ? !matchesAny(value) : matchesAny(value)
        }
        switch op.qualifier {
        case .forAnyValue: return contextValues.contains(where: passes)
        case .forAllValues: return contextValues.allSatisfy(passes)
        case nil:
            // A single-valued key: for negated operators, no value may match.
            return op.base.isNegated ? contextValues.allSatisfy(passes) : contextValues.contains(where: passes)
        }
    }

    /// A positive comparison of one request value with one policy value.
    static func compare(_ base: ConditionOperator.Base, actual: String, expected: String) -> Bool {
        switch base {
        case .stringEquals: return actual == expected
        case .stringEqualsIgnoreCase: return actual.lowercased() == expected.lowercased()
        case .stringLike: return Wildcard(expected).matches(actual)
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let left = Double(actual), let right = Double(expected) else { return false }
            return compareOrdered(base, left, right)
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let left = parseDate(actual), let right = parseDate(expected) else { return false }
            return compareOrdered(base, left, right)
        case .bool: return actual.lowercased() == expected.lowercased()
        case .binaryEquals: return actual == expected
        case .ipAddress:
            guard let block = CIDRBlock(expected), let address = IPAddress(actual) else { return false }
            return block.contains(address)
        case .arnEquals, .arnLike: return arnMatches(pattern: expected, arn: actual)
        default: return false
        }
    }

    private static func compareOrdered<T: Comparable>(_ base: ConditionOperator.Base, _ left: T, _ right: T) -> Bool {
        switch base {
        case .numericEquals, .dateEquals: left == right
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: false
        }
    }

    /// ISO 8601 (date or date-time) or epoch seconds.
    static func parseDate(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }

    /// ARN matching: six colon-separated parts, each compared with wildcards (the resource part
    /// keeps its own colons).
    public static func arnMatches(pattern: String, arn: String) -> Bool {
        if pattern == "*" { return true }
        let patternParts = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let arnParts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard patternParts.count == 6, arnParts.count == 6 else { return Wildcard(pattern).matches(arn) }
        return zip(patternParts, arnParts).allSatisfy { Wildcard(String($0)).matches(String($1)) }
    }
}

/// An IPv4 or IPv6 address as bytes.
public struct IPAddress: Sendable, Equatable {
    public var bytes: [UInt8]

    public init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(text) else { return nil }
            self.bytes = bytes
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var bytes: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
                bytes.append(value)
            }
            self.bytes = bytes
        }
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

/// A CIDR block (`203.0.113.0/24`, `2001:db8::/32`); a bare address is a single-host block.
public struct CIDRBlock: Sendable, Equatable {
    public var address: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
        let maximum = address.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
        self.address = address
    }

    /// `0.0.0.0/0` or `::/0`: every address.
    public var isUniversal: Bool { prefixLength == 0 }

    /// The block's lowest address (host bits cleared), as big-endian bytes.
    public var firstAddress: [UInt8] { applyingHostBits { $0 & $1 } }
    /// The block's highest address (host bits set), as big-endian bytes.
    public var lastAddress: [UInt8] { applyingHostBits { $0 | ~$1 } }

    /// Combines every byte with its network mask (`0xff` for network bits, `0` for host bits).
    private func applyingHostBits(_ combine: (UInt8, UInt8) -> UInt8) -> [UInt8] {
        address.bytes.indices.map { index in
            let networkBits = min(8, max(0, prefixLength - index * 8))
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - networkBits))
            return combine(address.bytes[index], mask)
        }
    }

    /// Whether the union of `blocks` is every IPv4 address or every IPv6 address: a condition
    /// listing `0.0.0.0/1` and `128.0.0.0/1` lets the whole IPv4 internet in, like `0.0.0.0/0`.
    /// An interval-union walk in address order: covered when no gap is left before the top.
    public static func unionCoversAnAddressFamily(_ blocks: [CIDRBlock]) -> Bool {
        [4, 16].contains { width in
            let ranges = blocks.filter { $0.address.bytes.count == width }
                .map { ($0.firstAddress, $0.lastAddress) }
                .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            // The lowest address not yet covered.
            var uncovered = [UInt8](repeating: 0, count: width)
            for (first, last) in ranges {
                if uncovered.lexicographicallyPrecedes(first) { return false }  // a gap before this block
                if last.lexicographicallyPrecedes(uncovered) { continue }  // inside what is covered already
                guard let next = successor(of: last) else { return true }  // reaches the family's top address
                uncovered = next
            }
            return false
        }
    }

    /// The address after `bytes`, or nil after the highest one.
    private static func successor(of bytes: [UInt8]) -> [UInt8]? {
        var result = bytes
        for index in result.indices.reversed() {
            if result[index] == 0xff {
                result[index] = 0
            } else {
                result[index] += 1
                return result
            }
        }
        return nil
    }

    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for index in address.bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if address.bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}
