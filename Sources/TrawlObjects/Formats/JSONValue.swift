import Foundation

/// A parsed JSON value. The audit reads AWS output whose shape varies between the AWS CLI
/// (`PascalCase`), AWS Config (`camelCase`, some members as JSON strings) and IAM policies
/// (scalars or arrays), so lookups here are forgiving: `member` ignores key case.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses JSON text; the error names what is wrong and where, for evidence text.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            throw JSONParseError(message: "the file is empty")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            throw JSONParseError(message: "invalid JSON" + (underlying.map { ": \($0)" } ?? ""))
        } catch {
            throw JSONParseError(message: "invalid JSON: \(error)")
        }
    }

    /// Parses JSON held in a string (a policy inside `{"Policy": "..."}`).
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Data(text.utf8))
    }

    /// The member named `name`, compared case-insensitively; `nil` if absent or not an object.
    public subscript(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[name] { return exact }
        let lowered = name.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    /// The first member present among `names`.
    public func member(_ names: String...) -> JSONValue? {
        for name in names { if let value = self[name], value != .null { return value } }
        return nil
    }

    public var stringValue: String? {
        switch self {
        case .string(let text): text
        case .number(let number):
            number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// A boolean, accepting `true`/`false` strings as AWS Config sometimes writes them.
    public var boolValue: Bool? {
        switch self {
        case .bool(let flag): flag
        case .string(let text):
            text.lowercased() == "true" ? true : (text.lowercased() == "false" ? false : nil)
        default: nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A scalar or an array of scalars as a list of strings (IAM's "string or list" fields).
    public var stringList: [String]? {
        switch self {
        case .array(let items):
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? strings : nil
        default:
            return stringValue.map { [$0] }
        }
    }

    /// If this is a string holding JSON (AWS Config's `AccessControlList`), the parsed value;
    /// otherwise self.
    public func unwrappingJSONString() throws(JSONParseError) -> JSONValue {
        if case .string(let text) = self { return try JSONValue.parse(text) }
        return self
    }
}

/// A JSON file or string that could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// What one configuration API call answered (a live bucket audit asks S3 for each
/// configuration document; the audit reads the answers as it reads the AWS CLI's files).
public enum ConfigurationAnswer: Sendable, Equatable {
    /// The call's output in the AWS CLI's JSON shape.
    case json(JSONValue)
    /// The service said this configuration does not exist (`NoSuchBucketPolicy`...).
    case notConfigured(code: String)
    /// The call failed (access denied, throttled to the end, malformed answer).
    case failed(reason: String)
}
