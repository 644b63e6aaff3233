import Foundation

// The driver every Fuzz* target shares (Fuzz/README.md).
//
// `make fuzz` builds with -DFUZZING and links libFuzzer's no-main runtime: libFuzzer then drives
// the target's body through LLVMFuzzerRunDriver (SwiftPM keeps its own `main`, so
// -sanitize=fuzzer cannot be used). A plain build replays the files and folders named on the
// command line once each, which is how a crash file is checked without instrumentation.

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func llvmFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

/// The body libFuzzer calls: a C callback cannot capture it, so it waits here. Set once,
/// before any input runs, on the main thread.
nonisolated(unsafe) private var fuzzBody: (UnsafeRawBufferPointer) -> Void = { _ in }

/// Runs `body` on every input: under libFuzzer when built with -DFUZZING, else on the files and
/// folders named on the command line. Never returns.
public func fuzzMain(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    fuzzBody = body
    #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(
            llvmFuzzerRunDriver(&argc, &argv) { data, size in
                fuzzBody(UnsafeRawBufferPointer(start: data, count: size))
                return 0
            })
    #else
        var replayed = 0
        for argument in CommandLine.arguments.dropFirst() where !argument.hasPrefix("-") {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { continue }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map {
                    argument + "/" + $0
                }
                : [argument]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { fuzzBody($0) }
                replayed += 1
            }
        }
        print("replayed \(replayed) inputs without a crash")
        exit(0)
    #endif
}
