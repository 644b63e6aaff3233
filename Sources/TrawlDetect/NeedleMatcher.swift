/// Finds every occurrence of a set of short strings ("needles": identifier keywords and
/// anchor literals) in one pass over the bytes.
///
/// The pass reads four bytes at each position, folds ASCII case with `| 0x20`, hashes them
/// and tests one bit of a small bitset (8 KiB, stays in L1). Only on a set bit does it
/// compare needles, so the cost per byte is a handful of instructions whatever the number of
/// needles. Needles of three bytes use a second bitset keyed on three bytes.
struct NeedleMatcher: Sendable {
    struct Needle: Sendable {
        var bytes: [UInt8]  // lower-cased when caseless
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
    private var bits4 = [UInt64](repeating: 0, count: 1 << 12)  // 262,144 bits: 32 KiB
    private var bits3 = [UInt64](repeating: 0, count: 1 << 10)
    /// Both bitsets side by side in one immutable allocation, read by the scan loop.
    private var table = BitTable(words: [])
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
        let key =
            short
            ? Self.fold4(bytes[0], bytes[1], bytes[2], 0) & 0x00FF_FFFF
            : Self.fold4(bytes[0], bytes[1], bytes[2], bytes[3])
        needles.append(
            Needle(bytes: bytes, caseless: caseless, wordBounded: wordBounded, tag: tag, key: key, short: short))
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
            var counts = [Int32](repeating: 0, count: (1 << 18) + 1)
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
        table = BitTable(words: bits4 + bits3)
    }

    @inline(__always) static func fold4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
        (UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24) | 0x2020_2020
    }

    @inline(__always) static func hash4(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> 14) }
    @inline(__always) static func hash3(_ key: UInt32) -> Int { Int(((key & 0x00FF_FFFF) &* 0x85EB_CA6B) >> 16) }

    static func set(_ bits: inout [UInt64], _ h: Int) { bits[h >> 6] |= 1 << UInt64(h & 63) }

    /// Appends every occurrence in `buffer` to `hits`, in order of start position.
    func findAll(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let n = buffer.count
        guard n >= 3, !needles.isEmpty, let base = buffer.baseAddress else { return }
        precondition(!start4.isEmpty, "NeedleMatcher.build() was not called")
        let p = base.assumingMemoryBound(to: UInt8.self)
        let raw = UnsafeRawPointer(base)
        let b4 = table.words
        let b3 = table.words + (1 << 12)
        var i = 0
        // Four positions per step from one 8-byte load: eight bit tests, one branch.
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | 0x2020_2020_2020_2020
            let k0 = UInt32(truncatingIfNeeded: word)
            let k1 = UInt32(truncatingIfNeeded: word >> 8)
            let k2 = UInt32(truncatingIfNeeded: word >> 16)
            let k3 = UInt32(truncatingIfNeeded: word >> 24)
            let a0 = Self.hash4(k0)
            let a1 = Self.hash4(k1)
            let a2 = Self.hash4(k2)
            let a3 = Self.hash4(k3)
            var any =
                (b4[a0 >> 6] >> UInt64(a0 & 63)) | (b4[a1 >> 6] >> UInt64(a1 & 63))
                | (b4[a2 >> 6] >> UInt64(a2 & 63)) | (b4[a3 >> 6] >> UInt64(a3 & 63))
            if hasShort {
                let c0 = Self.hash3(k0)
                let c1 = Self.hash3(k1)
                let c2 = Self.hash3(k2)
                let c3 = Self.hash3(k3)
                any |=
                    (b3[c0 >> 6] >> UInt64(c0 & 63)) | (b3[c1 >> 6] >> UInt64(c1 & 63))
                    | (b3[c2 >> 6] >> UInt64(c2 & 63)) | (b3[c3 >> 6] >> UInt64(c3 & 63))
            }
            if any & 1 != 0 {
                for (offset, key) in [(0, k0), (1, k1), (2, k2), (3, k3)] {
                    check(key: key, at: i + offset, b4: b4, b3: b3, p: p, n: n, into: &hits)
                }
            }
            i &+= 4
        }
        // The last few positions, one at a time (keys padded with zeros past the end).
        while i + 3 <= n {
            let key = Self.fold4(p[i], p[i + 1], p[i + 2], i + 3 < n ? p[i + 3] : 0)
            if i + 4 <= n {
                check(key: key, at: i, b4: b4, b3: b3, p: p, n: n, into: &hits)
            } else if hasShort {
                let short = key & 0x00FF_FFFF
                verify(
                    bucket: Self.hash3(short), starts: start3, order: order3, key: short, at: i, p: p, n: n, into: &hits
                )
            }
            i += 1
        }
    }

    @inline(__always)
    private func check(
        key: UInt32, at i: Int, b4: UnsafeMutablePointer<UInt64>, b3: UnsafeMutablePointer<UInt64>,
        p: UnsafePointer<UInt8>, n: Int, into hits: inout [Hit]
    ) {
        let h4 = Self.hash4(key)
        if (b4[h4 >> 6] >> UInt64(h4 & 63)) & 1 != 0 {
            verify(bucket: h4, starts: start4, order: order4, key: key, at: i, p: p, n: n, into: &hits)
        }
        if hasShort {
            let h3 = Self.hash3(key)
            if (b3[h3 >> 6] >> UInt64(h3 & 63)) & 1 != 0 {
                verify(
                    bucket: h3, starts: start3, order: order3, key: key & 0x00FF_FFFF, at: i, p: p, n: n, into: &hits)
            }
        }
    }

    @inline(__always)
    private func verify(
        bucket h: Int, starts: [Int32], order: [Int32], key: UInt32,
        at i: Int, p: UnsafePointer<UInt8>, n: Int, into hits: inout [Hit]
    ) {
        var k = Int(starts[h])
        let end = Int(starts[h + 1])
        while k < end {
            let needle = needles[Int(order[k])]
            k += 1
            guard needle.key == key else { continue }
            let length = needle.bytes.count
            guard i + length <= n else { continue }
            var equal = true
            needle.bytes.withUnsafeBufferPointer { nb in
                if needle.caseless {
                    for j in 0..<length where asciiLower(p[i + j]) != nb[j] {
                        equal = false
                        break
                    }
                } else {
                    for j in 0..<length where p[i + j] != nb[j] {
                        equal = false
                        break
                    }
                }
            }
            guard equal else { continue }
            if needle.wordBounded {
                // A keyword is not part of a longer word: no letter on either side. Bytes of
                // multi-byte UTF-8 characters count as letters ("téléphone" holds no "phone").
                if i > 0 && isWordByte(p[i - 1]) { continue }
                if i + length < n && isWordByte(p[i + length]) { continue }
            }
            hits.append(Hit(start: i, end: i + length, tag: needle.tag))
        }
    }
}

/// An immutable block of bitset words with a stable address, so the scan loop reads it
/// through a plain pointer.
// SAFETY: written once in init, only read afterwards.
final class BitTable: @unchecked Sendable {
    let words: UnsafeMutablePointer<UInt64>
    let count: Int
    init(words source: [UInt64]) {
        count = max(1, source.count)
        words = .allocate(capacity: count)
        words.initialize(repeating: 0, count: count)
        for (index, word) in source.enumerated() { words[index] = word }
    }
    deinit { words.deallocate() }
}

@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 { (b &- 0x41) < 26 ? b | 0x20 : b }
@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { ((b | 0x20) &- 0x61) < 26 }
@inline(__always) func isWordByte(_ b: UInt8) -> Bool { isASCIILetter(b) || b >= 0x80 }
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
        let raw = UnsafeRawPointer(base)
        let n = buffer.count
        var i = 0
        var runStart = -1
        // Eight bytes at a time: a mask with one bit per digit byte; runs start and end at
        // the mask's 0→1 and 1→0 transitions.
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            var digits = Self.digitMask(word)
            if digits == 0 {
                if runStart >= 0 {
                    append(runStart, i)
                    runStart = -1
                }
                i &+= 8
                continue
            }
            if digits == 0xFF && runStart >= 0 {
                i &+= 8
                continue
            }
            var position = 0
            while position < 8 {
                if runStart < 0 {
                    // Skip to the next digit.
                    let skip = (digits >> UInt64(position)).trailingZeroBitCount
                    if skip >= 8 - position { break }
                    position += skip
                    runStart = i + position
                } else {
                    // Skip to the next non-digit.
                    let skip = (~digits >> UInt64(position)).trailingZeroBitCount
                    if skip >= 8 - position { break }
                    position += skip
                    append(runStart, i + position)
                    runStart = -1
                }
            }
            digits = 0
            i &+= 8
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        while i < n {
            if isASCIIDigit(p[i]) {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                append(runStart, i)
                runStart = -1
            }
            i += 1
        }
        if runStart >= 0 { append(runStart, n) }
    }

    private mutating func append(_ start: Int, _ end: Int) {
        starts.append(Int32(truncatingIfNeeded: start))
        ends.append(Int32(truncatingIfNeeded: end))
    }

    /// One bit per byte of `word` (bit k for byte k) that is an ASCII digit.
    @inline(__always) static func digitMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = word & ~high
        let geq30 = (low7 &+ (0x80 &- 0x30) &* ones) & high
        let geq3A = (low7 &+ (0x80 &- 0x3A) &* ones) & high
        let digit = geq30 & ~geq3A & ~(word & high)
        // Gather the eight top bits into one byte.
        return ((digit >> 7) &* 0x0102_0408_1020_4080) >> 56
    }

    /// True when some byte of `word` is an ASCII digit (SWAR: per byte, without carries).
    @inline(__always) static func mayHaveDigit(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // With the top bit cleared, adding 0x50 (0x46) sets it exactly when byte >= 0x30 (0x3A).
        let low7 = word & ~high
        let geq30 = (low7 &+ (0x80 &- 0x30) &* ones) & high  // byte >= 0x30
        let geq3A = (low7 &+ (0x80 &- 0x3A) &* ones) & high  // byte >= 0x3A
        return (geq30 & ~geq3A & ~(word & high)) != 0
    }

    var count: Int { starts.count }
}
