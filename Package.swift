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
        // Already in the graph through async-http-client; TrawlS3 and its tests use its types.
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
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
        // Scan orchestration: the result model, scoping, estimates, the cost gate, the concurrent
        // runner and the scan session every caller goes through. Sources arrive as protocols.
        .target(name: "TrawlCore", dependencies: ["TrawlDetect", "TrawlObjects"], swiftSettings: optimized),
        // Bucket configuration evaluation (public, shared, encryption, replication).
        .target(name: "TrawlAudit", dependencies: ["TrawlObjects"]),
        // Printers: Macie-shaped findings and results, HTML, SARIF and the other writers.
        .target(name: "TrawlReport", dependencies: ["TrawlCore", "TrawlDetect", "TrawlObjects", "TrawlAudit"]),
        // The S3 API, transport only: SigV4 signing, credentials as the AWS CLI finds them,
        // listing and ranged reads (an ObjectStore), bucket configuration documents.
        .target(
            name: "TrawlS3",
            dependencies: [
                "TrawlObjects",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
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
        // libFuzzer targets, one per reader (Fuzz/README.md, `make fuzz`): the format readers,
        // bucket policies, the detector with custom identifiers. They share one driver; a plain
        // build replays the files named on the command line.
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(name: "FuzzPolicy", dependencies: ["FuzzDriver", "TrawlAudit"], path: "Fuzz/FuzzPolicy"),
        .executableTarget(
            name: "FuzzDetector", dependencies: ["FuzzDriver", "TrawlDetect"], path: "Fuzz/FuzzDetector"),
        .executableTarget(name: "FuzzZip", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzZip"),
        .executableTarget(name: "FuzzTar", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzTar"),
        .executableTarget(name: "FuzzGzip", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzGzip"),
        .executableTarget(name: "FuzzOOXML", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzOOXML"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzCSV"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzDriver", "TrawlObjects"], path: "Fuzz/FuzzJSON"),

        // Shared by the test targets: repository paths, temporary directories, child processes
        // (the built `trawl` binary, python3, the JSON-schema validator), moto_server on loopback,
        // a sink that collects results.
        .target(name: "TrawlTestSupport", dependencies: ["TrawlCore"], path: "Tests/TrawlTestSupport"),

        // Each test target lists every module its files import.
        .testTarget(name: "TrawlRegexTests", dependencies: ["TrawlRegex"]),
        .testTarget(name: "TrawlDetectTests", dependencies: ["TrawlDetect", "TrawlTestSupport"]),
        .testTarget(
            name: "TrawlObjectsTests", dependencies: ["TrawlObjects", "TrawlTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TrawlAuditTests", dependencies: ["TrawlAudit", "TrawlTestSupport"]),
        .testTarget(
            name: "TrawlReportTests",
            dependencies: [
                "TrawlReport", "TrawlCore", "TrawlAudit", "TrawlDetect", "TrawlObjects", "TrawlTestSupport",
            ],
            exclude: ["Resources"]),
        .testTarget(
            name: "TrawlCoreTests",
            dependencies: ["TrawlCore", "TrawlDetect", "TrawlObjects", "TrawlReport", "TrawlTestSupport"]),
        .testTarget(
            name: "TrawlJobsTests",
            dependencies: ["TrawlJobs", "TrawlCore", "TrawlObjects", "TrawlReport", "TrawlTestSupport"]),
        // Runs against a real S3 server (moto_server) that the tests start on loopback.
        .testTarget(
            name: "TrawlS3Tests",
            dependencies: [
                "TrawlS3", "TrawlCore", "TrawlAudit", "TrawlDetect", "TrawlObjects", "TrawlReport", "TrawlTestSupport",
                "trawl", .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // Reads Sources/ and docs/architecture.md: every import is an edge the layering allows.
        .testTarget(name: "ArchitectureTests", dependencies: ["TrawlTestSupport"]),
        // Runs the built `trawl` binary (a dependency so that `swift test` builds it first).
        .testTarget(name: "TrawlEndToEndTests", dependencies: ["trawl", "TrawlTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
