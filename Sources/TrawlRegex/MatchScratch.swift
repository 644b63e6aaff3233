internal import CPCRE2

/// Per-worker matching state: PCRE2 match data, a match context carrying the match and
/// depth limits, and a JIT stack. One per worker thread or task; never shared.
///
/// A class rather than a `~Copyable` struct so that workers can keep it in ordinary
/// storage; it is deliberately not `Sendable`.
public final class MatchScratch {
    /// Sized for the pattern with the most capture groups matched so far (`matchData(pairs:)`).
    private(set) var matchData: OpaquePointer
    private var matchDataPairs: Int
    let matchContext: OpaquePointer
    private let jitStack: OpaquePointer?
    /// PCRE2 wants a non-null subject pointer even for an empty subject.
    let emptySubject: UnsafeMutablePointer<UInt8>

    /// Default limits: generous for real data, small enough that a pathological input
    /// fails one object in well under a second instead of hanging the scan.
    public static let defaultMatchLimit: UInt32 = 5_000_000
    public static let defaultDepthLimit: UInt32 = 100_000
    /// Backtracking memory of one match, in KiB (the interpreter's; JIT uses its stack).
    public static let defaultHeapLimit: UInt32 = 20_000

    public init(
        matchLimit: UInt32 = MatchScratch.defaultMatchLimit,
        depthLimit: UInt32 = MatchScratch.defaultDepthLimit,
        heapLimit: UInt32 = MatchScratch.defaultHeapLimit
    ) {
        // 32 pairs cover every managed identifier; a custom one with more groups grows it.
        matchDataPairs = 32
        matchData = pcre2_match_data_create_8(UInt32(matchDataPairs), nil)!
        matchContext = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(matchContext, matchLimit)
        pcre2_set_depth_limit_8(matchContext, depthLimit)
        pcre2_set_heap_limit_8(matchContext, heapLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
        emptySubject = .allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    /// Match data with room for `pairs` offset pairs (the whole match and every group), so the
    /// group a pattern reports is always recorded, however many groups it has.
    func matchData(pairs: Int) -> OpaquePointer {
        if pairs > matchDataPairs {
            pcre2_match_data_free_8(matchData)
            matchDataPairs = pairs
            matchData = pcre2_match_data_create_8(UInt32(pairs), nil)!
        }
        return matchData
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        emptySubject.deallocate()
    }
}
