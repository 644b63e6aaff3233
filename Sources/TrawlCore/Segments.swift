import Foundation
import TrawlDetect
import TrawlObjects

/// One piece of a large text file, scanned on its own by any worker.
struct SegmentResult {
    var detections: [TypeDetections]
    var classified: Int64
    var limitExceeded: Bool
    /// The segment stopped at its deadline.
    var timedOut = false
    var failure: (reason: ReasonCode, message: String)?
    /// Line and column (relative to the segment's prefix start) at the segment's start and end:
    /// what the merge needs to turn local locations into the file's.
    var start: (line: Int, column: Int)
    var end: (line: Int, column: Int)
}

extension Analyzer {
    /// Whether `object` is scanned in segments: a large plain-text local file (where looking at
    /// its head is free; a remote object is read by one worker, its ranges prefetched).
    func shouldSplit(_ object: ObjectRef, bytes: @autoclosure () -> any ObjectBytes) -> Bool {
        guard object.size >= settings.splitThreshold, case .file = object.location,
            StorageClass.skipReason(storageClass: object.storageClass, encryption: object.serverSideEncryption) == nil,
            object.size <= FormatLimits.macie.maxFileSize(for: .text) ?? Int64.max,
            let head = try? bytes().head(ContentKind.sniffLength)
        else { return false }
        return ContentKind.sniff(fileExtension: object.fileExtension, head: head).isPlainText
    }

    /// The byte ranges the object is split into.
    func segments(of object: ObjectRef) -> [Range<Int>] {
        let size = Int(object.size)
        let step = Int(max(1 << 20, settings.segmentSize))
        return stride(from: 0, to: size, by: step).map { $0..<min(size, $0 + step) }
    }

    /// Scans `range` of a local file, reading up to `overlap` bytes before it as context
    /// (a value or keyword straddling the boundary is found by exactly one segment).
    func analyzeSegment(_ object: ObjectRef, range: Range<Int>, bytes: any ObjectBytes) -> SegmentResult {
        scratch.start(deadline: settings.deadline())
        let prefixStart = max(0, range.lowerBound - overlap)
        var context = ObjectContext(
            accumulator: Accumulator(
                infos: detector.infos, occurrenceLimit: settings.occurrenceLimit, samples: settings.redactedSamples))
        var scanner = TextStreamScanner(analyzer: self, embeddedPath: nil)
        scanner.reportStart = range.lowerBound - prefixStart
        var start = (line: 1, column: 1)
        var failure: (ReasonCode, String)?
        do {
            // The prefix: context only, and where the segment starts in line/column terms.
            var prefix: [UInt8] = []
            try bytes.stream(range: prefixStart..<range.lowerBound, chunkSize: settings.chunkSize) {
                prefix += $0
                return true
            }
            var tracker = LineTracker()
            prefix.withUnsafeBytes { tracker.advance(to: $0.count, in: $0, base: 0) }
            start = (tracker.line, tracker.column)
            prefix.withUnsafeBytes { scanner.feed($0, into: &context) }
            context.classified = 0
            try bytes.stream(range: range, chunkSize: settings.chunkSize) { chunk in
                scanner.feed(chunk, into: &context)
                return !scratch.deadlineReached
            }
        } catch let error as ReadError {
            failure = (error.reason, error.message)
        } catch {
            failure = (.unableToParseFile, "\(error)")
        }
        let end = scanner.endPosition()
        return SegmentResult(
            detections: context.accumulator.result, classified: context.classified,
            limitExceeded: context.accumulator.limitExceeded,
            timedOut: scratch.deadlineReached, failure: failure, start: start, end: end)
    }

    /// Joins the segments of one object, in order, into its result: counts add up and
    /// locations are moved to the file's lines and columns.
    func merge(_ object: ObjectRef, _ parts: [SegmentResult]) -> ObjectResult {
        var types: [String: TypeDetections] = [:]
        var order: [String] = []
        var line = 1
        var column = 1  // the file's position at the current segment's start
        var classified: Int64 = 0
        var limitExceeded = false
        var timedOut = false
        var failure: (reason: ReasonCode, message: String)?
        for part in parts {
            // After a segment that stopped at its deadline, where the next ones start in lines
            // is unknown: their locations could not be placed, so they are not reported.
            if timedOut { break }
            classified += part.classified
            limitExceeded = limitExceeded || part.limitExceeded
            timedOut = timedOut || part.timedOut
            if failure == nil, let f = part.failure { failure = f }
            func place(_ l: Int, _ c: Int) -> (Int, Int) {
                l == part.start.line ? (line, column + c - part.start.column) : (line + l - part.start.line, c)
            }
            for detection in part.detections {
                let id = detection.info.id
                if types[id] == nil {
                    types[id] = TypeDetections(info: detection.info)
                    order.append(id)
                }
                types[id]!.count += detection.count
                for occurrence in detection.occurrences where types[id]!.occurrences.count < settings.occurrenceLimit {
                    guard case .lineRange(let startLine, let endLine, let startColumn, let file) = occurrence else {
                        continue
                    }
                    let (globalLine, globalColumn) = place(startLine, startColumn)
                    let globalEnd = endLine == part.start.line ? line : line + endLine - part.start.line
                    types[id]!.occurrences.append(
                        .lineRange(start: globalLine, end: globalEnd, startColumn: globalColumn, embeddedFile: file))
                }
                for sample in detection.redactedSamples where types[id]!.redactedSamples.count < 3 {
                    types[id]!.redactedSamples.append(sample)
                }
            }
            (line, column) = place(part.end.line, part.end.column)
        }
        var status: StatusCode = .complete
        var reason: ReasonCode?
        var message: String?
        if let failure {
            status = classified > 0 ? .partial : .skipped
            reason = failure.reason
            message = failure.message
        } else if timedOut {
            status = classified > 0 ? .partial : .skipped
            reason = .timeCutOffReached
            message = timeLimitMessage
        } else if limitExceeded {
            status = .partial
            reason = .timeCutOffReached
            message = "a pattern hit its match limit on part of the object"
        }
        return ObjectResult(
            object: object, status: status, reason: reason, message: message, mimeType: ContentKind.text.mimeType,
            sizeClassified: classified, detections: order.sorted().compactMap { types[$0] })
    }
}
