/// IAM-style wildcard patterns: `*` matches any run of characters (including none), `?` exactly
/// one. Matching works on Unicode scalars.
public struct Wildcard: Sendable, Equatable {
    public let pattern: String
    public let caseSensitive: Bool
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String, caseSensitive: Bool = true) {
        self.pattern = pattern
        self.caseSensitive = caseSensitive
        let text = caseSensitive ? pattern : pattern.lowercased()
        scalars = Array(text.unicodeScalars)
    }

    public var hasWildcard: Bool { scalars.contains("*") || scalars.contains("?") }

    /// True when the pattern matches all of `text`.
    public func matches(_ text: String) -> Bool {
        let states = advance(from: closure([0]), over: text)
        return states.contains(scalars.count)
    }

    /// True when some string starting with `prefix` matches (the pattern can "extend" it).
    public func canMatchSomething(startingWith prefix: String) -> Bool {
        !advance(from: closure([0]), over: prefix).isEmpty
    }

    /// True when every string starting with `prefix` matches (the rest of the pattern is only `*`).
    public func matchesEverything(startingWith prefix: String) -> Bool {
        let states = advance(from: closure([0]), over: prefix)
        return states.contains { state in scalars[state...].allSatisfy { $0 == "*" } }
    }

    /// States reachable without consuming input (`*` may match nothing).
    private func closure(_ states: Set<Int>) -> Set<Int> {
        var result = states
        var stack = Array(states)
        while let state = stack.popLast() {
            if state < scalars.count, scalars[state] == "*", !result.contains(state + 1) {
                result.insert(state + 1)
                stack.append(state + 1)
            }
        }
        return result
    }

    private func advance(from start: Set<Int>, over text: String) -> Set<Int> {
        var states = start
        let input = caseSensitive ? text : text.lowercased()
        for scalar in input.unicodeScalars {
            var next: Set<Int> = []
            for state in states where state < scalars.count {
                switch scalars[state] {
                case "*": next.insert(state)
                case "?": next.insert(state + 1)
                case let literal where literal == scalar: next.insert(state + 1)
                default: break
                }
            }
            states = closure(next)
            if states.isEmpty { break }
        }
        return states
    }
}
