import Foundation
import TrawlCore
import TrawlObjects

/// What a run reads, decided from the current listing and the job's object state before
/// anything is read. Pure: tested in `IncrementalPlanTests`.
///
/// Macie: "each subsequent run of a periodic job analyzes only those objects that are
/// created or changed after the preceding run". trawl compares each object's ETag, size and
/// last-modified time with what the store recorded, not only its time, so an object
/// rewritten with an older timestamp (a clock-skewed source, a restored backup) is still
/// analysed, and an unchanged one is not, whatever its time says.
public struct IncrementalPlan: Sendable {
    /// Objects in scope not known to the job (or known only as deleted).
    public var new: [ObjectRef] = []
    /// Objects whose ETag, size or last-modified differ from the recorded ones.
    public var changed: [ObjectRef] = []
    /// Objects in scope that are the same version as recorded (not read unless `full`).
    public var unchanged = 0
    /// Of `unchanged`, those read again because the run is a full one.
    public var rescanned: [ObjectRef] = []
    /// Of `unchanged`, those this very run already classified before it was interrupted.
    public var alreadyDone = 0
    /// Objects recorded for the job that are gone from the source.
    public var deleted: [ObjectKey] = []
    /// New or changed objects that sampling leaves out (remembered as seen, not read).
    public var notSampled: [ObjectRef] = []
    /// What this run reads: the candidates that sampling keeps.
    public var toClassify: [ObjectRef] = []

    /// New, changed and rescanned: the candidates before sampling (the estimate's "in scope").
    public var candidates: [ObjectRef] { new + changed + rescanned }

    /// - Parameters:
    ///   - listing: every object of the source's included buckets (before object scoping).
    ///   - states: the job's object state.
    ///   - scope: the job's scoping (eligibility and sampling).
    ///   - runId: the run being planned; objects it already classified are not read again.
    ///   - full: analyse every eligible object (a first run with `initialRun`, or `--full`),
    ///     except those this run already did.
    public init(listing: [ObjectRef], states: [ObjectKey: ObjectState], scope: Scope, runId: Int64, full: Bool) {
        var listed = Set<ObjectKey>()
        listed.reserveCapacity(listing.count)
        for object in listing {
            let key = ObjectKey(object)
            listed.insert(key)
            guard scope.isEligible(object) else { continue }
            let state = states[key]
            if let state, !state.deleted, state.matches(object) {
                unchanged += 1
                if state.classifiedRun == runId {
                    alreadyDone += 1
                    continue
                }
                guard full else { continue }
                rescanned.append(object)
            } else if let state, !state.deleted {
                changed.append(object)
            } else {
                new.append(object)
            }
            if scope.isSampled(object) { toClassify.append(object) } else { notSampled.append(object) }
        }
        for (key, state) in states where !state.deleted && !listed.contains(key) && scope.includesBucket(key.bucket) {
            deleted.append(key)
        }
        deleted.sort()
    }
}
