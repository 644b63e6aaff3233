import Foundation
import FuzzDriver
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

fuzzMain(fuzzOne)
