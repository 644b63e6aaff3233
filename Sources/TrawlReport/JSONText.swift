import Foundation

/// A small JSON serializer for the dictionaries trawl writes (findings, results): keys sorted
/// by their UTF-8 bytes so output is stable, no slash escaping. About ten times faster than
/// Foundation's JSONSerialization, which sorts keys with locale-aware collation — it was a
/// quarter of a scan's time.
public enum JSONText {
    public static func serialize(_ value: Any) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ value: Any, into out: inout [UInt8]) {
        switch value {
        case let string as String: writeString(string, into: &out)
        case let bool as Bool: out += bool ? Array("true".utf8) : Array("false".utf8)
        case let int as Int: out += Array(String(int).utf8)
        case let int as Int64: out += Array(String(int).utf8)
        case let int as Int32: out += Array(String(int).utf8)
        case let double as Double:
            if double.isFinite {
                out += Array(
                    (double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)).utf8)
            } else {
                out += Array("null".utf8)
            }
        case let dictionary as [String: Any]:
            out.append(UInt8(ascii: "{"))
            var first = true
            for key in dictionary.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(dictionary[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case is NSNull:
            out += Array("null".utf8)
        case let number as NSNumber:
            out += Array(number.stringValue.utf8)
        case let typed as any RawRepresentable:
            // Reason codes, statuses and other typed values are written as their raw value.
            write(typed.rawValue, into: &out)
        default:
            assertionFailure("JSONText cannot write a \(type(of: value))")
            out += Array("null".utf8)
        }
    }

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
