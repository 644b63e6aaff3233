// swift-tools-version: 6.0
import PackageDescription

// trawl: sensitive-data scanner for object storage. Module seams follow ripgrep's:
// the engine (TrawlRegex) never sees a path, sources/formats (TrawlObjects) never see a
// regex, and output is the printers' business (TrawlReport). See README.md.
// The scan loop is the product: its modules are optimized in debug builds too, so the test
// suite (which scans large synthetic inputs) runs at a realistic speed.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "trawl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trawl", targets: ["trawl"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        // System libraries. Only TrawlRegex imports CPCRE2; only TrawlObjects imports CZlib.
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        // PCRE2 wrapper: compiled patterns (shared, JIT) and per-worker match scratch.
        .target(name: "TrawlRegex", dependencies: ["CPCRE2"], swiftSettings: optimized),
        // Detection policy: identifier catalog, validators, keyword proximity, custom
        // identifiers, allow lists, the prefiltered multi-identifier scan engine.
        .target(name: "TrawlDetect", dependencies: ["TrawlRegex"], swiftSettings: optimized),
        // Object model, sources (directory trees, S3 inventories), decompression and format
        // readers. Knows nothing of detection: readers hand bytes plus locations onward.
        .target(name: "TrawlObjects", dependencies: ["CZlib"], swiftSettings: optimized),
        // Bucket configuration evaluation (public, shared, encryption, replication).
        .target(name: "TrawlAudit", dependencies: ["TrawlObjects"]),
        // Macie-shaped findings and results, and their writers.
        .target(name: "TrawlReport", dependencies: ["TrawlDetect", "TrawlObjects", "TrawlAudit"]),
        // The S3 API: SigV4 signing, credentials as the AWS CLI finds them, listing, ranged
        // reads, bucket configuration for the audit. Knows nothing of detection.
        .target(
            name: "TrawlS3",
            dependencies: [
                "TrawlObjects", "TrawlAudit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Scan orchestration: scoping, estimates, the concurrent runner.
        .target(name: "TrawlCore", dependencies: ["TrawlDetect", "TrawlObjects", "TrawlReport", "TrawlAudit", "TrawlS3"], swiftSettings: optimized),
        // Jobs: the SQLite job store (GRDB), schedules (pure), incremental runs with checkpoints.
        .target(
            name: "TrawlJobs",
            dependencies: [
                "TrawlCore", "TrawlDetect", "TrawlObjects", "TrawlReport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "trawl",
            dependencies: [
                "TrawlCore", "TrawlDetect", "TrawlObjects", "TrawlReport", "TrawlAudit", "TrawlJobs", "TrawlS3",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The detector benchmark (scripts/bench.sh): the whole catalog over a file list.
        .executableTarget(name: "trawl-bench", dependencies: ["TrawlDetect"]),
        // libFuzzer target for bucket policies (parser, analysis, evaluator); see Fuzz/README.md.
        .executableTarget(name: "FuzzPolicy", dependencies: ["TrawlAudit"], path: "Fuzz/FuzzPolicy"),

        .testTarget(name: "TrawlRegexTests", dependencies: ["TrawlRegex"]),
        .testTarget(name: "TrawlDetectTests", dependencies: ["TrawlDetect"]),
        .testTarget(name: "TrawlObjectsTests", dependencies: ["TrawlObjects"], exclude: ["Fixtures"]),
        .testTarget(name: "TrawlAuditTests", dependencies: ["TrawlAudit"]),
        .testTarget(name: "TrawlReportTests", dependencies: ["TrawlReport", "TrawlAudit", "TrawlDetect"], exclude: ["Resources"]),
        .testTarget(name: "TrawlCoreTests", dependencies: ["TrawlCore"]),
        .testTarget(name: "TrawlJobsTests", dependencies: ["TrawlJobs"]),
        // Runs against a real S3 server (moto_server) that the tests start on loopback.
        .testTarget(name: "TrawlS3Tests", dependencies: ["TrawlS3", "TrawlCore", "TrawlAudit", "TrawlReport", "trawl"]),
        // Runs the built `trawl` binary (a dependency so that `swift test` builds it first).
        .testTarget(name: "TrawlEndToEndTests", dependencies: ["trawl", "TrawlCore"]),
    ],
    swiftLanguageModes: [.v6]
)
