import Foundation
import TrawlDetect
import TrawlObjects

extension Analyzer {
    /// Whether the first row of a table (CSV, TSV, a sheet) holds column names. Values must
    /// never become names: a column name is printed in every finding of its column, so a
    /// first row of card numbers taken for a header would put them in every output. The row
    /// is a header only when every non-empty cell reads as a name and no identifier reports
    /// anything in it; otherwise columns are numbered and the row is data.
    func isHeaderRow(_ cells: [String]) -> Bool {
        var text: [UInt8] = []
        for cell in cells where !cell.isEmpty {
            guard Self.readsAsName(cell) else { return false }
            text += Array(cell.utf8) + [0x0A]
        }
        guard !text.isEmpty else { return false }
        return text.withUnsafeBytes { detector.scan($0, scratch: scratch).detections.isEmpty }
    }

    /// A column name: short, with letters, fewer digits than letters, and no `@` (an address).
    static func readsAsName(_ cell: String) -> Bool {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 100, !trimmed.contains("@") else { return false }
        var letters = 0
        var digits = 0
        for scalar in trimmed.unicodeScalars {
            if scalar.properties.isAlphabetic {
                letters += 1
            } else if ("0"..."9").contains(scalar) {
                digits += 1
            }
        }
        return letters > 0 && digits < letters
    }
}
