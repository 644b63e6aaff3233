import Dispatch
import Foundation
import FuzzDriver
import TrawlDetect

/// The detector: every managed identifier over the input, and a custom identifier whose regex
/// is the input's first line (Macie allows any PCRE2 pattern up to 512 characters) over the
/// rest, with a keyword and an allow-list regex, under a short deadline as a scan runs it.
let catalogDetector = try! Detector(identifiers: Catalog.builtin.identifiers)
/// libFuzzer calls one input at a time on one thread.
nonisolated(unsafe) let scratch = DetectorScratch()

func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    scratch.start(deadline: DispatchTime.now().uptimeNanoseconds + 2_000_000_000)
    check(catalogDetector.scan(bytes, scratch: scratch), in: bytes)

    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
    guard newline <= 512,
        let regex = String(validating: UnsafeRawBufferPointer(rebasing: bytes[0..<newline]), as: UTF8.self)
    else { return }
    let text = UnsafeRawBufferPointer(rebasing: bytes[min(bytes.count, newline + 1)...])
    let custom = [
        CustomIdentifier(name: "fuzz", regex: regex),
        CustomIdentifier(name: "fuzz-keyword", regex: regex, keywords: ["id"], maximumMatchDistance: 20),
    ]
    // An invalid pattern is a usage error, never a crash.
    guard let detector = try? Detector(identifiers: [], custom: custom, allowList: AllowList(regexes: ["0+"])) else {
        return
    }
    scratch.start(deadline: DispatchTime.now().uptimeNanoseconds + 2_000_000_000)
    check(detector.scan(text, scratch: scratch), in: text)
}

func check(_ outcome: ScanOutcome, in buffer: UnsafeRawBufferPointer) {
    for detection in outcome.detections {
        precondition(
            detection.range.lowerBound >= 0 && detection.range.upperBound <= buffer.count,
            "a detection outside the buffer")
    }
}

fuzzMain(fuzzOne)
