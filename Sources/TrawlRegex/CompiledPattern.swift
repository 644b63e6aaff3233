internal import CPCRE2

/// Compile-time options for a pattern.
public struct PatternOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Case-insensitive matching (ASCII unless `.utf` is set).
    public static let caseless = PatternOptions(rawValue: 1 << 0)
    /// `^` and `$` match at line boundaries.
    public static let multiline = PatternOptions(rawValue: 1 << 1)
    /// `.` matches newlines too.
    public static let dotAll = PatternOptions(rawValue: 1 << 2)
    /// UTF-8 mode, with invalid UTF-8 tolerated (PCRE2_MATCH_INVALID_UTF): never an error,
    /// invalid sequences simply cannot be part of a match.
    public static let utf = PatternOptions(rawValue: 1 << 3)
    /// Ignore whitespace and `#` comments in the pattern.
    public static let extended = PatternOptions(rawValue: 1 << 4)

    var pcre2Flags: UInt32 {
        var flags: UInt32 = 0
        if contains(.caseless) { flags |= UInt32(PCRE2_CASELESS) }
        if contains(.multiline) { flags |= UInt32(PCRE2_MULTILINE) }
        if contains(.dotAll) { flags |= UInt32(PCRE2_DOTALL) }
        if contains(.utf) { flags |= UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF) }
        if contains(.extended) { flags |= UInt32(PCRE2_EXTENDED) }
        return flags
    }
}

/// One match: byte ranges into the subject buffer.
public struct RegexMatch: Sendable, Equatable {
    /// The whole match (group 0).
    public var range: Range<Int>
    /// The range of the group named `value` when the pattern has one and it took part,
    /// otherwise the whole match. Identifiers put the sensitive part in `(?<value>…)` when
    /// the pattern also has to match context around it.
    public var valueRange: Range<Int>
}

/// A compiled PCRE2 pattern, JIT-compiled when the platform supports it.
///
/// Immutable after `init`, so one instance is shared by every worker; matching needs a
/// per-worker `MatchScratch`.
// SAFETY: the pcre2_code is only read after pcre2_jit_compile returns inside init; PCRE2
// documents compiled code as shareable between threads when it is not modified.
public final class CompiledPattern: @unchecked Sendable {
    private let code: OpaquePointer
    /// The pattern text, as given.
    public let pattern: String
    public let options: PatternOptions
    /// Whether JIT compilation succeeded (it falls back to the interpreter otherwise).
    public let isJIT: Bool
    /// The capture group number of `(?<value>…)`, if the pattern has one.
    private let valueGroup: Int?
    /// Offset pairs a match records: the whole match and every capture group.
    private let pairs: Int

    /// Compiles `pattern`. Throws `RegexError` with kind `.compile` and the pattern
    /// offset PCRE2 reports.
    public init(_ pattern: String, options: PatternOptions = []) throws(RegexError) {
        self.pattern = pattern
        self.options = options
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        let compiled: OpaquePointer? = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(
                buf.baseAddress ?? UnsafePointer(bitPattern: 1)!, buf.count,
                options.pcre2Flags, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw RegexError(
                kind: .compile, code: errorCode, offset: errorOffset,
                message: PCRE2Text.message(for: errorCode))
        }
        code = compiled
        isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        let number = "value".withCString { name in
            pcre2_substring_number_from_name_8(compiled, UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self))
        }
        valueGroup = number > 0 ? Int(number) : nil
        var captures: UInt32 = 0
        _ = pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        pairs = Int(captures) + 1
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of capturing groups in the pattern.
    public var captureCount: Int { pairs - 1 }

    /// Finds the first match in `subject[start..<end]`. Bytes before `start` are visible
    /// to look-behind and `\b`; `end` acts as the end of the subject.
    public func firstMatch(
        in subject: UnsafeRawBufferPointer, from start: Int, to end: Int? = nil,
        anchored: Bool = false, scratch: MatchScratch
    ) throws(RegexError) -> RegexMatch? {
        let length = end ?? subject.count
        precondition(start >= 0 && start <= length && length <= subject.count, "match window out of bounds")
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(scratch.emptySubject)
        let matchData = scratch.matchData(pairs: pairs)
        let rc = pcre2_match_8(
            code, base, length, start, anchored ? UInt32(PCRE2_ANCHORED) : 0,
            matchData, scratch.matchContext)
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 {
            let kind: RegexError.Kind =
                (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
                    || rc == PCRE2_ERROR_JIT_STACKLIMIT) ? .matchLimit : .match
            throw RegexError(kind: kind, code: rc, message: PCRE2Text.message(for: rc))
        }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let whole = Int(ovector[0])..<Int(ovector[1])
        var value = whole
        if let group = valueGroup, Int(rc) > group || rc == 0 {
            let lo = ovector[2 * group]
            let hi = ovector[2 * group + 1]
            if lo != trawl_pcre2_unset() && hi != trawl_pcre2_unset() { value = Int(lo)..<Int(hi) }
        }
        return RegexMatch(range: whole, valueRange: value)
    }

    /// Calls `body` for every non-overlapping match in `subject[start..<end]`, in order.
    /// Returning `false` from `body` stops the iteration.
    public func forEachMatch(
        in subject: UnsafeRawBufferPointer, from start: Int, to end: Int? = nil,
        scratch: MatchScratch, _ body: (RegexMatch) throws(RegexError) -> Bool
    ) throws(RegexError) {
        let length = end ?? subject.count
        var position = start
        while position <= length {
            guard let match = try firstMatch(in: subject, from: position, to: length, scratch: scratch) else { return }
            if try !body(match) { return }
            // An empty match advances by one byte so the loop always terminates.
            position = match.range.isEmpty ? match.range.upperBound + 1 : match.range.upperBound
        }
    }

    /// Convenience for tests and small inputs.
    public func matches(in bytes: [UInt8], scratch: MatchScratch) throws(RegexError) -> [RegexMatch] {
        var result: [RegexMatch] = []
        var failure: RegexError?
        bytes.withUnsafeBytes { raw in
            do {
                try forEachMatch(in: raw, from: 0, scratch: scratch) { match in
                    result.append(match)
                    return true
                }
            } catch let error as RegexError { failure = error } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        if let failure { throw failure }
        return result
    }
}

enum PCRE2Text {
    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard count > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}
