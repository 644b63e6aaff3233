import TrawlDetect

/// Collects one object's detections per identifier: counts, the first locations (depth
/// first, at most `occurrenceLimit`) and, only when asked for, redacted samples.
struct Accumulator {
    let infos: [DetectorInfo]
    let occurrenceLimit: Int
    let samples: Bool
    private(set) var types: [Int: TypeDetections] = [:]
    var limitExceeded = false

    init(infos: [DetectorInfo], occurrenceLimit: Int, samples: Bool) {
        self.infos = infos
        self.occurrenceLimit = occurrenceLimit
        self.samples = samples
    }

    var isEmpty: Bool { types.isEmpty }

    /// True when another location for `identifier` would still be recorded.
    func wantsLocation(_ identifier: Int) -> Bool {
        (types[identifier]?.occurrences.count ?? 0) < occurrenceLimit
    }

    mutating func add(_ identifier: Int, occurrence: Occurrence?, value: UnsafeRawBufferPointer?) {
        // Mutated in place: copying the entry out and back would copy its occurrences each time.
        if types[identifier] == nil { types[identifier] = TypeDetections(info: infos[identifier]) }
        types[identifier]!.count += 1
        if let occurrence, types[identifier]!.occurrences.count < occurrenceLimit {
            types[identifier]!.occurrences.append(occurrence)
        }
        if samples, let value, types[identifier]!.redactedSamples.count < 3 {
            types[identifier]!.redactedSamples.append(Self.redact(value))
        }
    }

    /// Keeps two characters at each end of values longer than six bytes, masks the rest.
    static func redact(_ value: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: value, as: UTF8.self)
        let characters = Array(text)
        guard characters.count > 6 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(2)) + String(repeating: "*", count: characters.count - 4)
            + String(characters.suffix(2))
    }

    /// The detections sorted by identifier ID.
    var result: [TypeDetections] { types.values.sorted { $0.info.id < $1.info.id } }
}

/// Turns byte offsets into Macie line ranges over a stream of chunks: lines from 1,
/// columns in characters from 1.
struct LineTracker {
    /// Line number and character column at `position` (an absolute stream offset).
    private(set) var position = 0
    private(set) var line = 1
    private(set) var column = 1

    /// Advances over `buffer` (which starts at absolute offset `base`) up to `target`.
    mutating func advance(to target: Int, in buffer: UnsafeRawBufferPointer, base: Int) {
        precondition(target >= position)
        var i = position - base
        let end = target - base
        while i < end {
            let byte = buffer[i]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        position = target
    }
}
