internal import CPCRE2

/// Per-worker matching state: PCRE2 match data, a match context carrying the match and
/// depth limits, and a JIT stack. One per worker thread or task; never shared.
///
/// A class rather than a `~Copyable` struct so that workers can keep it in ordinary
/// storage; it is deliberately not `Sendable`.
public final class MatchScratch {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer
    private let jitStack: OpaquePointer?
    /// PCRE2 wants a non-null subject pointer even for an empty subject.
    let emptySubject: UnsafeMutablePointer<UInt8>

    /// Default limits: generous for real data, small enough that a pathological input
    /// fails one object in well under a second instead of hanging the scan.
    public static let defaultMatchLimit: UInt32 = 5_000_000
    public static let defaultDepthLimit: UInt32 = 100_000

    public init(
        matchLimit: UInt32 = MatchScratch.defaultMatchLimit,
        depthLimit: UInt32 = MatchScratch.defaultDepthLimit
    ) {
        // 32 pairs cover any identifier pattern; PCRE2 records as many groups as fit.
        matchData = pcre2_match_data_create_8(32, nil)!
        matchContext = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(matchContext, matchLimit)
        pcre2_set_depth_limit_8(matchContext, depthLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
        emptySubject = .allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        emptySubject.deallocate()
    }
}
