import TrawlCore

/// Keeps every result a runner hands it (one at a time), in the order they came.
// SAFETY: the runner calls `consume` one result at a time under its sink lock; tests read
// `results` only after the run returned.
public final class CollectingSink: ResultSink, @unchecked Sendable {
    public private(set) var results: [ObjectResult] = []

    public init() {}

    public func consume(_ result: ObjectResult) throws { results.append(result) }

    /// The results by "bucket/key" (a later result for the same object wins).
    public var byKey: [String: ObjectResult] {
        Dictionary(results.map { ("\($0.object.bucket)/\($0.object.key)", $0) }, uniquingKeysWith: { $1 })
    }
}
