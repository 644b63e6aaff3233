import ArgumentParser
import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Show what a scan would read, what it would cost with Macie, and how long trawl will take.",
        discussion: """
            Honours every scoping flag and --sampling (Macie's own estimate ignores them), measures \
            compression ratios from gzip trailers and zip directories instead of assuming 3:1, and \
            times the detector on this machine.
            """)

    @Argument(
        help: "A directory of buckets (or one bucket with --bucket), s3://BUCKET[/PREFIX], or s3:// for every bucket.")
    var source: String

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var detection: DetectionOptions
    @OptionGroup var estimateOptions: EstimateOptions
    @OptionGroup var s3: S3Options

    @Option(name: .customLong("format"), help: "text (default) or json.")
    var format: OutputFormat = .text

    func run() throws {
        try withUsageErrors {
            guard format == .text || format == .json else { throw UsageError("estimate --format takes text or json") }
            let session = try estimateOptions.session(source: source, scope: scope, detection: detection, s3: s3)
            let listing = try session.list()
            let report = session.estimate(listing)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            default:
                print(EstimateText.render(report, source: source), terminator: "")
                for note in session.store.notes { print("  note            \(UntrustedText.forTerminal(note))") }
            }
            if let why = listing.emptyReason, listing.problems.isEmpty {
                warn("nothing in scope: \(UntrustedText.forTerminal(why))")
                return ExitStatus.nothingInScope
            }
            return 0
        }
    }
}

struct EstimateOptions: ParsableArguments {
    @Option(
        name: .customLong("region"),
        help:
            "The AWS region: for S3 requests (else AWS_REGION, AWS_DEFAULT_REGION, the profile's) and for prices (default us-east-1)."
    )
    var region: String?

    @Flag(name: .customLong("free-tier-used"), help: "Do not subtract Macie's monthly free GB from the cost.")
    var freeTierUsed = false

    @Option(name: [.customShort("j"), .customLong("workers")], help: "Worker threads (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    /// The scan session SOURCE and the shared options describe (`scan` and `estimate`).
    func session(source: String, scope: ScopeOptions, detection: DetectionOptions, s3: S3Options) throws -> ScanSession
    {
        let store = try s3.storeOpener(region: region).open(source, bucket: scope.singleBucket)
        var session = ScanSession(
            store: store, scope: try scope.scope(), detector: try detection.detector(), workers: workers, region: region
        )
        session.applyFreeTier = !freeTierUsed
        return session
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, html, sarif
}

enum EstimateText {
    static func render(_ report: EstimateReport, source: String) -> String {
        var out = "Estimate for \(source)\n"
        out +=
            "  in scope        \(report.objectsInScope.objects) objects, \(formatBytes(report.objectsInScope.bytes)) in \(report.buckets) bucket(s)\n"
        if report.samplingPercentage < 100 {
            out +=
                "  sampling \(report.samplingPercentage)%    \(report.selected.objects) objects, \(formatBytes(report.selected.bytes)) selected\n"
        }
        out +=
            "  classifiable    \(report.classifiable.objects) objects, \(formatBytes(report.classifiable.bytes)) stored, \(formatBytes(report.classifiableUncompressedBytes)) to analyse\n"
        if report.compressed.objects > 0 {
            let ratio =
                report.compressed.bytes > 0
                ? Double(report.compressedEstimatedUncompressedBytes) / Double(report.compressed.bytes) : 0
            out +=
                "  compressed      \(report.compressed.objects) objects, \(formatBytes(report.compressed.bytes)) → ~\(formatBytes(report.compressedEstimatedUncompressedBytes)) (\(String(format: "%.1f", ratio)):1; \(report.compressionMeasured) measured, \(report.compressionAssumed) assumed 3:1)\n"
        }
        let skipped = report.notClassifiable.sorted { $0.key < $1.key }
        if skipped.isEmpty {
            out += "  not classifiable none\n"
        } else {
            out += "  not classifiable \(skipped.reduce(0) { $0 + $1.value.objects }) objects\n"
            for (reason, tally) in skipped {
                out += "    \(reason): \(tally.objects) objects, \(formatBytes(tally.bytes))\n"
            }
        }
        out += String(
            format: "  Macie would charge $%.2f (%@, %@ of analysis%@%@)\n", report.macie.usd, report.macie.region,
            formatBytes(report.macie.billableBytes),
            report.macie.freeTierApplied ? ", after the 1 GB monthly free tier" : "",
            report.macie.inferredPrice ? "; upper tiers inferred" : "")
        if let s3 = report.s3 {
            out += String(
                format: "  S3 requests      %d LIST + %d GET, %@ transferred: $%.4f (%@)\n",
                s3.listRequests, s3.getRequests, formatBytes(s3.bytesTransferred), s3.usd, s3.region)
        }
        out += String(
            format: "  trawl            ~%@ with %d worker(s) at %.0f MB/s per core (measured now); $0\n",
            formatSeconds(report.time.seconds), report.time.workers, report.time.measuredMBPerSecondPerCore)
        return out
    }
}
