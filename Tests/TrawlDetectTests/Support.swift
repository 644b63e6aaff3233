import Foundation
import Testing

@testable import TrawlDetect

/// What the validator called `name` says of `value` (an issue is recorded, and false returned,
/// when there is no such validator).
func check(_ name: String, _ value: String) -> Bool {
    guard let result = Validators.check(name, value) else {
        Issue.record("no validator named \(name)")
        return false
    }
    return result
}

/// A text with expected values marked `«…»`: the plain bytes and the marked byte ranges.
struct MarkedText {
    var bytes: [UInt8]
    var marks: [Range<Int>]

    init(_ text: String) {
        var bytes: [UInt8] = []
        var marks: [Range<Int>] = []
        var open: Int?
        for scalar in text.unicodeScalars {
            if scalar == "«" {
                open = bytes.count
                continue
            }
            if scalar == "»", let start = open {
                marks.append(start..<bytes.count)
                open = nil
                continue
            }
            bytes += Array(String(scalar).utf8)
        }
        self.bytes = bytes
        self.marks = marks
    }
}

extension Detector {
    /// Scans a Swift string; for tests.
    func detections(in text: String, context: ScanContext = .plain) -> [Detection] {
        let scratch = DetectorScratch()
        return Array(text.utf8).withUnsafeBytes { scan($0, context: context, scratch: scratch).detections }
    }

    func detections(in bytes: [UInt8], context: ScanContext = .plain) -> ScanOutcome {
        let scratch = DetectorScratch()
        return bytes.withUnsafeBytes { scan($0, context: context, scratch: scratch) }
    }
}
