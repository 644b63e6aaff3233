/// An error from the regex engine: a pattern that does not compile, or a match that
/// hit a resource limit. Never carries subject bytes, only the pattern and positions.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The pattern does not compile; `offset` is the byte offset in the pattern.
        case compile
        /// The match or depth limit was hit: the input is pathological for this pattern.
        case matchLimit
        /// Any other PCRE2 error while matching.
        case match
    }

    public var kind: Kind
    /// The PCRE2 error code (negative for match errors, positive for compile errors).
    public var code: Int32
    /// For compile errors: the byte offset in the pattern where PCRE2 stopped.
    public var offset: Int?
    /// PCRE2's own text for the code.
    public var message: String

    public init(kind: Kind, code: Int32, offset: Int? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        switch kind {
        case .compile:
            if let offset { return "regex does not compile at offset \(offset): \(message)" }
            return "regex does not compile: \(message)"
        case .matchLimit: return "regex match limit reached (\(message))"
        case .match: return "regex match failed (\(message))"
        }
    }
}
