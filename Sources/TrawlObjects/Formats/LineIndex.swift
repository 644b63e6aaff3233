/// A place in text as Macie's `lineRanges` give it: the line (from 1) and the column (from 1)
/// in characters. A character is a UTF-8 scalar; each byte of an invalid sequence counts as one.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Turns byte offsets into line and column without an index: a cursor that counts forward
/// from where it was last asked, so increasing offsets cost one pass over the text in total.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r` (as Java's line readers have them).
///
/// Chunks: for an object scanned in pieces, hand each piece with its absolute start offset
/// (`bufferStart`). Offsets are absolute. The cursor must have reached the start of a new
/// piece before it is asked about it: call `advance(to:in:bufferStart:)` with the next
/// piece's start while the current piece is still at hand (overlapping pieces are fine).
/// Within one piece any order of offsets works; going backwards recounts from the piece's
/// start, so sort matches by offset for speed.
public struct LineIndex: Sendable {
    struct State: Sendable {
        var offset = 0
        var line = 1
        var column = 1
        /// The previous byte was `\r` (a following `\n` belongs to the same break).
        var afterCR = false
        /// Continuation bytes still expected by the UTF-8 sequence in progress.
        var pending = 0
    }

    private var state = State()
    /// The state at the start of the current piece, for going backwards.
    private var anchor: State?
    private var anchorStart = -1

    public init() {}

    /// Starts counting at a known place (for example after a header the caller skipped).
    public init(offset: Int, line: Int, column: Int) {
        state = State(offset: offset, line: line, column: column)
    }

    /// The position of the character that contains the byte at absolute `offset`.
    /// `offset` may equal the end of the buffer (the position just after the text).
    public mutating func position(
        of offset: Int, in buffer: UnsafeRawBufferPointer, bufferStart: Int = 0
    ) -> TextPosition {
        noteBuffer(bufferStart)
        let end = bufferStart + buffer.count
        let target = max(bufferStart, min(offset, end))
        if target < state.offset, let anchor, anchor.offset <= target {
            state = anchor
        }
        if target > state.offset { count(buffer, bufferStart: bufferStart, to: target) }
        // A position inside a multi-byte character is that character's.
        if state.pending > 0, target < end, buffer[target - bufferStart] & 0xC0 == 0x80 {
            return TextPosition(line: state.line, column: max(1, state.column - 1))
        }
        return TextPosition(line: state.line, column: state.column)
    }

    /// `[UInt8]` convenience for a whole object held in memory.
    public mutating func position(of offset: Int, in bytes: [UInt8]) -> TextPosition {
        bytes.withUnsafeBytes { position(of: offset, in: $0) }
    }

    /// Moves the cursor to absolute `offset` (inside or at the end of `buffer`), typically
    /// the start of the next piece before this one is released.
    public mutating func advance(to offset: Int, in buffer: UnsafeRawBufferPointer, bufferStart: Int = 0) {
        _ = position(of: offset, in: buffer, bufferStart: bufferStart)
    }

    private mutating func noteBuffer(_ bufferStart: Int) {
        if bufferStart != anchorStart {
            anchorStart = bufferStart
            anchor = state.offset == bufferStart ? state : nil
        }
    }

    private mutating func count(_ buffer: UnsafeRawBufferPointer, bufferStart: Int, to target: Int) {
        var s = state
        var i = max(s.offset, bufferStart) - bufferStart
        let stop = target - bufferStart
        while i < stop {
            let b = buffer[i]
            i += 1
            if b < 0x80 {
                s.pending = 0
                if b == 0x0A {
                    if s.afterCR {
                        s.afterCR = false  // second half of \r\n: the break was counted at \r
                    } else {
                        s.line += 1
                        s.column = 1
                    }
                } else if b == 0x0D {
                    s.line += 1
                    s.column = 1
                    s.afterCR = true
                } else {
                    s.afterCR = false
                    s.column += 1
                }
                continue
            }
            s.afterCR = false
            if b < 0xC0 {
                // Continuation byte: part of the character in progress, or a stray one.
                if s.pending > 0 { s.pending -= 1 } else { s.column += 1 }
            } else {
                s.column += 1
                switch b {
                case 0xC2...0xDF: s.pending = 1
                case 0xE0...0xEF: s.pending = 2
                case 0xF0...0xF4: s.pending = 3
                default: s.pending = 0  // C0, C1, F5...FF never start a character
                }
            }
        }
        s.offset = target
        state = s
    }
}
