import Dispatch
import Foundation
import TrawlDetect
import TrawlObjects

/// Settings for analysing objects.
public struct AnalyzerSettings: Sendable {
    /// Locations kept per type (Macie: 1,000 in the discovery results).
    public var occurrenceLimit = ScanLimits.occurrencesPerType
    /// Keep redacted samples (explicit opt-in).
    public var redactedSamples = false
    /// Bytes read per chunk when streaming text.
    public var chunkSize = 1 << 20
    /// Local text files at least this large are split into segments that several workers
    /// scan at once (one 2 GB log must not leave the other cores idle).
    public var splitThreshold: Int64 = 64 << 20
    /// The size of those segments.
    public var segmentSize: Int64 = 32 << 20
    /// Largest object parsed whole (CSV, JSON, OOXML, archives): bigger ones are read as
    /// text when they are text, otherwise skipped with FILE_EXCEEDS_SIZE_LIMIT.
    public var wholeObjectLimit = 512 << 20
    /// Macie's archive limits.
    public var maxNestingDepth = 10
    public var maxExtractedBytes: Int64 = 10 << 30
    public var maxExtractedBytesPerFile: Int64 = 3 << 30
    public var maxExtractedFiles = 1_000_000
    /// The longest one object (or one segment of a large file) may take; past it the object
    /// ends PARTIAL with TIME_CUT_OFF_REACHED and what was found so far (Macie stops at 10 h).
    public var timeLimitPerObject: TimeInterval = AnalyzerSettings.defaultTimeLimitPerObject
    public static let defaultTimeLimitPerObject: TimeInterval = 600

    public init() {}

    /// The deadline of an object started now, in `DispatchTime` uptime nanoseconds.
    func deadline() -> UInt64 {
        guard timeLimitPerObject.isFinite, timeLimitPerObject > 0 else { return .max }
        let (sum, overflow) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(
            UInt64(min(timeLimitPerObject, 1e9) * 1e9))
        return overflow ? .max : sum
    }
}

/// Analyses objects one at a time. One per worker: it owns the detector scratch space.
public final class Analyzer {
    public let detector: Detector
    public let settings: AnalyzerSettings
    let scratch = DetectorScratch()
    /// Column names and JSON member names seen by this worker → the identifiers whose
    /// keywords they satisfy (names repeat across rows, records and objects).
    private var nameCache: [String: [Int]] = [:]
    /// Overlap kept between chunks: a value or its keyword never falls between two chunks.
    let overlap: Int

    public init(detector: Detector, settings: AnalyzerSettings) {
        self.detector = detector
        self.settings = settings
        self.overlap = max(16 * 1024, detector.maxWindowSpan)
    }

    /// The identifiers whose keyword requirement `name` (a column name, a JSON member name)
    /// satisfies; cached per worker.
    func identifiersSatisfied(byName name: String) -> [Int] {
        if let cached = nameCache[name] { return cached }
        let identifiers = detector.identifiersSatisfied(byName: name)
        if nameCache.count > 100_000 { nameCache.removeAll(keepingCapacity: true) }
        nameCache[name] = identifiers
        return identifiers
    }

    /// Analyses one object. Never throws: every failure becomes a status and a reason.
    public func analyze(_ object: ObjectRef, bytes: ObjectBytes) -> ObjectResult {
        scratch.start(deadline: settings.deadline())
        if let skip = StorageClass.skipReason(
            storageClass: object.storageClass, encryption: object.serverSideEncryption)
        {
            return ObjectResult(object: object, status: .skipped, reason: skip.reason, message: skip.message)
        }
        var context = ObjectContext(
            accumulator: Accumulator(
                infos: detector.infos, occurrenceLimit: settings.occurrenceLimit, samples: settings.redactedSamples))
        let kind: ContentKind
        do {
            let head = try bytes.head(8192)
            if head.isEmpty && object.size == 0 {
                return ObjectResult(
                    object: object, status: .complete, mimeType: "application/octet-stream", sizeClassified: 0)
            }
            if let (encoding, _) = TextEncoding.detect(head: head), encoding != .utf8 {
                kind = try analyzeTranscoded(object, bytes: bytes, into: &context)
                return finish(object, context: context, mime: kind.mimeType, failure: nil)
            }
            kind = head.withUnsafeBytes { ContentKind.sniff(fileExtension: object.fileExtension, head: $0) }
            if let limit = FormatLimits.macie.maxFileSize(for: kind), object.size > limit {
                let reason = FormatLimits.macie.sizeLimitReason(for: kind)
                return ObjectResult(
                    object: object, status: .skipped, reason: reason,
                    message: "\(object.size) bytes is over the \(limit)-byte limit for \(kind.mimeType)",
                    mimeType: kind.mimeType)
            }
            try analyze(kind: kind, name: object.key, bytes: bytes, depth: 0, embeddedPath: nil, into: &context)
        } catch let error as ReadError {
            return finish(object, context: context, mime: nil, failure: (error.reason, error.message))
        } catch let error as AnalysisFailure {
            return finish(object, context: context, mime: nil, failure: (error.reason, error.message))
        } catch {
            return finish(object, context: context, mime: nil, failure: (.unableToParseFile, "\(error)"))
        }
        return finish(object, context: context, mime: kind.mimeType, failure: nil)
    }

    private func finish(_ object: ObjectRef, context: ObjectContext, mime: String?, failure: (ReasonCode, String)?)
        -> ObjectResult
    {
        var status: StatusCode = .complete
        var reason: ReasonCode?
        var message: String?
        if let failure {
            // Whatever was analysed before the failure stays reported.
            status = context.classified > 0 ? .partial : .skipped
            reason = failure.0
            message = failure.1
        } else if scratch.deadlineReached {
            status = context.classified > 0 || !context.accumulator.isEmpty ? .partial : .skipped
            reason = .timeCutOffReached
            message = timeLimitMessage
        } else if let partial = context.partialReason {
            status = context.classified > 0 || !context.accumulator.isEmpty ? .partial : .skipped
            reason = partial.0
            message = partial.1
        } else if context.accumulator.limitExceeded {
            status = .partial
            reason = .timeCutOffReached
            message = "a pattern hit its match limit on part of the object"
        }
        return ObjectResult(
            object: object, status: status, reason: reason, message: message, mimeType: mime ?? context.mimeType,
            sizeClassified: context.classified, detections: context.accumulator.result, embeddedFiles: context.embedded)
    }

    /// Why an object stopped at its deadline.
    var timeLimitMessage: String {
        "analysis stopped at the time limit of \(Int(settings.timeLimitPerObject)) s per object (--object-time-limit)"
    }

    // MARK: - UTF-16 and UTF-32

    /// Text with a UTF-16 or UTF-32 byte order mark, read as the UTF-8 it transcodes to (lines
    /// and columns count characters, so they are the original's). An object that fits in memory
    /// is transcoded whole and then read by its format (a UTF-16 CSV keeps its cells); a larger
    /// one is streamed as text. Returns the kind it was read as.
    func analyzeTranscoded(_ object: ObjectRef, bytes: ObjectBytes, into context: inout ObjectContext) throws
        -> ContentKind
    {
        if object.size <= Int64(settings.wholeObjectLimit) {
            let raw = try bytes.readAll(limit: settings.wholeObjectLimit)
            let text = raw.withUnsafeBytes { TextEncoding.utf8(from: $0, maxOutput: settings.wholeObjectLimit) } ?? []
            var kind = ContentKind.sniff(
                fileExtension: object.fileExtension, head: Array(text.prefix(ContentKind.sniffLength)))
            if !kind.isText { kind = .text }
            try analyze(
                kind: kind, name: object.key, bytes: MemoryBytes(text), depth: 0, embeddedPath: nil, into: &context)
            return kind
        }
        guard let (encoding, bomLength) = TextEncoding.detect(head: try bytes.head(4)) else { return .text }
        var transcoder = UTF8Transcoder(from: encoding)
        var scanner = TextStreamScanner(analyzer: self, embeddedPath: nil)
        var skip = bomLength
        try bytes.stream(chunkSize: settings.chunkSize) { chunk in
            let body = UnsafeRawBufferPointer(rebasing: chunk[min(skip, chunk.count)...])
            skip = max(0, skip - chunk.count)
            transcoder.feed(body) { scanner.feed($0, into: &context) }
            return !scratch.deadlineReached
        }
        transcoder.finish { scanner.feed($0, into: &context) }
        scanner.finish(into: &context)
        return .text
    }

    // MARK: - Dispatch by content

    struct ObjectContext {
        var accumulator: Accumulator
        var classified: Int64 = 0
        var mimeType: String?
        var partialReason: (ReasonCode, String)?
        var embedded: [ObjectResult.EmbeddedFile] = []
        var budget = ArchiveBudget(limits: .macie)

        mutating func markPartial(_ reason: ReasonCode, _ message: String) {
            if partialReason == nil { partialReason = (reason, message) }
        }
    }

    struct AnalysisFailure: Error {
        var reason: ReasonCode
        var message: String
    }

    func analyze(
        kind: ContentKind, name: String, bytes: ObjectBytes, depth: Int, embeddedPath: String?,
        into context: inout ObjectContext
    ) throws {
        if let reason = kind.unsupportedReason {
            throw AnalysisFailure(reason: reason, message: "\(kind.mimeType) is not a format trawl analyses")
        }
        if kind.isPlainText {
            try scanTextStream(bytes, embeddedPath: embeddedPath, into: &context)
        } else if kind == .gzip {
            try scanGzip(bytes, name: name, depth: depth, embeddedPath: embeddedPath, into: &context)
        } else {
            try analyzeStructured(
                kind: kind, name: name, bytes: bytes, depth: depth, embeddedPath: embeddedPath, into: &context)
        }
    }

    // MARK: - Text

    /// Scans a stream of text chunks with overlap, recording line locations.
    func scanTextStream(_ bytes: ObjectBytes, embeddedPath: String?, into context: inout ObjectContext) throws {
        var scanner = TextStreamScanner(analyzer: self, embeddedPath: embeddedPath)
        try bytes.stream(chunkSize: settings.chunkSize) { chunk in
            scanner.feed(chunk, into: &context)
            return !scratch.deadlineReached
        }
        scanner.finish(into: &context)
    }

    /// Scans one complete buffer as text.
    func scanText(_ buffer: UnsafeRawBufferPointer, embeddedPath: String?, into context: inout ObjectContext) {
        var scanner = TextStreamScanner(analyzer: self, embeddedPath: embeddedPath)
        scanner.feed(buffer, into: &context)
        scanner.finish(into: &context)
    }

    // MARK: - gzip

    func scanGzip(
        _ bytes: ObjectBytes, name: String, depth: Int, embeddedPath: String?, into context: inout ObjectContext
    ) throws {
        do {
            try context.budget.checkNesting(depth: depth + 1)
        } catch {
            throw AnalysisFailure(reason: error.reason, message: error.message)
        }
        let compressed = try bytes.readAll(
            limit: Int(clamping: FormatLimits.macie.maxFileSize(for: .gzip) ?? Int64(Int.max)))
        let header = compressed.withUnsafeBytes { GzipHeader.parse($0) }
        let innerName = GzipHeader.innerName(objectName: name, header: header)
        let budget = context.budget.nextMemberByteLimit
        // Peek at the start of the decompressed data to pick the inner format.
        var head: [UInt8] = []
        _ = try? compressed.withUnsafeBytes { raw in
            try Inflate.inflate(raw, container: .gzip, maxOutput: 8192) { head.append(contentsOf: $0) }
        }
        let innerKind = head.withUnsafeBytes {
            ContentKind.sniff(fileExtension: ContentKind.fileExtension(of: innerName), head: $0)
        }
        if innerKind.isPlainText {
            var scanner = TextStreamScanner(analyzer: self, embeddedPath: embeddedPath)
            var produced = 0
            do {
                try compressed.withUnsafeBytes { raw in
                    try Inflate.inflate(raw, container: .gzip, maxOutput: budget, chunkSize: settings.chunkSize) {
                        chunk in
                        produced += chunk.count
                        scanner.feed(chunk, into: &context)
                    }
                }
            } catch let error as InflateError {
                switch error {
                case .malformed(let why):
                    context.markPartial(
                        .malformedFile, "gzip data is truncated or corrupt after \(produced) bytes: \(why)")
                case .outputLimit:
                    context.markPartial(
                        .archiveTotalBytesExtractedOverLimit, "decompressed data exceeds the extraction limit")
                }
            }
            scanner.finish(into: &context)
            context.budget.record(extractedBytes: produced)
            return
        }
        // Structured or nested content: decompress whole (bounded), then analyse it.
        var inflated: [UInt8] = []
        do {
            inflated = try Inflate.inflate(
                compressed, container: .gzip, maxOutput: min(budget, settings.wholeObjectLimit))
        } catch let error as InflateError {
            switch error {
            case .malformed(let why):
                throw AnalysisFailure(reason: .malformedFile, message: "gzip data is truncated or corrupt: \(why)")
            case .outputLimit:
                throw AnalysisFailure(
                    reason: .archiveTotalBytesExtractedOverLimit,
                    message: "decompressed data exceeds the extraction limit")
            }
        }
        context.budget.record(extractedBytes: inflated.count)
        try analyze(
            kind: innerKind, name: innerName, bytes: MemoryBytes(inflated), depth: depth + 1,
            embeddedPath: embeddedPath, into: &context)
    }

    // MARK: - Recording detections

    /// Records `outcome`'s detections with locations from `locate`.
    func record(
        _ outcome: ScanOutcome, in buffer: UnsafeRawBufferPointer, into context: inout ObjectContext,
        locate: (Detection) -> Occurrence?
    ) {
        if outcome.limitExceeded { context.accumulator.limitExceeded = true }
        for detection in outcome.detections {
            let occurrence = context.accumulator.wantsLocation(detection.identifier) ? locate(detection) : nil
            context.accumulator.add(
                detection.identifier, occurrence: occurrence,
                value: settings.redactedSamples ? UnsafeRawBufferPointer(rebasing: buffer[detection.range]) : nil)
        }
    }
}

/// Feeds chunks of one text stream to the detector with overlap, so nothing is lost at a
/// chunk boundary, and maps detections to line ranges.
struct TextStreamScanner {
    let analyzer: Analyzer
    let embeddedPath: String?
    /// Bytes kept from the previous chunk (its last `overlap` bytes).
    var carry: [UInt8] = []
    /// Absolute offset of `carry`'s first byte.
    var carryBase = 0
    var lines = LineTracker()
    var total = 0
    /// Detections starting before this stream offset are not reported (a segment's prefix,
    /// read only as context).
    var reportStart = 0

    init(analyzer: Analyzer, embeddedPath: String?) {
        self.analyzer = analyzer
        self.embeddedPath = embeddedPath
    }

    /// The line and column at the end of everything fed so far.
    mutating func endPosition() -> (line: Int, column: Int) {
        var tracker = lines
        carry.withUnsafeBytes { tracker.advance(to: carryBase + $0.count, in: $0, base: carryBase) }
        return (tracker.line, tracker.column)
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, into context: inout Analyzer.ObjectContext) {
        // Past the object's deadline nothing more is analysed (nor counted as analysed).
        guard !chunk.isEmpty, !analyzer.scratch.deadlineReached else { return }
        if carry.isEmpty {
            scan(chunk, base: total, reportFrom: 0, into: &context)
            keepTail(of: chunk, base: total)
        } else {
            var joined = carry
            joined.append(contentsOf: chunk)
            let base = carryBase
            joined.withUnsafeBytes { scan($0, base: base, reportFrom: carry.count, into: &context) }
            joined.withUnsafeBytes { keepTail(of: $0, base: base) }
        }
        total += chunk.count
        context.classified += Int64(chunk.count)
    }

    mutating func finish(into context: inout Analyzer.ObjectContext) {}

    private mutating func keepTail(of buffer: UnsafeRawBufferPointer, base: Int) {
        let keep = min(buffer.count, analyzer.overlap)
        let start = buffer.count - keep
        // The line tracker must not be behind the kept tail's start.
        lines.advance(to: base + start, in: buffer, base: base)
        carry = Array(buffer[start...])
        carryBase = base + start
    }

    private mutating func scan(
        _ buffer: UnsafeRawBufferPointer, base: Int, reportFrom: Int, into context: inout Analyzer.ObjectContext
    ) {
        let from = max(reportFrom, reportStart - base)
        let outcome = analyzer.detector.scan(
            buffer, context: ScanContext(reportFrom: max(0, from)), scratch: analyzer.scratch)
        if outcome.limitExceeded { context.accumulator.limitExceeded = true }
        guard !outcome.detections.isEmpty else { return }
        // Locations in position order, with one forward pass of the line tracker.
        var tracker = lines
        for detection in outcome.detections.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            var occurrence: Occurrence?
            if context.accumulator.wantsLocation(detection.identifier) {
                tracker.advance(to: base + detection.range.lowerBound, in: buffer, base: base)
                var end = tracker
                end.advance(to: base + detection.range.upperBound - 1, in: buffer, base: base)
                occurrence = .lineRange(
                    start: tracker.line, end: end.line, startColumn: tracker.column, embeddedFile: embeddedPath)
            }
            context.accumulator.add(
                detection.identifier, occurrence: occurrence,
                value: analyzer.settings.redactedSamples
                    ? UnsafeRawBufferPointer(rebasing: buffer[detection.range]) : nil)
        }
    }
}

extension ObjectRef {
    /// The extension of a file name, without the dot, lower-cased.
    public static func extensionOf(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }
}
