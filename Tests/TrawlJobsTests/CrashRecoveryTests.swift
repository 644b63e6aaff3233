import Foundation
import Testing
import TrawlCore
import TrawlObjects

@testable import TrawlJobs

/// The store's side of crash recovery, with the deaths simulated: an attempt "dies" by leaving
/// its run RUNNING under a pid that is gone and its objects in hand.
@Suite(.serialized) struct CrashRecoveryTests {
    static let deadPid: Int32 = 0x3FFF_FFF0

    /// Reads in the order the run took them (not sorted, unlike `runJob`).
    final class Order: ResultSink {
        var keys: [String] = []
        func consume(_ result: ObjectResult) throws { keys.append(result.object.key) }
    }

    @Test func aSuspectInHandAtASecondDeathIsSkippedAndOneWaitingItsTurnIsNot() throws {
        let f = try Fixture()
        try f.write("b1/a.csv", ssnText)
        try f.write("b1/b.csv", ssnText)
        try f.write("b1/c.csv", ssnText)
        let store = try f.store()
        try store.createJob(f.definition(), now: Date())
        let job = try store.job(named: "nightly")
        let objects = Dictionary(uniqueKeysWithValues: try JobRunner.baseline(job.definition).map { ($0.key, $0) })

        // Attempt 1 dies with a and b in hand; the resume makes them suspects.
        let (run, _) = try store.beginRun(
            job: job, kind: .full, trigger: .manual, scheduledFor: nil, pid: Self.deadPid, now: Date())
        try store.markInHand(runId: run.id, objects: [objects["a.csv"]!, objects["b.csv"]!])
        let review = try store.reviewInHand(runId: run.id, jobId: job.id, listed: Array(objects.values))
        #expect(review.skipped.isEmpty)
        #expect(review.suspects == [ObjectKey(bucket: "b1", key: "a.csv"), ObjectKey(bucket: "b1", key: "b.csv")])
        // Attempt 2 dies reading b alone; a was still waiting its turn.
        try store.markInHand(runId: run.id, objects: [objects["b.csv"]!])

        let order = Order()
        var runner = JobRunner(store: store, workers: 2)
        var events = JobRunner.Events()
        events.output = order
        let outcome = try runner.run("nightly", events: events)
        #expect(outcome.resumed)
        #expect(outcome.run.status == .complete)
        // The skipped one shown first, then the suspect, then the rest.
        #expect(order.keys == ["b.csv", "a.csv", "c.csv"])
        let states = try store.objectStates(jobId: job.id)
        #expect(states[ObjectKey(bucket: "b1", key: "b.csv")]?.status == "SKIPPED")
        #expect(states[ObjectKey(bucket: "b1", key: "a.csv")]?.status == "COMPLETE")
        #expect(outcome.run.findings == 2)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM in_hand") } == 0)

        // Unchanged, it is not read again.
        let again = Order()
        events.output = again
        runner = JobRunner(store: store, workers: 2)
        _ = try runner.run("nightly", events: events)
        #expect(again.keys.isEmpty)
    }

    @Test func aChangedSuspectStartsAfresh() throws {
        let f = try Fixture()
        try f.write("b1/a.csv", ssnText, modified: Date(timeIntervalSince1970: 1_700_000_000))
        let store = try f.store()
        try store.createJob(f.definition(), now: Date())
        let job = try store.job(named: "nightly")
        let before = try JobRunner.baseline(job.definition)[0]
        let (run, _) = try store.beginRun(
            job: job, kind: .full, trigger: .manual, scheduledFor: nil, pid: Self.deadPid, now: Date())
        try store.markInHand(runId: run.id, objects: [before])
        _ = try store.reviewInHand(runId: run.id, jobId: job.id, listed: [before])
        try store.markInHand(runId: run.id, objects: [before])  // died twice with this version...

        try f.write("b1/a.csv", ssnText + "Jane Roe,123-45-6780\n")  // ...but it changed since
        let after = try JobRunner.baseline(job.definition)[0]
        let review = try store.reviewInHand(runId: run.id, jobId: job.id, listed: [after])
        #expect(review.skipped.isEmpty)
        #expect(review.suspects == [ObjectKey(after)])
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM in_hand") } == 0)
    }
}
