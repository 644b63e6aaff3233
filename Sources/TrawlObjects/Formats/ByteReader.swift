/// Bounds-checked little-endian reads over bytes that someone else wrote.
///
/// TrawlObjects is compiled with `-O` even in debug builds, where an unsafe buffer's subscript
/// does not check its index: a read at an offset taken from a file must be checked by hand.
/// The zip and tar readers go through this type, so a lying offset or size gives `nil` (which
/// the reader turns into a `FormatError`), never a read outside the bytes or an overflow trap.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var count: Int { bytes.count }

    /// True when `length` bytes at `offset` lie inside the bytes. Safe for any inputs
    /// (negative, huge): it compares without adding.
    func contains(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    /// The `length` bytes at `offset`, when they are all there.
    func slice(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer? {
        guard contains(offset, length) else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
    }

    /// The range of `length` bytes at `offset`, sizes as a file declares them (64-bit).
    func range(_ offset: Int64, _ length: Int64) -> Range<Int>? {
        guard let start = Int(exactly: offset), let count = Int(exactly: length), contains(start, count) else {
            return nil
        }
        return start..<(start + count)
    }

    /// A fixed-size record (a header) at `offset`, when it is whole.
    func record(_ offset: Int, size: Int) -> ByteRecord? {
        slice(offset, size).map(ByteRecord.init)
    }

    func u16(_ offset: Int) -> UInt16? { record(offset, size: 2)?.u16(0) }
    func u32(_ offset: Int) -> UInt32? { record(offset, size: 4)?.u32(0) }
}

/// A fixed-size header found wholly inside the bytes (`ByteReader.record`). Its fields sit at
/// offsets written in the code, not read from the file, so reading one needs no check against
/// the file; the precondition only catches a field offset mistyped in the code.
struct ByteRecord {
    let bytes: UnsafeRawBufferPointer

    func u8(_ field: Int) -> UInt8 {
        precondition(field >= 0 && field < bytes.count, "field outside its record")
        return bytes[field]
    }

    func u16(_ field: Int) -> UInt16 {
        precondition(field >= 0 && field + 2 <= bytes.count, "field outside its record")
        return UInt16(bytes[field]) | UInt16(bytes[field + 1]) << 8
    }

    func u32(_ field: Int) -> UInt32 {
        precondition(field >= 0 && field + 4 <= bytes.count, "field outside its record")
        return UInt32(bytes[field]) | UInt32(bytes[field + 1]) << 8 | UInt32(bytes[field + 2]) << 16
            | UInt32(bytes[field + 3]) << 24
    }

    func u64(_ field: Int) -> UInt64 { UInt64(u32(field)) | UInt64(u32(field + 4)) << 32 }
}

/// Arithmetic on numbers read from files: `nil` on overflow where Swift's operators trap.
enum Checked {
    static func add(_ a: Int64, _ b: Int64) -> Int64? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    static func add(_ a: Int, _ b: Int) -> Int? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    static func subtract(_ a: Int64, _ b: Int64) -> Int64? {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : difference
    }

    static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// `a + b`, pinned at `Int64.max`/`min`: for totals compared against a limit, where a sum
    /// too large to represent is simply over the limit.
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 { a.saturatingAdd(b) }

    /// `value` rounded up to a multiple of `unit` (> 0); nil when that does not fit or
    /// `value` is negative.
    static func roundUp(_ value: Int64, toMultipleOf unit: Int64) -> Int64? {
        guard value >= 0, let bumped = add(value, unit - 1) else { return nil }
        return bumped / unit * unit
    }

    /// A decimal number of at most `max`, from ASCII digits only (no sign, no spaces); nil for
    /// anything else, including more than `max`.
    static func decimal(_ digits: some Collection<UInt8>, max: Int) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for b in digits {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            guard let shifted = multiply(value, 10), let next = add(shifted, Int(b - UInt8(ascii: "0"))), next <= max
            else { return nil }
            value = next
        }
        return value
    }
}
