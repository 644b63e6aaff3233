import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlObjects

/// A committed fixture (see Fixtures/make_fixtures.py).
func fixture(_ name: String) throws -> [UInt8] {
    let url = Repository.fixtures("TrawlObjectsTests/Fixtures").appendingPathComponent(name)
    return try [UInt8](Data(contentsOf: url))
}

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
}

/// Little-endian byte writer for hand-built archives.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u16(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    mutating func u32(_ v: Int) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((v >> s) & 0xFF)) } }
    mutating func u64(_ v: Int) { for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((v >> s) & 0xFF)) } }
    mutating func raw(_ b: [UInt8]) { bytes += b }
}

/// Builds zip archives in tests, including ones that lie about their sizes and ZIP64 ones.
struct ZipBuilder {
    struct Member {
        var name: String
        var data: [UInt8]
        var deflate = true
        /// Overrides the uncompressed size written to the headers (a lying archive).
        var declaredSize: Int?
        var encrypted = false
    }

    static func build(_ members: [Member], zip64: Bool = false, prefix: [UInt8] = []) -> [UInt8] {
        var w = ByteWriter()
        w.raw(prefix)
        var central = ByteWriter()
        for m in members {
            let payload = m.deflate ? Deflate.compress(m.data, container: .raw) : m.data
            let crc = m.data.withUnsafeBytes { Int(Deflate.crc32($0)) }
            let size = m.declaredSize ?? m.data.count
            let offset = w.bytes.count - prefix.count
            let name = [UInt8](m.name)
            let flags = 0x0800 | (m.encrypted ? 1 : 0)
            var extra = ByteWriter()
            if zip64 {
                extra.u16(1)
                extra.u16(16)
                extra.u64(size)
                extra.u64(payload.count)
            }
            w.u32(0x0403_4B50)
            w.u16(zip64 ? 45 : 20)
            w.u16(flags)
            w.u16(m.deflate ? 8 : 0)
            w.u16(0x6000)  // 12:00
            w.u16((44 << 9) | (5 << 5) | 17)  // 2024-05-17
            w.u32(crc)
            w.u32(zip64 ? 0xFFFF_FFFF : payload.count)
            w.u32(zip64 ? 0xFFFF_FFFF : size)
            w.u16(name.count)
            w.u16(extra.bytes.count)
            w.raw(name)
            w.raw(extra.bytes)
            w.raw(payload)

            var cextra = ByteWriter()
            if zip64 {
                cextra.u16(1)
                cextra.u16(24)
                cextra.u64(size)
                cextra.u64(payload.count)
                cextra.u64(offset)
            }
            central.u32(0x0201_4B50)
            central.u16(0x031E)
            central.u16(zip64 ? 45 : 20)
            central.u16(flags)
            central.u16(m.deflate ? 8 : 0)
            central.u16(0x6000)
            central.u16((44 << 9) | (5 << 5) | 17)
            central.u32(crc)
            central.u32(zip64 ? 0xFFFF_FFFF : payload.count)
            central.u32(zip64 ? 0xFFFF_FFFF : size)
            central.u16(name.count)
            central.u16(cextra.bytes.count)
            central.u16(0)
            central.u16(0)
            central.u16(0)
            central.u32(m.name.hasSuffix("/") ? 0x10 : 0)
            central.u32(zip64 ? 0xFFFF_FFFF : offset)
            central.raw(name)
            central.raw(cextra.bytes)
        }
        let cdOffset = w.bytes.count - prefix.count
        w.raw(central.bytes)
        if zip64 {
            let recordOffset = w.bytes.count - prefix.count
            w.u32(0x0606_4B50)
            w.u64(44)
            w.u16(45)
            w.u16(45)
            w.u32(0)
            w.u32(0)
            w.u64(members.count)
            w.u64(members.count)
            w.u64(central.bytes.count)
            w.u64(cdOffset)
            w.u32(0x0706_4B50)
            w.u32(0)
            w.u64(recordOffset)
            w.u32(1)
        }
        w.u32(0x0605_4B50)
        w.u16(0)
        w.u16(0)
        w.u16(zip64 ? 0xFFFF : members.count)
        w.u16(zip64 ? 0xFFFF : members.count)
        w.u32(zip64 ? 0xFFFF_FFFF : central.bytes.count)
        w.u32(zip64 ? 0xFFFF_FFFF : cdOffset)
        w.u16(0)
        return w.bytes
    }
}

/// The reason code `body` fails with (nil when it succeeds; records an issue for errors that
/// are not FormatErrors).
func failureReason(_ body: () throws -> Void) -> ReasonCode? {
    formatError(body)?.reason
}

/// The FormatError `body` fails with.
func formatError(_ body: () throws -> Void) -> FormatError? {
    do {
        try body()
        return nil
    } catch let error as FormatError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}
