import TrawlCore
import TrawlReport

// Its own small module (TrawlTestSupportSinks) so that TrawlTestSupport stays Foundation-only:
// `ResultSink` is TrawlCore's and `ObjectResult` TrawlReport's (both are moving to TrawlCore).

/// Keeps every result a runner hands it (one at a time), in the order they came.
public final class CollectingSink: ResultSink, @unchecked Sendable {
    public private(set) var results: [ObjectResult] = []

    public init() {}

    public func consume(_ result: ObjectResult) throws { results.append(result) }

    /// The results by "bucket/key" (a later result for the same object wins).
    public var byKey: [String: ObjectResult] {
        Dictionary(results.map { ("\($0.object.bucket)/\($0.object.key)", $0) }, uniquingKeysWith: { $1 })
    }
}
