/// Finds every occurrence of a set of short strings ("needles": identifier keywords and
/// anchor literals) in one pass over the bytes.
///
/// The pass reads four bytes at each position, folds ASCII case with `| 0x20`, hashes them
/// and tests one bit of a small bitset (8 KiB, stays in L1). Only on a set bit does it
/// compare needles, so the cost per byte is a handful of instructions whatever the number of
/// needles. Needles of three bytes use a second bitset keyed on three bytes.
struct NeedleMatcher: Sendable {
    struct Needle: Sendable {
        var bytes: [UInt8]          // lower-cased when caseless
        var caseless: Bool
        /// Require that the bytes around the occurrence are not ASCII letters.
        var wordBounded: Bool
        /// Caller's tag (an index into its own table).
        var tag: Int32
        /// The folded key of the first 4 (or 3) bytes, compared before the needle itself.
        var key: UInt32
        var short: Bool
    }

    struct Hit: Sendable {
        var start: Int
        var end: Int
        var tag: Int32
    }

    private(set) var needles: [Needle] = []
    private var bits4 = [UInt64](repeating: 0, count: 1 << 10)   // 65,536 bits: 8 KiB, in L1
    private var bits3 = [UInt64](repeating: 0, count: 1 << 10)
    /// Needles grouped by hash (CSR layout): bucket h holds needleOrder[start[h]..<start[h+1]].
    private var start4: [Int32] = []
    private var order4: [Int32] = []
    private var start3: [Int32] = []
    private var order3: [Int32] = []
    private var hasShort = false

    var isEmpty: Bool { needles.isEmpty }

    mutating func add(_ text: [UInt8], caseless: Bool, wordBounded: Bool, tag: Int32) {
        precondition(text.count >= 3, "needles are at least 3 bytes")
        let bytes = caseless ? text.map(asciiLower) : text
        let short = bytes.count < 4
        let key = short
            ? Self.fold4(bytes[0], bytes[1], bytes[2], 0) & 0x00FF_FFFF
            : Self.fold4(bytes[0], bytes[1], bytes[2], bytes[3])
        needles.append(Needle(bytes: bytes, caseless: caseless, wordBounded: wordBounded, tag: tag, key: key, short: short))
        if short {
            Self.set(&bits3, Self.hash3(key))
            hasShort = true
        } else {
            Self.set(&bits4, Self.hash4(key))
        }
        start4 = []  // rebuilt on first use
    }

    /// Groups needles by hash; called once after the last `add`.
    mutating func build() {
        func group(_ short: Bool, _ hash: (UInt32) -> Int) -> ([Int32], [Int32]) {
            var counts = [Int32](repeating: 0, count: (1 << 16) + 1)
            for needle in needles where needle.short == short { counts[hash(needle.key) + 1] += 1 }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            var fill = counts
            var order = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
            for (index, needle) in needles.enumerated() where needle.short == short {
                let h = hash(needle.key)
                order[Int(fill[h])] = Int32(index)
                fill[h] += 1
            }
            return (counts, order)
        }
        (start4, order4) = group(false, Self.hash4)
        (start3, order3) = group(true, Self.hash3)
    }

    @inline(__always) static func fold4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
        (UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24) | 0x2020_2020
    }

    @inline(__always) static func hash4(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> 16) }
    @inline(__always) static func hash3(_ key: UInt32) -> Int { Int(((key & 0x00FF_FFFF) &* 0x85EB_CA6B) >> 16) }

    static func set(_ bits: inout [UInt64], _ h: Int) { bits[h >> 6] |= 1 << UInt64(h & 63) }

    /// Appends every occurrence in `buffer` to `hits`, in order of start position.
    func findAll(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let n = buffer.count
        guard n >= 3, !needles.isEmpty, let base = buffer.baseAddress else { return }
        precondition(!start4.isEmpty, "NeedleMatcher.build() was not called")
        let p = base.assumingMemoryBound(to: UInt8.self)
        let hasShort = hasShort
        bits4.withUnsafeBufferPointer { b4 in
            bits3.withUnsafeBufferPointer { b3 in
                needles.withUnsafeBufferPointer { table in
                    var i = 0
                    while i + 4 <= n {
                        let key = UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self) | 0x2020_2020
                        let h4 = Self.hash4(key)
                        let hit4 = b4[h4 >> 6] & (1 << UInt64(h4 & 63))
                        var hit3: UInt64 = 0
                        var h3 = 0
                        if hasShort {
                            h3 = Self.hash3(key)
                            hit3 = b3[h3 >> 6] & (1 << UInt64(h3 & 63))
                        }
                        if hit4 | hit3 != 0 {
                            if hit4 != 0 { verify(bucket: h4, starts: start4, order: order4, key: key, table, at: i, p: p, n: n, into: &hits) }
                            if hit3 != 0 { verify(bucket: h3, starts: start3, order: order3, key: key & 0x00FF_FFFF, table, at: i, p: p, n: n, into: &hits) }
                        }
                        i += 1
                    }
                    // Tail: only 3-byte needles can still start here.
                    if hasShort && i + 3 <= n {
                        let key = Self.fold4(p[i], p[i + 1], p[i + 2], 0) & 0x00FF_FFFF
                        verify(bucket: Self.hash3(key), starts: start3, order: order3, key: key, table, at: i, p: p, n: n, into: &hits)
                    }
                }
            }
        }
    }

    @inline(__always)
    private func verify(
        bucket h: Int, starts: [Int32], order: [Int32], key: UInt32, _ table: UnsafeBufferPointer<Needle>,
        at i: Int, p: UnsafePointer<UInt8>, n: Int, into hits: inout [Hit]
    ) {
        var k = Int(starts[h])
        let end = Int(starts[h + 1])
        while k < end {
            let needle = table[Int(order[k])]
            k += 1
            guard needle.key == key else { continue }
            let length = needle.bytes.count
            guard i + length <= n else { continue }
            var equal = true
            needle.bytes.withUnsafeBufferPointer { nb in
                if needle.caseless {
                    for j in 0..<length where asciiLower(p[i + j]) != nb[j] { equal = false; break }
                } else {
                    for j in 0..<length where p[i + j] != nb[j] { equal = false; break }
                }
            }
            guard equal else { continue }
            if needle.wordBounded {
                if i > 0 && isASCIILetter(p[i - 1]) { continue }
                if i + length < n && isASCIILetter(p[i + length]) { continue }
            }
            hits.append(Hit(start: i, end: i + length, tag: needle.tag))
        }
    }
}

@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 { (b &- 0x41) < 26 ? b | 0x20 : b }
@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { ((b | 0x20) &- 0x61) < 26 }
@inline(__always) func isASCIIDigit(_ b: UInt8) -> Bool { (b &- 0x30) < 10 }
@inline(__always) func isASCIIUpper(_ b: UInt8) -> Bool { (b &- 0x41) < 26 }

/// Maximal runs of ASCII digits, found in one pass. Identifiers with digit anchors join
/// neighbouring runs across their own separators (see `DigitRuns.joined`).
struct DigitRuns {
    var starts: [Int32] = []
    var ends: [Int32] = []

    init() {}

    init(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = buffer.count
        var i = 0
        // Skip eight bytes at a time while none is a digit: a digit is 0x30...0x39, so a
        // word has one iff some byte b satisfies (b - 0x30) < 10 — tested with SWAR.
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if !Self.mayHaveDigit(word) { i += 8; continue }
            }
            if isASCIIDigit(p[i]) {
                let start = i
                i += 1
                while i < n && isASCIIDigit(p[i]) { i += 1 }
                starts.append(Int32(truncatingIfNeeded: start))
                ends.append(Int32(truncatingIfNeeded: i))
            } else {
                i += 1
            }
        }
    }

    /// True when some byte of `word` is an ASCII digit (SWAR: per byte, without carries).
    @inline(__always) static func mayHaveDigit(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // With the top bit cleared, adding 0x50 (0x46) sets it exactly when byte >= 0x30 (0x3A).
        let low7 = word & ~high
        let geq30 = (low7 &+ (0x80 &- 0x30) &* ones) & high      // byte >= 0x30
        let geq3A = (low7 &+ (0x80 &- 0x3A) &* ones) & high      // byte >= 0x3A
        return (geq30 & ~geq3A & ~(word & high)) != 0
    }

    var count: Int { starts.count }
}
