// trawl-bench: times the detector alone (the whole catalog) over a list of files, the way
// ../shared/bench/scanbench.c times its baselines: each file read() whole into a reused
// buffer, N threads taking files from a shared counter. Prints one line:
//   files=… bytes=… scan_s=… MBps=… matches=…
// Usage: trawl-bench FILELIST [-j THREADS] [--identifiers all|recommended|ID,...] [-v]
import Foundation
import Synchronization
import TrawlDetect

#if canImport(Glibc)
    import Glibc
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
var threads = 1
var selection = "all"
var verbose = false
var listPath: String?
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "-j": threads = Int(arguments.removeFirst()) ?? 1
    case "--identifiers": selection = arguments.removeFirst()
    case "-v": verbose = true
    default: listPath = argument
    }
}
guard let listPath, let list = try? String(contentsOfFile: listPath, encoding: .utf8) else {
    FileHandle.standardError.write(
        Data("usage: trawl-bench FILELIST [-j THREADS] [--identifiers all|recommended|IDS] [-v]\n".utf8))
    exit(64)
}
let paths = list.split(separator: "\n").map(String.init)
let identifiers = try IdentifierSelection.parse(selection, exclude: nil).resolve(in: Catalog.builtin)
let detector = try Detector(identifiers: identifiers)

let next = Atomic<Int>(0)
let totalBytes = Atomic<Int>(0)
let totalMatches = Atomic<Int>(0)
let perIdentifier = Mutex<[Int]>(Array(repeating: 0, count: detector.infos.count))
let scanNanos = Atomic<Int>(0)
let wallStart = DispatchTime.now().uptimeNanoseconds

DispatchQueue.concurrentPerform(iterations: threads) { _ in
    let scratch = DetectorScratch()
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    var counts = Array(repeating: 0, count: detector.infos.count)
    var bytes = 0
    var matches = 0
    var nanos = 0
    while true {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < paths.count else { break }
        let fd = open(paths[index], O_RDONLY)
        guard fd >= 0 else { continue }
        var status = stat()
        fstat(fd, &status)
        let size = Int(status.st_size)
        if size > buffer.count {
            buffer.deallocate()
            buffer = .allocate(byteCount: size, alignment: 64)
        }
        var filled = 0
        while filled < size {
            let n = read(fd, buffer.baseAddress! + filled, size - filled)
            if n <= 0 { break }
            filled += n
        }
        close(fd)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = detector.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), scratch: scratch)
        nanos += Int(DispatchTime.now().uptimeNanoseconds - start)
        bytes += filled
        matches += outcome.detections.count
        for detection in outcome.detections { counts[detection.identifier] += 1 }
    }
    buffer.deallocate()
    totalBytes.add(bytes, ordering: .relaxed)
    totalMatches.add(matches, ordering: .relaxed)
    scanNanos.add(nanos, ordering: .relaxed)
    perIdentifier.withLock { total in for i in total.indices { total[i] += counts[i] } }
}

let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
let bytes = totalBytes.load(ordering: .relaxed)
let scanSeconds = Double(scanNanos.load(ordering: .relaxed)) / 1e9 / Double(threads)
print(
    String(
        format:
            "files=%d bytes=%d wall_s=%.3f scan_s=%.3f MBps=%.1f scanMBps=%.1f matches=%d identifiers=%d threads=%d",
        paths.count, bytes, wall, scanSeconds, Double(bytes) / 1e6 / wall, Double(bytes) / 1e6 / scanSeconds,
        totalMatches.load(ordering: .relaxed), detector.infos.count, threads))
if verbose {
    let counts = perIdentifier.withLock { $0 }
    for (index, info) in detector.infos.enumerated() where counts[index] > 0 {
        FileHandle.standardError.write(Data("\(info.id)\t\(counts[index])\n".utf8))
    }
}
