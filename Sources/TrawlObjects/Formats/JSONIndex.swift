/// One step of a JSON path: an object member name or an array index (from 0).
public enum JSONPathElement: Sendable, Hashable {
    case key(String)
    case index(Int)
    /// A member name that must not be printed (it is itself sensitive): rendered as JSONPath's
    /// wildcard `*`.
    case masked
}

/// A path to a value, rendered as Macie's `jsonPath`: `$.credentials.aws.key`, `$.items[3].ssn`,
/// `$[0]['Card Number']`. Names that are not identifiers are bracket-quoted; a name over 240
/// characters keeps its last 240; the whole path is cut to its first 250 characters.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public static let maxElementLength = 240
    public static let maxPathLength = 250

    public var elements: [JSONPathElement]

    public init(_ elements: [JSONPathElement] = []) { self.elements = elements }

    /// The member names along the path (Macie counts them as keywords for nearby values).
    public var elementNames: [String] {
        elements.compactMap { if case .key(let name) = $0 { name } else { nil } }
    }

    /// Macie's rendering.
    public var rendered: String {
        var out = "$"
        for element in elements {
            switch element {
            case .index(let i):
                out += "[\(i)]"
            case .masked:
                out += ".*"
            case .key(var name):
                let scalars = name.unicodeScalars
                if scalars.count > Self.maxElementLength {
                    name = String(String.UnicodeScalarView(scalars.suffix(Self.maxElementLength)))
                }
                if Self.isIdentifier(name) {
                    out += "." + name
                } else {
                    var quoted = "['"
                    for ch in name.unicodeScalars {
                        if ch == "'" || ch == "\\" { quoted.unicodeScalars.append("\\") }
                        quoted.unicodeScalars.append(ch)
                    }
                    out += quoted + "']"
                }
            }
            if out.unicodeScalars.count > Self.maxPathLength { break }
        }
        if out.unicodeScalars.count > Self.maxPathLength {
            out = String(String.UnicodeScalarView(out.unicodeScalars.prefix(Self.maxPathLength)))
        }
        return out
    }

    public var description: String { rendered }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard first == UInt8(ascii: "_") || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        for b in name.utf8 {
            let letter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
            let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            if !(letter || digit || b == UInt8(ascii: "_")) { return false }
        }
        return true
    }
}

/// What kind of token a scalar event is.
public enum JSONScalarKind: Sendable, Hashable {
    case string, number, bool, null
    /// An object member name.
    case key
}

/// A scalar found by the tokenizer: `range` is a string's content without its quotes
/// (escapes left as they are in the bytes), or a number's or literal's bytes.
public struct JSONScalar: Sendable, Hashable {
    public var range: Range<Int>
    public var kind: JSONScalarKind
}

/// A path as the tokenizer holds it: member names as byte ranges, decoded only on `resolve`.
/// Cheap to receive in a callback (the tokenizer's own storage, copied only if kept).
public struct JSONRawPath: Sendable, Hashable {
    public enum Component: Sendable, Hashable {
        /// A member name's content bytes (escapes not yet decoded).
        case key(Range<Int>)
        case index(Int)
    }

    public internal(set) var components: [Component] = []

    public var depth: Int { components.count }

    /// Decodes the member names from `bytes` (the bytes the tokenizer read).
    /// Decodes the member names from `bytes`; names starting at an offset in `masking` (member
    /// names that are themselves sensitive) are left undecoded, as `.masked`.
    public func resolve(in bytes: UnsafeRawBufferPointer, masking: Set<Int> = []) -> JSONPath {
        JSONPath(
            components.map {
                switch $0 {
                case .index(let i): .index(i)
                case .key(let r) where masking.contains(r.lowerBound): .masked
                case .key(let r): .key(JSONIndex.decodeString(UnsafeRawBufferPointer(rebasing: bytes[r])))
                }
            })
    }
}

/// Which value (or member name) holds an offset.
public struct JSONLocation: Sendable, Hashable {
    /// The path of the value; for a member name, the path of the member it names.
    public var path: JSONPath
    public var kind: JSONScalarKind
    /// The scalar's range (string content without quotes).
    public var range: Range<Int>
    /// The offset is inside a member name: Macie then omits the jsonPath.
    public var isInKey: Bool { kind == .key }
}

/// A single-pass JSON tokenizer over bytes that builds no tree: it reports each scalar with
/// its path, locates the value holding an offset by re-reading, and checks nesting (at most
/// `maxDepth` levels of objects and arrays, Macie: 256) and syntax, with the byte offset of
/// the first error. A view over `bytes`, which must stay valid while it is used. A UTF-8 BOM
/// is skipped. Strict JSON, except that raw control characters and invalid UTF-8 inside
/// strings are accepted.
public struct JSONIndex {
    public let bytes: UnsafeRawBufferPointer
    public let maxDepth: Int

    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = FormatLimits.macie.maxJSONDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Reads the whole document; throws MALFORMED_FILE (with offset) or
    /// JSON_NESTING_LEVEL_OVER_LIMIT.
    public func validate() throws(FormatError) {
        try walk { _, _ in true }
    }

    /// Calls `body` for every string, number, true/false/null (and member names when
    /// `includeKeys`) in document order. Throws the document's first error after reporting
    /// what came before it.
    public func forEachScalar(
        includeKeys: Bool = false, _ body: (JSONScalar, JSONRawPath) throws -> Void
    ) throws {
        var failure: (any Error)?
        try walk { scalar, path in
            if scalar.kind == .key && !includeKeys { return true }
            do { try body(scalar, path) } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
    }

    /// The scalar or member name holding the byte at `offset` (a string's quotes count as
    /// part of it), or nil when the offset is in structure or whitespace, or past an error.
    public func locate(_ offset: Int) -> JSONLocation? {
        var found: JSONLocation?
        _ = try? walk { scalar, path in
            let quoted = scalar.kind == .string || scalar.kind == .key
            let lower = scalar.range.lowerBound - (quoted ? 1 : 0)
            let upper = scalar.range.upperBound + (quoted ? 1 : 0)
            if offset < lower { return false }
            if offset < upper {
                var resolved = path.resolve(in: bytes)
                if scalar.kind == .key {
                    resolved.elements.append(
                        .key(Self.decodeString(UnsafeRawBufferPointer(rebasing: bytes[scalar.range]))))
                }
                found = JSONLocation(path: resolved, kind: scalar.kind, range: scalar.range)
                return false
            }
            return true
        }
        return found
    }

    // MARK: - Tokenizer

    private enum State { case value, firstKeyOrEnd, key, firstValueOrEnd, afterValue }

    /// The tokenizer. `visit` gets scalars (and keys, whose path excludes the key itself)
    /// and returns false to stop early (then walk returns normally).
    func walk(_ visit: (JSONScalar, JSONRawPath) -> Bool) throws(FormatError) {
        let n = bytes.count
        var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var path = JSONRawPath()
        var objects: [Bool] = []  // per open container: true for an object
        var state = State.value
        path.components.reserveCapacity(16)

        @inline(__always) func skipWhitespace() {
            while i < n {
                let b = bytes[i]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { break }
            }
        }

        while true {
            skipWhitespace()
            switch state {
            case .value:
                guard i < n else {
                    throw .malformed(objects.isEmpty ? "no JSON value" : "unexpected end of data", at: i)
                }
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if objects.count >= maxDepth {
                        throw FormatError(
                            .jsonNestingLevelOverLimit, "JSON nests deeper than \(maxDepth) levels", offset: i)
                    }
                    let isObject = b == UInt8(ascii: "{")
                    objects.append(isObject)
                    i += 1
                    if isObject {
                        state = .firstKeyOrEnd
                    } else {
                        path.components.append(.index(0))
                        state = .firstValueOrEnd
                    }
                    continue
                case UInt8(ascii: "\""):
                    let range = try scanString(at: i)
                    i = range.upperBound + 1
                    if !visit(JSONScalar(range: range, kind: .string), path) { return }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let range = try scanNumber(at: i)
                    i = range.upperBound
                    if !visit(JSONScalar(range: range, kind: .number), path) { return }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let literal: StaticString =
                        b == UInt8(ascii: "t") ? "true" : b == UInt8(ascii: "f") ? "false" : "null"
                    let length = literal.utf8CodeUnitCount
                    var matches = i + length <= n
                    if matches {
                        let p = literal.utf8Start
                        for k in 0..<length where bytes[i + k] != p[k] {
                            matches = false
                            break
                        }
                    }
                    guard matches else { throw .malformed("invalid literal", at: i) }
                    let range = i..<(i + length)
                    i += length
                    if !visit(JSONScalar(range: range, kind: b == UInt8(ascii: "n") ? .null : .bool), path) { return }
                default:
                    throw .malformed("unexpected character where a value should start", at: i)
                }
                state = .afterValue

            case .firstKeyOrEnd:
                if i < n, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    objects.removeLast()
                    state = .afterValue
                } else {
                    state = .key
                }

            case .key:
                guard i < n, bytes[i] == UInt8(ascii: "\"") else {
                    throw .malformed(i < n ? "expected a member name" : "unexpected end of data", at: i)
                }
                let range = try scanString(at: i)
                i = range.upperBound + 1
                if !visit(JSONScalar(range: range, kind: .key), path) { return }
                skipWhitespace()
                guard i < n, bytes[i] == UInt8(ascii: ":") else {
                    throw .malformed(i < n ? "expected ':'" : "unexpected end of data", at: i)
                }
                i += 1
                path.components.append(.key(range))
                state = .value

            case .firstValueOrEnd:
                if i < n, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    objects.removeLast()
                    path.components.removeLast()
                    state = .afterValue
                } else {
                    state = .value
                }

            case .afterValue:
                guard let isObject = objects.last else {
                    if i < n { throw .malformed("unexpected data after the JSON value", at: i) }
                    return
                }
                guard i < n else { throw .malformed("unexpected end of data", at: i) }
                let b = bytes[i]
                if isObject {
                    if b == UInt8(ascii: ",") {
                        path.components.removeLast()
                        i += 1
                        state = .key
                    } else if b == UInt8(ascii: "}") {
                        path.components.removeLast()
                        objects.removeLast()
                        i += 1
                    } else {
                        throw .malformed("expected ',' or '}'", at: i)
                    }
                } else {
                    if b == UInt8(ascii: ",") {
                        if case .index(let k) = path.components[path.components.count - 1] {
                            path.components[path.components.count - 1] = .index(k + 1)
                        }
                        i += 1
                        state = .value
                    } else if b == UInt8(ascii: "]") {
                        path.components.removeLast()
                        objects.removeLast()
                        i += 1
                    } else {
                        throw .malformed("expected ',' or ']'", at: i)
                    }
                }
            }
        }
    }

    /// The content range of the string whose opening quote is at `start`.
    private func scanString(at start: Int) throws(FormatError) -> Range<Int> {
        let n = bytes.count
        var j = start + 1
        while j < n {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") { return (start + 1)..<j }
            if b == UInt8(ascii: "\\") {
                guard j + 1 < n else { break }
                switch bytes[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                case UInt8(ascii: "u"):
                    guard j + 5 < n else { throw .malformed("truncated \\u escape", at: j) }
                    for k in 2...5 where Self.hexValue(bytes[j + k]) == nil {
                        throw .malformed("invalid \\u escape", at: j)
                    }
                    j += 6
                default:
                    throw .malformed("invalid escape", at: j)
                }
                continue
            }
            j += 1
        }
        throw .malformed("string is never closed", at: start)
    }

    private func scanNumber(at start: Int) throws(FormatError) -> Range<Int> {
        let n = bytes.count
        var j = start
        func digits() -> Int {
            let from = j
            while j < n, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
            return j - from
        }
        if bytes[j] == UInt8(ascii: "-") { j += 1 }
        guard digits() > 0 else { throw .malformed("invalid number", at: start) }
        if j < n, bytes[j] == UInt8(ascii: ".") {
            j += 1
            guard digits() > 0 else { throw .malformed("invalid number", at: start) }
        }
        if j < n, bytes[j] | 0x20 == UInt8(ascii: "e") {
            j += 1
            if j < n, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            guard digits() > 0 else { throw .malformed("invalid number", at: start) }
        }
        return start..<j
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Decodes a JSON string's content (escapes, surrogate pairs; invalid UTF-8 and lone
    /// surrogates become U+FFFD).
    public static func decodeString(_ raw: UnsafeRawBufferPointer) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = hexValue(raw[at + k]) else { return nil }
                v = v << 4 | h
            }
            return v
        }
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = hex4(i) else {
                    appendScalar(0xFFFD)
                    continue
                }
                i += 4
                if (0xD800..<0xDC00).contains(high), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                    raw[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
                {
                    i += 6
                    appendScalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    appendScalar(high)
                }
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// JSON Lines: one JSON document per line; a record's index is its line index from 0 (blank
/// lines count). A view over `bytes`.
public struct JSONLines {
    public let bytes: UnsafeRawBufferPointer
    public let maxDepth: Int

    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = FormatLimits.macie.maxJSONDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Calls `body` for each non-blank line: its record index, its bytes (without the line
    /// break) and the error when it is not valid JSON (that line is then read as text).
    public func forEachRecord(
        _ body: (_ recordIndex: Int, _ range: Range<Int>, _ error: FormatError?) throws -> Void
    ) rethrows {
        var start = 0
        var index = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n, bytes[end] != 0x0A { end += 1 }
            let range = lineContent(start..<end)
            if !isBlank(range) {
                var error: FormatError?
                do {
                    try JSONIndex(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: maxDepth).validate()
                } catch var e {
                    e.offset = e.offset.map { $0 + range.lowerBound }
                    error = e
                }
                try body(index, range, error)
            }
            index += 1
            start = end + 1
        }
    }

    /// A forward-moving line counter for `locate`.
    public struct Cursor: Sendable {
        var offset = 0
        var line = 0
        public init() {}
    }

    /// The record holding `offset` and, when that line is valid JSON, the location in it
    /// (its path, and whether the offset is in a member name). Pass the same cursor for
    /// increasing offsets; a smaller offset restarts the count.
    public func locate(_ offset: Int, cursor: inout Cursor) -> (recordIndex: Int, location: JSONLocation?) {
        let target = max(0, min(offset, bytes.count))
        if target < cursor.offset { cursor = Cursor() }
        var i = cursor.offset
        var line = cursor.line
        while i < target {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        cursor.offset = target
        cursor.line = line
        var start = target
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = target
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let range = lineContent(start..<end)
        guard range.contains(target) else { return (line, nil) }
        let index = JSONIndex(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: maxDepth)
        guard (try? index.validate()) != nil, var location = index.locate(target - range.lowerBound) else {
            return (line, nil)
        }
        location.range = (location.range.lowerBound + range.lowerBound)..<(location.range.upperBound + range.lowerBound)
        return (line, location)
    }

    private func lineContent(_ r: Range<Int>) -> Range<Int> {
        r.upperBound > r.lowerBound && bytes[r.upperBound - 1] == 0x0D ? r.lowerBound..<(r.upperBound - 1) : r
    }

    private func isBlank(_ r: Range<Int>) -> Bool {
        for i in r {
            let b = bytes[i]
            if b != 0x20, b != 0x09, b != 0x0D { return false }
        }
        return true
    }
}
