/// A minimal pull tokenizer for the XML inside Office packages: tags, text, CDATA; comments,
/// processing instructions and DOCTYPE are skipped. No namespaces beyond splitting a name at
/// its colon, no validation, no DTD entities. Never fails: damaged markup ends the stream.
struct XMLScanner {
    enum Event {
        case start(name: Range<Int>, attributes: Range<Int>, selfClosing: Bool)
        case end(name: Range<Int>)
        case text(Range<Int>)
        case cdata(Range<Int>)
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func next() -> Event? {
        let n = bytes.count
        while position < n {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < n, bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(start..<position)
            }
            // position at '<'
            guard position + 1 < n else {
                position = n
                return nil
            }
            let c = bytes[position + 1]
            if c == UInt8(ascii: "?") {
                position = find([UInt8(ascii: "?"), UInt8(ascii: ">")], from: position + 2).map { $0 + 2 } ?? n
                continue
            }
            if c == UInt8(ascii: "!") {
                if matches("<!--", at: position) {
                    position = find(Array("-->".utf8), from: position + 4).map { $0 + 3 } ?? n
                    continue
                }
                if matches("<![CDATA[", at: position) {
                    let start = position + 9
                    let end = find(Array("]]>".utf8), from: start) ?? n
                    position = min(n, end + 3)
                    return .cdata(start..<end)
                }
                position = skipTag(from: position + 2)
                continue
            }
            if c == UInt8(ascii: "/") {
                let nameStart = position + 2
                var i = nameStart
                while i < n, !isNameEnd(bytes[i]) { i += 1 }
                let name = nameStart..<i
                position = skipTag(from: i)
                return .end(name: name)
            }
            let nameStart = position + 1
            var i = nameStart
            while i < n, !isNameEnd(bytes[i]) { i += 1 }
            let name = nameStart..<i
            let close = skipTag(from: i)  // just past '>'
            let selfClosing =
                close >= 2 && close <= n && bytes[close - 1] == UInt8(ascii: ">")
                && bytes[close - 2] == UInt8(ascii: "/")
            let attrEnd = max(i, close - (selfClosing ? 2 : 1))
            position = close
            return .start(name: name, attributes: i..<min(attrEnd, n), selfClosing: selfClosing)
        }
        return nil
    }

    /// Skips to just past the '>' that ends a tag, ignoring '>' inside quoted values.
    private func skipTag(from start: Int) -> Int {
        var i = start
        var quote: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i + 1
            }
            i += 1
        }
        return bytes.count
    }

    private func isNameEnd(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    private func matches(_ s: StaticString, at i: Int) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let p = s.utf8Start
        for k in 0..<count where bytes[i + k] != p[k] { return false }
        return true
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard needle.count > 0, start + needle.count <= bytes.count else { return nil }
        var i = start
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == needle[0] {
                var ok = true
                for k in 1..<needle.count where bytes[i + k] != needle[k] {
                    ok = false
                    break
                }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    // MARK: - Helpers

    /// True when the name's local part (after any prefix) is `local`.
    func localName(_ name: Range<Int>, is local: StaticString) -> Bool {
        var start = name.lowerBound
        for i in name where bytes[i] == UInt8(ascii: ":") { start = i + 1 }
        let count = local.utf8CodeUnitCount
        guard name.upperBound - start == count else { return false }
        let p = local.utf8Start
        for k in 0..<count where bytes[start + k] != p[k] { return false }
        return true
    }

    /// The raw value range of the attribute whose local name is `local`.
    func attribute(_ local: StaticString, in attributes: Range<Int>) -> Range<Int>? {
        var i = attributes.lowerBound
        let end = attributes.upperBound
        while i < end {
            while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != UInt8(ascii: "="), bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0A,
                bytes[i] != 0x0D
            {
                i += 1
            }
            let name = nameStart..<i
            while i < end, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < end else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != quote { i += 1 }
            let value = valueStart..<min(i, end)
            i += 1
            if !name.isEmpty, localName(name, is: local) { return value }
        }
        return nil
    }

    func attributeString(_ local: StaticString, in attributes: Range<Int>) -> String? {
        guard let range = attribute(local, in: attributes) else { return nil }
        var out: [UInt8] = []
        appendDecoded(range, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends text with the five predefined entities and character references decoded.
    func appendDecoded(_ range: Range<Int>, to out: inout [UInt8]) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            var semicolon = i + 1
            while semicolon < end, semicolon - i <= 12, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
            guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else {
                out.append(b)
                i += 1
                continue
            }
            let entity = UnsafeRawBufferPointer(rebasing: bytes[(i + 1)..<semicolon])
            var decoded: [UInt8]?
            switch Array(entity) {
            case Array("lt".utf8): decoded = [UInt8(ascii: "<")]
            case Array("gt".utf8): decoded = [UInt8(ascii: ">")]
            case Array("amp".utf8): decoded = [UInt8(ascii: "&")]
            case Array("quot".utf8): decoded = [UInt8(ascii: "\"")]
            case Array("apos".utf8): decoded = [UInt8(ascii: "'")]
            default:
                if entity.first == UInt8(ascii: "#") {
                    var value: UInt32 = 0
                    var valid = entity.count > 1
                    let hex = entity.count > 1 && (entity[1] | 0x20) == UInt8(ascii: "x")
                    for k in (hex ? 2 : 1)..<entity.count {
                        let digit: UInt32?
                        if hex {
                            digit = JSONIndex.hexValue(entity[k])
                        } else {
                            digit = entity[k] >= 0x30 && entity[k] <= 0x39 ? UInt32(entity[k] - 0x30) : nil
                        }
                        guard let digit, value < 0x110000 else {
                            valid = false
                            break
                        }
                        value = value * (hex ? 16 : 10) + digit
                    }
                    if valid, let scalar = Unicode.Scalar(value) { decoded = Array(String(Character(scalar)).utf8) }
                }
            }
            if let decoded {
                out.append(contentsOf: decoded)
                i = semicolon + 1
            } else {
                out.append(b)
                i += 1
            }
        }
    }
}
