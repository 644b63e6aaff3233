import Dispatch
import TrawlRegex

/// What the detector reports for one identifier (managed or custom).
public struct DetectorInfo: Sendable {
    public var id: String
    public var name: String
    public var category: Category
    public var isCustom: Bool
    /// Managed identifiers: Macie's severity for 1, 2–99, ≥100 occurrences.
    public var severityBands: [Severity]
    /// Custom identifiers: Macie's `severityLevels`, ascending by threshold. Empty means
    /// Medium from one occurrence.
    public var severityLevels: [CustomIdentifier.SeverityLevel]
    public var keywords: [String]

    /// The severity of `count` occurrences in one object; nil when a custom identifier's
    /// lowest threshold is not reached (Macie then makes no finding).
    public func severity(occurrences count: Int) -> Severity? {
        if isCustom {
            guard !severityLevels.isEmpty else { return count >= 1 ? .medium : nil }
            return severityLevels.last { count >= $0.occurrencesThreshold }?.severity
        }
        return count >= 100 ? severityBands[2] : count >= 2 ? severityBands[1] : severityBands[0]
    }
}

/// One sensitive value found in a buffer.
public struct Detection: Sendable, Equatable {
    /// Index into `Detector.infos`.
    public var identifier: Int
    /// The value's byte range in the scanned buffer.
    public var range: Range<Int>
    /// The keyword that satisfied proximity, when one was needed and found in the text
    /// (nil when none was needed or a column name / JSON path satisfied it).
    public var keyword: Range<Int>?
}

/// Where keywords may come from besides the text itself, and how to scope them.
public struct ScanContext {
    /// A byte range (a CSV cell, a JSON value) whose column name or path already satisfies
    /// the keyword requirement of some identifiers.
    public struct NamedSegment: Sendable {
        public var range: Range<Int>
        public var identifiers: [Int]
        public init(range: Range<Int>, identifiers: [Int]) {
            self.range = range
            self.identifiers = identifiers
        }
    }

    public var namedSegments: [NamedSegment]
    /// When set, a keyword in the text counts only inside the same segment as the value
    /// (Macie: the same cell, the same JSON value).
    public var segmentOf: ((Int) -> Range<Int>?)?
    /// Only values starting at or after this offset are reported (the overlap of a chunk
    /// with the previous one was reported there).
    public var reportFrom: Int

    public init(
        namedSegments: [NamedSegment] = [], segmentOf: ((Int) -> Range<Int>?)? = nil, reportFrom: Int = 0
    ) {
        self.namedSegments = namedSegments
        self.segmentOf = segmentOf
        self.reportFrom = reportFrom
    }

    public static var plain: ScanContext { ScanContext() }
}

/// The result of scanning one buffer.
public struct ScanOutcome: Sendable {
    public var detections: [Detection] = []
    /// Some window hit PCRE2's match or depth limit: the object was not fully analysed.
    public var limitExceeded = false
}

/// Per-worker scratch space for `Detector.scan`. Not shareable.
public final class DetectorScratch {
    let match = MatchScratch()
    var hits: [NeedleMatcher.Hit] = []
    /// When the object being analysed must be done, in `DispatchTime` uptime nanoseconds
    /// (`UInt64.max`: no limit). Scans stop between matches once it has passed.
    public private(set) var deadline = UInt64.max
    /// Whether a scan stopped at `deadline` since `start(deadline:)`.
    public private(set) var deadlineReached = false

    public init() {}

    /// Starts the time budget of one object (Macie's TIME_CUT_OFF_REACHED).
    public func start(deadline: UInt64) {
        self.deadline = deadline
        deadlineReached = false
        sinceClock = 0
    }

    /// Calls of `pastDeadline()` since the clock was last read.
    private var sinceClock = 0

    /// Whether the deadline has passed. The clock is read on every 64th call only (a call comes
    /// between two matches or two windows, so the deadline is overshot by 64 matches at most):
    /// reading it between every two matches cost the whole catalog a tenth of its speed.
    @inline(__always) func pastDeadline() -> Bool {
        if deadlineReached { return true }
        guard deadline != .max else { return false }
        sinceClock &+= 1
        guard sinceClock >= 64 else { return false }
        sinceClock = 0
        if DispatchTime.now().uptimeNanoseconds >= deadline { deadlineReached = true }
        return deadlineReached
    }
}

/// The compiled set of identifiers a scan uses: immutable and shared by every worker.
///
/// `scan` makes one cheap pass to find where anything could match (keywords, anchor
/// literals, digit runs, anchor bytes), then runs each rule's JIT-compiled regex only on
/// small windows there, then validators, keyword proximity, ignore and allow lists.
public final class Detector: Sendable {
    public let infos: [DetectorInfo]
    let rules: [CompiledRule]
    let needles: NeedleMatcher
    let needleOwners: [NeedleOwner]
    let usesDigitRuns: Bool
    /// Distinct digit-run specs; spans are computed once per spec and scan.
    let digitSpecs: [DigitSpec]

    struct DigitSpec: Hashable, Sendable {
        var min: Int
        var max: Int
        var separators: [UInt8]
        var afterUpper: Int
    }
    let anchorBytes: [UInt8]
    let supersededBy: [Int?]
    let allowList: CompiledAllowList
    /// Normalized keywords per info (bytes), for matching column names and JSON paths.
    let nameKeywords: [[[UInt8]]]

    enum NeedleOwner: Sendable {
        case keyword(info: Int)
        case literal(rule: Int, before: Int)
    }

    enum KeywordMode: Sendable, Equatable {
        case none
        /// Managed: a keyword within `distance` characters, before or after the value.
        case nearby(distance: Int)
        /// Custom: a keyword before the match, its end within `distance` characters of the
        /// match's end.
        case preceding(distance: Int)
    }

    struct CompiledRule: Sendable {
        var info: Int
        var pattern: CompiledPattern
        var keywordMode: KeywordMode
        var bytes: [(UInt8, Int)]
        /// Digit anchors: the index of the shared span spec and the bytes that must precede.
        var digits: [(spec: Int, after: [UInt8])]
        var everywhere: Bool
        var validator: Validator?
        var maxLength: Int
        var ignoreCompact: Set<[UInt8]>
        var ignoreWords: [[UInt8]]
    }

    /// Compiles `identifiers` (managed) and `custom` identifiers. Regex errors name the
    /// identifier and the offset.
    public init(
        identifiers: [Identifier], custom: [CustomIdentifier] = [], allowList: AllowList = AllowList()
    ) throws(CatalogError) {
        var infos: [DetectorInfo] = []
        var rules: [CompiledRule] = []
        var needles = NeedleMatcher()
        var owners: [NeedleOwner] = []
        var nameKeywords: [[[UInt8]]] = []
        var digitSpecs: [DigitSpec] = []

        func addKeywords(_ keywords: [String], info: Int, wordBounded: Bool) {
            for keyword in keywords {
                for variant in KeywordForms.variants(of: keyword) where variant.count >= 3 {
                    needles.add(variant, caseless: true, wordBounded: wordBounded, tag: Int32(owners.count))
                    owners.append(.keyword(info: info))
                }
            }
        }

        for identifier in identifiers {
            let info = infos.count
            infos.append(
                DetectorInfo(
                    id: identifier.id, name: identifier.name, category: identifier.category, isCustom: false,
                    severityBands: identifier.severityBands, severityLevels: [], keywords: identifier.keywords))
            nameKeywords.append(identifier.keywords.map { Array(KeywordForms.normalizedName($0).utf8) })
            if !identifier.keywords.isEmpty { addKeywords(identifier.keywords, info: info, wordBounded: true) }
            let ignore = Set(identifier.ignore.map { Array($0.utf8).filter { $0 != 0x20 && $0 != 0x2D } })
            for rule in identifier.rules {
                let pattern: CompiledPattern
                do {
                    pattern = try CompiledPattern(rule.regex, options: rule.caseless ? [.caseless] : [])
                } catch {
                    throw CatalogError(identifier: identifier.id, field: "regex", message: error.description)
                }
                var validator: Validator?
                if let name = rule.validator {
                    guard let found = Validators.registry[name] else {
                        throw CatalogError(
                            identifier: identifier.id, field: "validator",
                            message:
                                "unknown validator \"\(name)\"; known: \(Validators.registry.keys.sorted().joined(separator: ", "))"
                        )
                    }
                    validator = found
                }
                let needsKeyword = (rule.keywordRequired ?? identifier.keywordRequired) && !identifier.keywords.isEmpty
                var compiled = CompiledRule(
                    info: info, pattern: pattern,
                    keywordMode: needsKeyword ? .nearby(distance: identifier.keywordDistance) : .none,
                    bytes: [], digits: [], everywhere: false, validator: validator, maxLength: rule.maxLength,
                    ignoreCompact: ignore, ignoreWords: [])
                let ruleIndex = rules.count
                if !needsKeyword {
                    for anchor in rule.anchors {
                        switch anchor {
                        case .literals(let literals, let caseless, let before):
                            for literal in literals {
                                needles.add(
                                    Array(literal.utf8), caseless: caseless, wordBounded: false,
                                    tag: Int32(owners.count))
                                owners.append(.literal(rule: ruleIndex, before: before))
                            }
                        case .byte(let byte, let before): compiled.bytes.append((byte, before))
                        case .digits(let min, let max, let separators, let afterUpper, let after):
                            let spec = DigitSpec(min: min, max: max, separators: separators, afterUpper: afterUpper)
                            let index =
                                digitSpecs.firstIndex(of: spec)
                                ?? {
                                    digitSpecs.append(spec)
                                    return digitSpecs.count - 1
                                }()
                            compiled.digits.append((index, after))
                        case .everywhere: compiled.everywhere = true
                        }
                    }
                }
                rules.append(compiled)
            }
        }

        for custom in custom {
            let info = infos.count
            infos.append(
                DetectorInfo(
                    id: custom.name, name: custom.name, category: .custom, isCustom: true, severityBands: [],
                    severityLevels: custom.severityLevels, keywords: custom.keywords))
            nameKeywords.append(custom.keywords.map { Array(KeywordForms.normalizedName($0).utf8) })
            let pattern: CompiledPattern
            do {
                pattern = try CompiledPattern(custom.regex, options: [.utf])
            } catch {
                throw CatalogError(
                    file: custom.source, identifier: custom.name, field: "regex", message: error.description)
            }
            if !custom.keywords.isEmpty { addKeywords(custom.keywords, info: info, wordBounded: false) }
            rules.append(
                CompiledRule(
                    info: info, pattern: pattern,
                    keywordMode: custom.keywords.isEmpty ? .none : .preceding(distance: custom.maximumMatchDistance),
                    bytes: [], digits: [], everywhere: custom.keywords.isEmpty, validator: nil, maxLength: 4096,
                    ignoreCompact: [], ignoreWords: custom.ignoreWords.map { Array($0.utf8) }))
        }

        needles.build()
        var superseded: [Int?] = Array(repeating: nil, count: infos.count)
        for (index, identifier) in identifiers.enumerated() {
            if let other = identifier.supersededBy { superseded[index] = infos.firstIndex { $0.id == other } }
        }

        self.infos = infos
        self.rules = rules
        self.needles = needles
        self.needleOwners = owners
        self.usesDigitRuns = rules.contains { !$0.digits.isEmpty }
        self.digitSpecs = digitSpecs
        self.anchorBytes = Array(Set(rules.flatMap { $0.bytes.map(\.0) })).sorted()
        self.supersededBy = superseded
        self.allowList = try CompiledAllowList(allowList)
        self.nameKeywords = nameKeywords
    }

    /// The widest stretch of text one detection can depend on (a value plus the keyword
    /// distance on both sides, or a literal's window). Streams overlap chunks by at least this.
    public var maxWindowSpan: Int {
        rules.map { rule -> Int in
            switch rule.keywordMode {
            case .nearby(let distance): 2 * (4 * distance + rule.maxLength) + 128
            case .preceding(let distance): 4 * distance + rule.maxLength + 128
            case .none: rule.maxLength + 128
            }
        }.max() ?? 0
    }

    /// The identifiers (indices into `infos`) whose keyword requirement a column name or a
    /// JSON path element `name` satisfies: a keyword appears in it, ignoring case and the
    /// separators ` `, `_`, `-`, `.` (so `customer_SSN` and `customerSsn` both carry `ssn`).
    public func identifiersSatisfied(byName name: String) -> [Int] {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(name.utf8.count)
        for byte in name.utf8 where byte != 0x20 && byte != 0x5F && byte != 0x2D && byte != 0x2E {
            normalized.append(asciiLower(byte))
        }
        guard !normalized.isEmpty else { return [] }
        if name.utf8.contains(where: { $0 >= 0x80 }) {
            // Non-ASCII names: Unicode lower-casing, then the same byte search.
            normalized = Array(KeywordForms.normalizedName(name).utf8)
        }
        var result: [Int] = []
        for (index, keywords) in nameKeywords.enumerated()
        where keywords.contains(where: { !$0.isEmpty && Self.contains(normalized, $0) }) {
            result.append(index)
        }
        return result
    }

    /// Scans `buffer` and returns its detections sorted by identifier, then position.
    public func scan(_ buffer: UnsafeRawBufferPointer, context: ScanContext = .plain, scratch: DetectorScratch)
        -> ScanOutcome
    {
        var outcome = ScanOutcome()
        let n = buffer.count
        guard n > 0, !scratch.pastDeadline() else { return outcome }

        // 1. One pass for keywords and literals.
        scratch.hits.removeAll(keepingCapacity: true)
        needles.findAll(in: buffer, into: &scratch.hits)
        var keywordHits = [[Range<Int>]](repeating: [], count: infos.count)
        var literalWindows = [[Range<Int>]](repeating: [], count: rules.count)
        for hit in scratch.hits {
            switch needleOwners[Int(hit.tag)] {
            case .keyword(let info): keywordHits[info].append(hit.start..<hit.end)
            case .literal(let rule, let before):
                let lo = max(0, hit.start - before)
                literalWindows[rule].append(lo..<min(n, lo + rules[rule].maxLength + before + 1))
            }
        }
        // 2. Digit runs and anchor bytes, only when some rule uses them.
        let runs = usesDigitRuns ? DigitRuns(buffer) : DigitRuns()
        // Spans per digit spec, computed once; those preceded by letters are also indexed
        // by the letters (an IBAN's country code) so each country's rule finds its own.
        var spans = [[Range<Int>]](repeating: [], count: digitSpecs.count)
        var spansAfter = [[UInt64: [Range<Int>]]](repeating: [:], count: digitSpecs.count)
        for (index, spec) in digitSpecs.enumerated() {
            runs.joined(
                separators: spec.separators, min: spec.min, max: spec.max, afterUpper: spec.afterUpper, buffer: buffer
            ) { run in
                spans[index].append(run)
                if spec.afterUpper > 0 && spec.afterUpper <= 8 {
                    spansAfter[index][
                        Self.packed(buffer, run.lowerBound - spec.afterUpper..<run.lowerBound), default: []
                    ].append(run)
                }
            }
        }
        var bytePositions: [UInt8: [Int]] = [:]
        for byte in anchorBytes { bytePositions[byte] = Self.positions(of: byte, in: buffer) }

        var contextWindows = [[Range<Int>]](repeating: [], count: infos.count)
        for segment in context.namedSegments {
            for info in segment.identifiers where info < infos.count { contextWindows[info].append(segment.range) }
        }

        // 3. Each rule's regex on its windows.
        var found: [Detection] = []
        for (ruleIndex, rule) in rules.enumerated() {
            if scratch.pastDeadline() { break }
            var windows: [Range<Int>] = []
            switch rule.keywordMode {
            case .nearby(let distance):
                // The value lies within `distance` characters of the keyword, either side.
                for hit in keywordHits[rule.info] {
                    let lo = max(0, Self.offset(hit.lowerBound, characters: -distance, in: buffer) - rule.maxLength - 1)
                    let hi = min(n, Self.offset(hit.upperBound, characters: distance, in: buffer) + rule.maxLength + 1)
                    windows.append(lo..<hi)
                }
            case .preceding(let distance):
                for hit in keywordHits[rule.info] {
                    windows.append(
                        hit.lowerBound..<min(n, Self.offset(hit.upperBound, characters: distance, in: buffer) + 1))
                }
            case .none:
                if rule.everywhere {
                    // Bounded pieces, each overlapping the next by a match's length: a pattern
                    // that is quadratic in its subject (a look-ahead over everything that follows)
                    // costs at most one piece's worth between two deadline checks.
                    windows += Self.pieces(of: n, size: Self.everywherePieceSize, overlap: rule.maxLength + 64)
                } else {
                    windows += literalWindows[ruleIndex]
                    for (byte, before) in rule.bytes {
                        for position in bytePositions[byte] ?? [] {
                            windows.append(max(0, position - before)..<min(n, position + rule.maxLength + 1))
                        }
                    }
                    for (specIndex, after) in rule.digits {
                        let spec = digitSpecs[specIndex]
                        let candidates: [Range<Int>]
                        if !after.isEmpty && after.count == spec.afterUpper {
                            candidates = spansAfter[specIndex][Self.packed(after)] ?? []
                        } else {
                            candidates = spans[specIndex]
                        }
                        for run in candidates {
                            let lo = max(0, run.lowerBound - spec.afterUpper - 8)
                            let hi = min(n, max(run.upperBound, lo + rule.maxLength) + 8)
                            windows.append(lo..<hi)
                        }
                    }
                }
            }
            if !windows.isEmpty {
                runRule(
                    rule, windows: rule.everywhere ? windows : Self.merged(windows), satisfied: false, buffer: buffer,
                    keywordHits: keywordHits[rule.info], context: context, scratch: scratch, into: &found,
                    outcome: &outcome)
            }
            if rule.keywordMode != .none && !contextWindows[rule.info].isEmpty {
                runRule(
                    rule, windows: Self.merged(contextWindows[rule.info]), satisfied: true, buffer: buffer,
                    keywordHits: [],
                    context: context, scratch: scratch, into: &found, outcome: &outcome)
            }
        }

        // 4. One detection per identifier and range; superseded and allowed ones dropped.
        found.sort {
            ($0.identifier, $0.range.lowerBound, $0.range.upperBound) < (
                $1.identifier, $1.range.lowerBound, $1.range.upperBound
            )
        }
        var unique: [Detection] = []
        unique.reserveCapacity(found.count)
        for detection in found {
            if let last = unique.last, last.identifier == detection.identifier, last.range == detection.range {
                continue
            }
            unique.append(detection)
        }
        if supersededBy.contains(where: { $0 != nil }) {
            var taken = Set<[Int]>()
            for d in unique { taken.insert([d.identifier, d.range.lowerBound, d.range.upperBound]) }
            unique.removeAll { d in
                guard d.identifier < supersededBy.count, let other = supersededBy[d.identifier] else { return false }
                return taken.contains([other, d.range.lowerBound, d.range.upperBound])
            }
        }
        if !allowList.isEmpty {
            unique.removeAll { allowList.allows(buffer, $0.range, scratch: scratch.match) }
        }
        outcome.detections = unique
        return outcome
    }

    private func runRule(
        _ rule: CompiledRule, windows: [Range<Int>], satisfied: Bool, buffer: UnsafeRawBufferPointer,
        keywordHits: [Range<Int>], context: ScanContext, scratch: DetectorScratch,
        into found: inout [Detection], outcome: inout ScanOutcome
    ) {
        let n = buffer.count
        for window in windows {
            do {
                var position = window.lowerBound
                // A pattern whose every match is costly (a look-ahead over the rest of the
                // buffer) is bounded by the object's deadline, checked between matches.
                while position <= window.upperBound && !scratch.pastDeadline() {
                    guard
                        var match = try rule.pattern.firstMatch(
                            in: buffer, from: position, to: window.upperBound, scratch: scratch.match)
                    else { break }
                    // A match that reaches a window's cut may continue beyond it: re-match
                    // anchored at its start against the whole buffer.
                    if match.range.upperBound == window.upperBound && window.upperBound < n,
                        let longer = try rule.pattern.firstMatch(
                            in: buffer, from: match.range.lowerBound,
                            to: min(n, match.range.lowerBound + rule.maxLength * 2 + 64),
                            anchored: true, scratch: scratch.match)
                    {
                        match = longer
                    }
                    position = match.range.isEmpty ? match.range.upperBound + 1 : match.range.upperBound
                    if satisfied && !window.contains(match.range.lowerBound) { continue }
                    if satisfied && match.range.upperBound > window.upperBound { continue }
                    if let detection = accept(
                        match, rule: rule, satisfied: satisfied, buffer: buffer,
                        keywordHits: keywordHits, context: context)
                    {
                        found.append(detection)
                    }
                }
            } catch {
                outcome.limitExceeded = true
            }
        }
    }

    private func accept(
        _ match: RegexMatch, rule: CompiledRule, satisfied: Bool, buffer: UnsafeRawBufferPointer,
        keywordHits: [Range<Int>], context: ScanContext
    ) -> Detection? {
        let value = match.valueRange
        guard !value.isEmpty, value.lowerBound >= context.reportFrom else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[value])
        if !rule.ignoreCompact.isEmpty && rule.ignoreCompact.contains(bytes.filter { $0 != 0x20 && $0 != 0x2D }) {
            return nil
        }
        if !rule.ignoreWords.isEmpty {
            let matched = Array(buffer[match.range])
            if rule.ignoreWords.contains(where: { Self.contains(matched, $0) }) { return nil }
        }
        if let validator = rule.validator, !validator(bytes) { return nil }
        var keyword: Range<Int>?
        if !satisfied {
            switch rule.keywordMode {
            case .none: break
            case .nearby(let distance):
                guard
                    let hit = Self.nearestKeyword(
                        keywordHits, to: value, within: distance, buffer: buffer, context: context)
                else { return nil }
                keyword = hit
            case .preceding(let distance):
                guard
                    let hit = Self.precedingKeyword(
                        keywordHits, before: match.range, within: distance, buffer: buffer, context: context)
                else { return nil }
                keyword = hit
            }
        }
        return Detection(identifier: rule.info, range: value, keyword: keyword)
    }

    /// A keyword within `distance` characters of `value`, on either side. `hits` is sorted
    /// by position, so only the few hits near the value are looked at.
    static func nearestKeyword(
        _ hits: [Range<Int>], to value: Range<Int>, within distance: Int, buffer: UnsafeRawBufferPointer,
        context: ScanContext
    ) -> Range<Int>? {
        let segment = context.segmentOf?(value.lowerBound)
        // Hits ending more than 4 bytes per character before the value cannot be in range.
        var index = firstHit(in: hits, endingAtOrAfter: value.lowerBound - 4 * distance)
        var best: (Range<Int>, Int)?
        while index < hits.count, hits[index].lowerBound <= value.upperBound + 4 * distance {
            let hit = hits[index]
            index += 1
            if let segment, !(segment.contains(hit.lowerBound) && hit.upperBound <= segment.upperBound) { continue }
            let gap: Int
            if hit.upperBound <= value.lowerBound {
                gap = characters(in: hit.upperBound..<value.lowerBound, buffer)
            } else if hit.lowerBound >= value.upperBound {
                gap = characters(in: value.upperBound..<hit.lowerBound, buffer)
            } else {
                gap = 0
            }
            if gap <= distance, best == nil || gap < best!.1 { best = (hit, gap) }
        }
        return best?.0
    }

    /// A keyword that starts before `match` and whose end is within `distance` characters of
    /// the end of the match (Macie's custom identifier rule).
    static func precedingKeyword(
        _ hits: [Range<Int>], before match: Range<Int>, within distance: Int, buffer: UnsafeRawBufferPointer,
        context: ScanContext
    ) -> Range<Int>? {
        let segment = context.segmentOf?(match.lowerBound)
        var index = firstHit(in: hits, endingAtOrAfter: match.upperBound - 4 * distance)
        var found: Range<Int>?
        while index < hits.count, hits[index].lowerBound <= match.lowerBound {
            let hit = hits[index]
            index += 1
            guard hit.upperBound <= match.upperBound else { continue }
            if let segment, !segment.contains(hit.lowerBound) { continue }
            if characters(in: hit.upperBound..<match.upperBound, buffer) <= distance { found = hit }
        }
        return found
    }

    /// The index of the first hit whose end is at or after `offset` (hits are sorted by
    /// start, and all hits of one identifier are short, so ends are nearly sorted too: the
    /// search lands a little early at worst, which only costs a few extra comparisons).
    static func firstHit(in hits: [Range<Int>], endingAtOrAfter offset: Int) -> Int {
        var low = 0
        var high = hits.count
        let target = offset - 256  // longest keyword form
        while low < high {
            let mid = (low + high) / 2
            if hits[mid].lowerBound < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The offset `count` characters before (negative) or after `position`, clamped.
    static func offset(_ position: Int, characters count: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        var i = position
        var remaining = abs(count)
        if count < 0 {
            while i > 0 && remaining > 0 {
                i -= 1
                if buffer[i] & 0xC0 != 0x80 { remaining -= 1 }
            }
            // Include the lead byte of a character we stopped inside.
            while i > 0 && buffer[i] & 0xC0 == 0x80 { i -= 1 }
        } else {
            let n = buffer.count
            while i < n && remaining > 0 {
                i += 1
                while i < n && buffer[i] & 0xC0 == 0x80 { i += 1 }
                remaining -= 1
            }
        }
        return i
    }

    /// Characters (UTF-8 scalars; an invalid byte counts as one) in `range`.
    static func characters(in range: Range<Int>, _ buffer: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for i in range where buffer[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// Up to eight bytes packed into an integer key.
    static func packed(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var key: UInt64 = 0
        for i in range { key = key << 8 | UInt64(buffer[i]) }
        return key
    }

    static func packed(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func positions(of byte: UInt8, in buffer: UnsafeRawBufferPointer) -> [Int] {
        var result: [Int] = []
        guard let base = buffer.baseAddress else { return result }
        var offset = 0
        while offset < buffer.count {
            guard let found = memchr(base + offset, Int32(byte), buffer.count - offset) else { break }
            let position = UnsafeRawPointer(found) - base
            result.append(position)
            offset = position + 1
        }
        return result
    }

    /// The subject size of one PCRE2 call for identifiers that run everywhere.
    static let everywherePieceSize = 32 * 1024

    /// `0..<n` in pieces of `size` bytes, each extended by `overlap` into the next.
    static func pieces(of n: Int, size: Int, overlap: Int) -> [Range<Int>] {
        stride(from: 0, to: n, by: max(1, size)).map { $0..<min(n, $0 + size + overlap) }
    }

    static func merged(_ windows: [Range<Int>]) -> [Range<Int>] {
        guard windows.count > 1 else { return windows }
        let sorted = windows.sorted { $0.lowerBound < $1.lowerBound }
        var result: [Range<Int>] = [sorted[0]]
        for window in sorted.dropFirst() {
            if window.lowerBound <= result[result.count - 1].upperBound {
                let last = result[result.count - 1]
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
            } else {
                result.append(window)
            }
        }
        return result
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DigitRuns {
    /// Calls `body` with each span of runs joined across single separator bytes from
    /// `separators` that has at least `min` digits and is directly preceded by `afterUpper`
    /// uppercase letters. An unjoined run longer than `max` digits is skipped (no value of
    /// this identifier can lie inside it); a joined span is not, since the regex may find a
    /// value in part of it.
    func joined(
        separators: [UInt8], min: Int, max: Int, afterUpper: Int, buffer: UnsafeRawBufferPointer,
        _ body: (Range<Int>) -> Void
    ) {
        var i = 0
        while i < count {
            let start = Int(starts[i])
            // Most runs are not preceded by letters: reject them before joining anything.
            if afterUpper > 0 && (start < afterUpper || !isASCIIUpper(buffer[start - 1])) {
                i += 1
                continue
            }
            var end = Int(ends[i])
            var digits = end - start
            var j = i + 1
            while j < count, Int(starts[j]) == end + 1, separators.contains(buffer[end]) {
                end = Int(ends[j])
                digits += Int(ends[j] - starts[j])
                j += 1
            }
            defer { i = j }
            if afterUpper > 0 {
                guard start >= afterUpper else { continue }
                var upper = true
                for k in (start - afterUpper)..<start where !isASCIIUpper(buffer[k]) {
                    upper = false
                    break
                }
                guard upper else { continue }
            }
            let joinedRuns = j - i > 1
            if digits >= min && (joinedRuns || digits <= max) { body(start..<end) }
        }
    }
}
