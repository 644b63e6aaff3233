import Foundation
import TrawlObjects

/// A tar archive: list it, then read every file's bytes (they are ranges into the input).
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let archive = TarArchive(bytes)
    for entry in archive.entries {
        let range = entry.dataRange
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "data range outside the archive")
        precondition(entry.size >= 0, "negative size")
        if entry.kind == .file {
            precondition(Int64(range.count) <= entry.size, "more data than the size")
            _ = Deflate.crc32(UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
        _ = entry.isTruncated
        _ = ContentKind.fileExtension(of: entry.path)
    }
    _ = archive.error?.description
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
