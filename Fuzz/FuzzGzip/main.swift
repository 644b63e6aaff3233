import Foundation
import TrawlObjects

/// A gzip object: its header, the declared size (ISIZE), and bounded inflation. The first
/// byte also picks raw deflate or zlib, so those containers get their share.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let header = GzipHeader.parse(bytes)
    if let header { precondition(header.headerLength >= 10 && header.headerLength <= bytes.count, "header past the end") }
    _ = GzipHeader.innerName(objectName: "logs.json.gz", header: header)
    _ = GzipHeader.innerName(objectName: "data.gz", header: header)
    _ = Inflate.gzipDeclaredSize(bytes)
    let limit = 1 << 20
    for container in [Inflate.Container.gzip, bytes.first.map { $0 & 1 == 0 ? .raw : .zlib } ?? .raw] {
        var produced = 0
        _ = try? Inflate.inflate(bytes, container: container, maxOutput: limit, chunkSize: 16 << 10) { chunk in
            produced += chunk.count
        }
        precondition(produced <= limit, "inflated past the limit")
    }
}

// MARK: - Driver (the same in every Fuzz/<Target>/main.swift; see Fuzz/README.md)
//
// `make fuzz` builds with -DFUZZING and links libFuzzer's no-main runtime: libFuzzer then
// drives `fuzzOne` through LLVMFuzzerRunDriver (SwiftPM keeps its own `main`, so
// -sanitize=fuzzer cannot be used). A plain build replays the files and folders named on the
// command line once each, which is how a crash file is checked without instrumentation.

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
    return 0
})
#else
var replayed = 0
for argument in CommandLine.arguments.dropFirst() where !argument.hasPrefix("-") {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { continue }
    let files = isFolder.boolValue
        ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { argument + "/" + $0 }
        : [argument]
    for file in files {
        guard let bytes = try? FileReader().readAll(path: file, limit: 64 << 20) else { continue }
        bytes.withUnsafeBytes { fuzzOne($0) }
        replayed += 1
    }
}
print("replayed \(replayed) inputs without a crash")
#endif
