import ArgumentParser
import Foundation
import TrawlDetect

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List the managed identifiers, or test identifiers on text.",
        subcommands: [List.self, Test.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List managed identifiers: ID, category, keyword, validator, severity.")

        @Option(name: .customLong("format"), help: "text (default) or json.")
        var format: OutputFormat = .text

        @Option(name: .customLong("patterns"), help: "Load the catalog from this folder instead of the built-in one.")
        var patternsDirectory: String?

        func run() throws {
            let catalog: Catalog
            do {
                catalog =
                    try patternsDirectory.map { try Catalog.load(directory: URL(fileURLWithPath: $0)) }
                    ?? Catalog.builtin
            } catch let error as CatalogError {
                throw fail(error.description)
            }
            switch format {
            case .json:
                let entries: [[String: Any]] = catalog.identifiers.map { identifier in
                    [
                        "id": identifier.id, "name": identifier.name, "category": identifier.category.rawValue,
                        "origin": identifier.origin.rawValue, "recommended": identifier.recommended,
                        "keywordRequired": identifier.needsKeyword, "keywords": identifier.keywords,
                        "keywordDistance": identifier.keywordDistance,
                        "validators": identifier.rules.compactMap(\.validator),
                        "severity": [
                            "1": identifier.severityBands[0].label, "2-99": identifier.severityBands[1].label,
                            "100+": identifier.severityBands[2].label,
                        ],
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            default:
                let header = ["ID", "CATEGORY", "KEYWORD", "VALIDATOR", "SEVERITY (1/2-99/100+)", "REC"]
                var rows = [header]
                for identifier in catalog.identifiers {
                    rows.append([
                        identifier.id, identifier.category.rawValue, identifier.needsKeyword ? "required" : "-",
                        Set(identifier.rules.compactMap(\.validator)).sorted().joined(separator: ",").ifEmpty("-"),
                        identifier.severityBands.map(\.label).joined(separator: "/"),
                        identifier.recommended ? "yes" : "",
                    ])
                }
                let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
                for row in rows {
                    print(
                        row.enumerated().map {
                            $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0)
                        }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
                }
                print(
                    "\(catalog.identifiers.count) identifiers (\(catalog.identifiers.filter { $0.origin == .macie }.count) Macie, \(catalog.identifiers.filter { $0.origin == .trawl }.count) trawl)"
                )
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run identifiers on text and show where each match is (Macie's TestCustomDataIdentifier, with locations).",
            discussion: """
                Prints each match's byte range, line and column, and the keyword that satisfied \
                proximity. The value itself is never printed: only its length and a masked form.
                """)

        @Argument(help: "Managed identifier IDs, comma-separated (omit with --custom).")
        var identifiers: String?

        @Option(name: .customLong("custom"), help: "A custom identifier file to test.")
        var customFile: String?

        @Option(name: .customLong("text"), help: "The text to test.")
        var text: String?

        @Option(name: .customLong("file"), help: "A file to test.")
        var file: String?

        @Option(name: .customLong("patterns"), help: "Load the catalog from this folder instead of the built-in one.")
        var patternsDirectory: String?

        func run() throws {
            try withUsageErrors {
                try test()
                return 0
            }
        }

        func test() throws {
            guard identifiers != nil || customFile != nil else {
                throw UsageError(
                    "give identifier IDs (e.g. `trawl patterns test USA_SOCIAL_SECURITY_NUMBER --text ...`) or --custom FILE"
                )
            }
            let bytes: [UInt8]
            if let text {
                bytes = Array(text.utf8)
            } else if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw UsageError("\(file): cannot read")
                }
                bytes = Array(data)
            } else {
                throw UsageError("give the text to test with --text TEXT or --file FILE")
            }
            let catalog =
                try patternsDirectory.map { try Catalog.load(directory: URL(fileURLWithPath: $0)) } ?? Catalog.builtin
            let selected =
                try identifiers.map { try IdentifierSelection.parse($0, exclude: nil).resolve(in: catalog) } ?? []
            let custom = try customFile.map { try CustomIdentifier.load(file: $0) } ?? []
            let detector = try Detector(identifiers: selected, custom: custom)
            let scratch = DetectorScratch()
            let outcome = bytes.withUnsafeBytes { detector.scan($0, scratch: scratch) }
            let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
            func position(_ offset: Int) -> (line: Int, column: Int) {
                let line = lineStarts.lastIndex { $0 <= offset } ?? 0
                let column = bytes[lineStarts[line]..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
                return (line + 1, column)
            }
            for detection in outcome.detections.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                let info = detector.infos[detection.identifier]
                let at = position(detection.range.lowerBound)
                let value = String(decoding: bytes[detection.range], as: UTF8.self)
                var line =
                    "\(info.id)  bytes \(detection.range.lowerBound)..<\(detection.range.upperBound)  line \(at.line) column \(at.column)"
                line += "  value \(value.count) chars \(Self.mask(value))"
                if let keyword = detection.keyword {
                    line +=
                        "  keyword \"\(String(decoding: bytes[keyword], as: UTF8.self))\" at bytes \(keyword.lowerBound)..<\(keyword.upperBound)"
                }
                print(line)
            }
            if outcome.limitExceeded { warn("a pattern hit its match limit: the text was not fully tested") }
            print("\(outcome.detections.count) match(es)")
            if outcome.detections.isEmpty { throw ExitCode(ExitStatus.clean) }
        }

        static func mask(_ value: String) -> String {
            let characters = Array(value)
            guard characters.count > 6 else { return String(repeating: "*", count: characters.count) }
            return String(characters.prefix(2)) + String(repeating: "*", count: characters.count - 4)
                + String(characters.suffix(2))
        }
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
