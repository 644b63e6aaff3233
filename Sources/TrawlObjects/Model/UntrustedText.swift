import Foundation

/// Text that comes from the data (object keys, bucket names, policies, messages naming them)
/// on its way to a person. Whoever names an object chooses these bytes, so they are made
/// inert before a terminal or a spreadsheet sees them. Here, below every printer (TrawlReport,
/// TrawlAudit and the CLI), so that all of them share one rule.
public enum UntrustedText {
    /// For a terminal: control characters (C0, DEL, C1) and bidirectional overrides are
    /// written as escapes (`\x1b`, `\n`, `\u{202e}`), so a key cannot move the cursor, clear
    /// the screen or reorder what is shown.
    public static func forTerminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                out +=
                    scalar.value <= 0xFF
                    ? "\\x" + hex(scalar.value, width: 2) : "\\u{" + hex(scalar.value, width: 4) + "}"
            }
        }
        return out
    }

    /// One CSV cell: RFC 4180 quoting, and a cell a spreadsheet would take for a formula
    /// (starting with `=`, `+`, `-`, `@`, TAB or CR) is prefixed with `'` (OWASP's advice on
    /// CSV injection).
    public static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.unicodeScalars.first, formulaStarts.contains(first) { cell = "'" + cell }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional embeddings, overrides and isolates ("Trojan Source").
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
