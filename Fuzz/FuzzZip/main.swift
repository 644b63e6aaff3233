import Foundation
import FuzzDriver
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

fuzzMain(fuzzOne)
