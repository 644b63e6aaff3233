import Foundation
import FuzzDriver
import TrawlObjects

/// JSON and JSON Lines: validation with a small depth limit, every scalar with its path,
/// lookups of offsets, and the JSON Lines record walk and locator.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let index = JSONIndex(bytes, maxDepth: 64)
    _ = try? index.validate()
    var scalars = 0
    _ = try? index.forEachScalar(includeKeys: true) { scalar, path in
        precondition(scalar.range.lowerBound >= 0 && scalar.range.upperBound <= bytes.count, "scalar outside")
        scalars += 1
        if scalars <= 200 { _ = path.resolve(in: bytes).rendered }
        if scalar.kind == .string { _ = JSONIndex.decodeString(UnsafeRawBufferPointer(rebasing: bytes[scalar.range])) }
    }
    let probes = Set([0, bytes.count / 2, bytes.count - 1, Int(bytes.last ?? 0) * 3]).sorted()
    for offset in probes where offset >= 0 && offset < bytes.count {
        if let location = index.locate(offset) {
            precondition(location.range.upperBound <= bytes.count, "location outside")
            _ = location.path.rendered
        }
    }
    let lines = JSONLines(bytes, maxDepth: 64)
    var records = 0
    lines.forEachRecord { _, range, _ in
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "record outside")
        records += 1
    }
    var cursor = JSONLines.Cursor()
    for offset in probes where offset >= 0 && offset < bytes.count {
        let found = lines.locate(offset, cursor: &cursor)
        precondition(found.recordIndex >= 0, "negative record")
        if let location = found.location { precondition(location.range.upperBound <= bytes.count, "location outside") }
    }
}

fuzzMain(fuzzOne)
