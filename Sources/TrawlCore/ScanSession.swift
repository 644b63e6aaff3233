import Dispatch
import Foundation
import TrawlDetect
import TrawlObjects

/// When a scan may start without asking: what it would analyse and cost, against the limits
/// the user set. `trawl scan` and job runs decide with the same rule.
public struct CostGate: Sendable, Equatable {
    /// `--yes`: scan whatever the estimate.
    public var confirmed = false
    /// Scan without asking when Macie's estimated charge is at most this.
    public var maxCostUSD: Double?
    /// Scan without asking when the bytes to analyse are at most this.
    public var maxBytes: Int64?

    public init(confirmed: Bool = false, maxCostUSD: Double? = nil, maxBytes: Int64? = nil) {
        self.confirmed = confirmed
        self.maxCostUSD = maxCostUSD
        self.maxBytes = maxBytes
    }

    public enum Decision: Sendable, Equatable {
        case proceed
        /// Ask the user (only offered when `canAsk`).
        case ask
        /// Do not scan, and why.
        case refuse(String)
    }

    /// Decides for `estimate`. `canAsk` is whether a person can answer a prompt.
    public func decide(_ estimate: EstimateReport, canAsk: Bool) -> Decision {
        if confirmed { return .proceed }
        if maxCostUSD != nil || maxBytes != nil {
            if let over = overLimit(estimate) { return .refuse("\(over); not scanning (pass --yes to scan anyway)") }
            return .proceed
        }
        if canAsk { return .ask }
        return .refuse(
            "not scanning without confirmation: pass --yes, or --max-cost USD / --max-bytes SIZE to scan when the estimate is within them"
        )
    }

    /// Which limit the estimate is over, said for a person, or nil when within all of them.
    public func overLimit(_ estimate: EstimateReport) -> String? {
        if let maxCostUSD, estimate.macie.usd > maxCostUSD {
            return String(
                format: "the estimated Macie charge $%.2f is over the limit of $%.2f", estimate.macie.usd, maxCostUSD)
        }
        if let maxBytes, estimate.classifiableUncompressedBytes > maxBytes {
            return "\(estimate.classifiableUncompressedBytes) bytes to analyse is over the limit of \(maxBytes) bytes"
        }
        return nil
    }
}

/// One scan from listing to summary, the same for every caller (`trawl scan`, `trawl estimate`,
/// job runs): list the store under a scope, estimate, (the caller applies the `CostGate`), run the
/// detector over the selected objects on a worker pool, report to a sink.
public struct ScanSession {
    public var store: any ObjectStore
    public var scope: Scope
    public var detector: Detector
    public var settings = AnalyzerSettings()
    public var workers: Int
    /// Region for prices: the user's, else the store's, else us-east-1.
    public var pricingRegion: String
    /// Subtract Macie's monthly free tier from the charge.
    public var applyFreeTier = true

    public init(store: any ObjectStore, scope: Scope, detector: Detector, workers: Int, region: String? = nil) {
        self.store = store
        self.scope = scope
        self.detector = detector
        self.workers = max(1, workers)
        pricingRegion = region ?? store.region ?? "us-east-1"
    }

    /// Lists the store under `scope` (the session's unless given: a job lists whole buckets and
    /// scopes objects in its incremental plan).
    public func list(scope: Scope? = nil) throws -> SourceListing {
        try SourceListing.list(store, scope: scope ?? self.scope)
    }

    /// The estimate for reading `selected` out of `inScope` (the listing's, unless a job's plan
    /// narrows them), with what the requests cost on a remote store.
    public func estimate(_ listing: SourceListing, inScope: [ObjectRef]? = nil, selected: [ObjectRef]? = nil)
        -> EstimateReport
    {
        var estimator = Estimator(region: pricingRegion, workers: workers, probe: store.probe)
        estimator.applyFreeTier = applyFreeTier
        var report = estimator.estimate(
            inScope: inScope ?? listing.inScope, selected: selected ?? listing.selected,
            samplingPercentage: scope.samplingPercentage, detector: detector)
        var requests = listing
        if let selected { requests.selected = selected }
        report.s3 = requests.requestCost(region: pricingRegion)
        return report
    }

    /// What a run did.
    public struct Outcome {
        public var seconds: Double
        /// Stopped by the cancellation (Ctrl-C, a paused job) before every object was read.
        public var cancelled: Bool
        /// The sink failed (an output could not be written); the run stopped.
        public var sinkError: (any Error)?
    }

    /// Analyses `objects` (the listing's selected ones unless given) and hands every result to
    /// `sink`; the listing's problems go to `problemsSink` first (nil: to `sink`).
    public func run(
        _ listing: SourceListing, objects: [ObjectRef]? = nil, sink: ResultSink, problemsSink: ResultSink? = nil,
        counters: ScanCounters = ScanCounters(), cancellation: Cancellation = Cancellation()
    ) throws -> Outcome {
        for problem in listing.problemResults { try (problemsSink ?? sink).consume(problem) }
        let objects = objects ?? listing.selected
        let runner = Runner(
            detector: detector, settings: settings, workers: workers, bytes: listing.reader(for: objects))
        let start = DispatchTime.now().uptimeNanoseconds
        var sinkError: (any Error)?
        do {
            try runner.run(objects, sink: sink, counters: counters, cancellation: cancellation)
        } catch {
            sinkError = error
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Outcome(seconds: seconds, cancelled: cancellation.isCancelled, sinkError: sinkError)
    }
}
