/// Macie's keyword spelling rules.
enum KeywordForms {
    /// A keyword's byte forms: lower-cased, and for a keyword with spaces each space also
    /// as `_`, `-` or nothing (Macie: "a keyword that contains a space also matches the same
    /// keyword with no space, an underscore or a hyphen in its place").
    static func variants(of keyword: String) -> [[UInt8]] {
        let bytes = Array(keyword.lowercased().utf8)
        let spaces = bytes.indices.filter { bytes[$0] == 0x20 }
        guard !spaces.isEmpty else { return [bytes] }
        let replacements: [[UInt8]] = [[0x20], [0x5F], [0x2D], []]
        var results: Set<[UInt8]> = []
        if spaces.count <= 3 {
            // Every combination: "date of_birth" is as good as "date_of_birth".
            var combination = [Int](repeating: 0, count: spaces.count)
            while true {
                var form: [UInt8] = []
                var previous = 0
                for (k, index) in spaces.enumerated() {
                    form += bytes[previous..<index]
                    form += replacements[combination[k]]
                    previous = index + 1
                }
                form += bytes[previous...]
                results.insert(form)
                var k = 0
                while k < combination.count {
                    combination[k] += 1
                    if combination[k] < replacements.count { break }
                    combination[k] = 0
                    k += 1
                }
                if k == combination.count { break }
            }
        } else {
            for replacement in replacements {
                var form: [UInt8] = []
                for byte in bytes { if byte == 0x20 { form += replacement } else { form.append(byte) } }
                results.insert(form)
            }
        }
        return results.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// A column name, path element or keyword reduced for containment tests: lower case,
    /// without spaces, underscores, hyphens and dots.
    static func normalizedName(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { !" _-.".unicodeScalars.contains($0) }))
    }
}
