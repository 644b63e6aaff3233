import Foundation
import FuzzDriver
import TrawlObjects

/// A gzip object: its header, the declared size (ISIZE), and bounded inflation. The first
/// byte also picks raw deflate or zlib, so those containers get their share.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let header = GzipHeader.parse(bytes)
    if let header {
        precondition(header.headerLength >= 10 && header.headerLength <= bytes.count, "header past the end")
    }
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

fuzzMain(fuzzOne)
