import Foundation
import Synchronization
import TrawlDetect
import TrawlObjects

/// Receives results as workers finish objects; called one result at a time.
public protocol ResultSink: AnyObject {
    func consume(_ result: ObjectResult) throws
    /// Called under the same lock as `consume`, just before a worker reads `object` (or one
    /// segment of it): a job records what is in hand, so an object that kills the process
    /// can be found afterwards.
    func willAnalyze(_ object: ObjectRef)
}

extension ResultSink {
    public func willAnalyze(_ object: ObjectRef) {}
}

/// Live counters, readable while a scan runs (progress line, summary).
public final class ScanCounters: Sendable {
    public let objectsDone = Atomic<Int>(0)
    public let bytesDone = Atomic<Int64>(0)
    public let findings = Atomic<Int>(0)
    public init() {}
}

/// Cancels a running scan (Ctrl-C): workers finish the object in hand and stop.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Runs the analysis of many objects on a fixed pool of worker threads.
///
/// Objects are taken largest first (a big object started last would leave the other cores
/// idle at the end), each worker owns an `Analyzer` (PCRE2 scratch is per worker), and
/// results reach the sink one at a time under a lock, so writers need no locking of their own.
public struct Runner {
    public var detector: Detector
    public var settings: AnalyzerSettings
    public var workers: Int
    /// How to read an object's bytes.
    public var bytes: @Sendable (ObjectRef) -> any ObjectBytes

    public init(
        detector: Detector, settings: AnalyzerSettings, workers: Int,
        bytes: @escaping @Sendable (ObjectRef) -> any ObjectBytes
    ) {
        self.detector = detector
        self.settings = settings
        self.workers = max(1, workers)
        self.bytes = bytes
    }

    /// Analyses `objects`; returns the first sink error, if a sink failed (the run stops).
    public func run(
        _ objects: [ObjectRef], sink: ResultSink, counters: ScanCounters = ScanCounters(),
        cancellation: Cancellation = Cancellation()
    ) throws {
        // Work items, largest first: whole objects, and segments of large text files so that
        // one huge file is scanned by every worker.
        let planner = Analyzer(detector: detector, settings: settings)
        var work: [(size: Int64, item: WorkItem)] = []
        var pending: [Int: [SegmentResult?]] = [:]
        for (index, object) in objects.enumerated() {
            if workers > 1 && planner.shouldSplit(object, bytes: bytes(object)) {
                let ranges = planner.segments(of: object)
                pending[index] = Array(repeating: nil, count: ranges.count)
                for (part, range) in ranges.enumerated() {
                    work.append((Int64(range.count), .segment(index, part, range)))
                }
            } else {
                work.append((object.size, .whole(index)))
            }
        }
        work.sort { $0.size > $1.size }
        let next = Atomic<Int>(0)
        let sinkLock = Mutex<Void>(())
        let failure = Mutex<(any Error)?>(nil)
        let box = UncheckedBox(RunState(sink: sink, objects: objects, work: work.map(\.item), pending: pending))
        let detector = detector
        let settings = settings
        let bytes = bytes

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let analyzer = Analyzer(detector: detector, settings: settings)
            let state = box.value
            while !cancellation.isCancelled {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < state.work.count else { return }
                var finished: ObjectResult?
                switch state.work[index] {
                case .whole(let objectIndex):
                    let object = state.objects[objectIndex]
                    sinkLock.withLock { _ in state.sink.willAnalyze(object) }
                    finished = analyzer.analyze(object, bytes: bytes(object))
                    counters.bytesDone.add(object.size, ordering: .relaxed)
                case .segment(let objectIndex, let part, let range):
                    let object = state.objects[objectIndex]
                    sinkLock.withLock { _ in state.sink.willAnalyze(object) }
                    let result = analyzer.analyzeSegment(object, range: range, bytes: bytes(object))
                    counters.bytesDone.add(Int64(range.count), ordering: .relaxed)
                    sinkLock.withLock { _ in
                        state.pending[objectIndex]![part] = result
                        if state.pending[objectIndex]!.allSatisfy({ $0 != nil }) {
                            finished = analyzer.merge(
                                state.objects[objectIndex], state.pending[objectIndex]!.map { $0! })
                            state.pending[objectIndex] = nil
                        }
                    }
                }
                guard let result = finished else { continue }
                counters.objectsDone.add(1, ordering: .relaxed)
                if result.hasFinding { counters.findings.add(1, ordering: .relaxed) }
                sinkLock.withLock { _ in
                    do {
                        try state.sink.consume(result)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        cancellation.cancel()
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    enum WorkItem {
        case whole(Int)
        case segment(Int, Int, Range<Int>)
    }

    /// What the workers share; `pending` is only touched under the sink lock.
    final class RunState {
        let sink: ResultSink
        let objects: [ObjectRef]
        let work: [WorkItem]
        var pending: [Int: [SegmentResult?]]
        init(sink: ResultSink, objects: [ObjectRef], work: [WorkItem], pending: [Int: [SegmentResult?]]) {
            self.sink = sink
            self.objects = objects
            self.work = work
            self.pending = pending
        }
    }
}

/// Carries non-Sendable values into the worker closure. Safe because the sink is only
/// touched under `sinkLock` and the arrays are only read.
// SAFETY: the sink is only touched under `sinkLock`; the object and work arrays are only read.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
