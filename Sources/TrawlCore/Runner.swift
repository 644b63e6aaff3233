import Foundation
import Synchronization
import TrawlDetect
import TrawlObjects
import TrawlReport

/// An object to analyse with where its bytes come from.
public struct WorkItem: Sendable {
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// Receives results as workers finish objects; called one result at a time.
public protocol ResultSink: AnyObject {
    func consume(_ result: ObjectResult) throws
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
    public var bytes: @Sendable (ObjectRef) -> ObjectBytes

    public init(detector: Detector, settings: AnalyzerSettings, workers: Int, bytes: @escaping @Sendable (ObjectRef) -> ObjectBytes) {
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
        let order = objects.indices.sorted { objects[$0].size > objects[$1].size }
        let next = Atomic<Int>(0)
        let sinkLock = Mutex<Void>(())
        let failure = Mutex<(any Error)?>(nil)
        let box = UncheckedBox((sink: sink, objects: objects, order: order))
        let detector = detector, settings = settings, bytes = bytes

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let analyzer = Analyzer(detector: detector, settings: settings)
            while !cancellation.isCancelled {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < box.value.order.count else { return }
                let object = box.value.objects[box.value.order[index]]
                let result = analyzer.analyze(object, bytes: bytes(object))
                counters.objectsDone.add(1, ordering: .relaxed)
                counters.bytesDone.add(object.size, ordering: .relaxed)
                if result.hasFinding { counters.findings.add(1, ordering: .relaxed) }
                sinkLock.withLock { _ in
                    do {
                        try box.value.sink.consume(result)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        cancellation.cancel()
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// Carries non-Sendable values into the worker closure. Safe because the sink is only
/// touched under `sinkLock` and the arrays are only read.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
