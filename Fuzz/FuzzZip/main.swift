import Foundation
import TrawlObjects

/// A zip archive, as the scan reads one: open (directory or local headers), check declared
/// limits, then extract every member within a small shared budget.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    guard let archive = try? ZipArchive(bytes) else { return }
    var limits = FormatLimits()
    limits.maxArchiveEntries = 200
    limits.maxExtractedBytesPerFile = 1 << 20
    limits.maxExtractedBytesTotal = 4 << 20
    var budget = ArchiveBudget(limits: limits)
    _ = try? archive.checkDeclaredLimits(budget)
    _ = archive.totalUncompressedSize
    for entry in archive.entries where !entry.isDirectory {
        _ = entry.declaredRatio
        _ = entry.isReadable
        if let range = try? archive.dataRange(of: entry) {
            precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "data range outside the archive")
        }
        guard (try? budget.admit(declaredSize: entry.uncompressedSize)) != nil else { break }
        let allowed = budget.nextMemberByteLimit
        var produced = 0
        _ = try? archive.extract(entry, maxBytes: allowed) { produced += $0.count }
        precondition(produced <= allowed, "extracted past the limit")
        budget.record(extractedBytes: produced)
    }
    _ = archive.entry(named: "xl/workbook.xml")
    _ = ContentKind.sniff(fileExtension: "zip", head: UnsafeRawBufferPointer(rebasing: bytes.prefix(8192)))
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
