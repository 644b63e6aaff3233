import Foundation
import Testing
import TrawlTestSupport

/// The module layering of docs/architecture.md, checked against the code: every `import` under
/// `Sources/` must be an edge the table allows.
@Suite struct ImportRulesTests {
    /// Modules any module may import: the Swift toolchain's and the system's.
    static let platform: Set<String> = [
        "Foundation", "FoundationXML", "Dispatch", "Synchronization", "Glibc", "Darwin",
    ]

    /// The table between `<!-- imports:begin -->` and `<!-- imports:end -->`: module → may import.
    static func allowed() throws -> [String: Set<String>] {
        let text = try String(contentsOf: Repository.url("docs/architecture.md"), encoding: .utf8)
        guard let begin = text.range(of: "<!-- imports:begin -->"), let end = text.range(of: "<!-- imports:end -->")
        else {
            throw TestSetupError("docs/architecture.md has no imports table")
        }
        var table: [String: Set<String>] = [:]
        for line in text[begin.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4, cells[1] != "module", !cells[1].hasPrefix("---") else { continue }
            table[cells[1]] = Set(
                cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return table
    }

    /// Module → the modules its Swift files import (any attribute or access level before `import`).
    static func imports() throws -> [String: Set<String>] {
        let sources = Repository.url("Sources")
        var found: [String: Set<String>] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            let folder = sources.appendingPathComponent(module)
            var names: Set<String> = []
            let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") || file == "module.modulemap" {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ").map(String.init)
                    guard let at = words.firstIndex(of: "import"), at + 1 < words.count,
                        words[..<at].allSatisfy({
                            $0.hasPrefix("@")
                                || ["public", "internal", "package", "private", "fileprivate"].contains($0)
                        })
                    else { continue }
                    names.insert(words[at + 1].split(separator: ".").first.map(String.init) ?? words[at + 1])
                }
            }
            found[module] = names
        }
        return found
    }

    @Test func everyImportIsAnEdgeTheTableAllows() throws {
        let allowed = try Self.allowed()
        let imports = try Self.imports()
        #expect(!imports.isEmpty)
        for (module, names) in imports.sorted(by: { $0.key < $1.key }) {
            guard let permitted = allowed[module] else {
                Issue.record("Sources/\(module) is not in docs/architecture.md's table")
                continue
            }
            for name in names.sorted() where !permitted.contains(name) && !Self.platform.contains(name) {
                Issue.record("\(module) imports \(name), which docs/architecture.md does not allow")
            }
        }
    }

    @Test func theLayersTheIssueForbidsStayForbidden() throws {
        let allowed = try Self.allowed()
        for forbidden in ["TrawlReport", "TrawlAudit", "TrawlS3", "TrawlJobs"] {
            #expect(allowed["TrawlCore"]?.contains(forbidden) == false, "TrawlCore may not import \(forbidden)")
        }
        for forbidden in ["TrawlAudit", "TrawlCore", "TrawlDetect"] {
            #expect(allowed["TrawlS3"]?.contains(forbidden) == false, "TrawlS3 may not import \(forbidden)")
        }
        for forbidden in ["TrawlDetect", "TrawlRegex"] {
            #expect(allowed["TrawlObjects"]?.contains(forbidden) == false, "TrawlObjects knows nothing of detection")
        }
        // A C module is imported by its one wrapper only.
        for (module, permitted) in allowed {
            if permitted.contains("CPCRE2") { #expect(module == "TrawlRegex") }
            if permitted.contains("CZlib") { #expect(module == "TrawlObjects") }
        }
    }

    @Test func theParserSeesARealImport() throws {
        let imports = try Self.imports()
        #expect(imports["TrawlRegex"]?.contains("CPCRE2") == true)  // `internal import CPCRE2`
        #expect(imports["trawl"]?.contains("ArgumentParser") == true)
    }
}
