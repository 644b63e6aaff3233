import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlDetect

/// One generic test over every identifier in Patterns/: each `match` example yields exactly
/// its marked values, each `nomatch` example yields nothing.
@Suite struct CatalogExamplesTests {
    static let catalog: Catalog = {
        do { return try Catalog.load(directory: Repository.patterns) } catch { fatalError("\(error)") }
    }()

    static var ids: [String] { catalog.identifiers.map(\.id) }

    @Test(arguments: ids)
    func examples(id: String) throws {
        let identifier = try #require(Self.catalog.identifier(id))
        // An identifier superseded by another is tested with that one loaded too, as in a scan.
        let superseding = identifier.supersededBy.flatMap { Self.catalog.identifier($0) }
        let detector = try Detector(identifiers: [identifier] + (superseding.map { [$0] } ?? []))
        #expect(identifier.matchExamples.count >= 2, "\(id): at least two match examples")
        #expect(identifier.nomatchExamples.count >= 2, "\(id): at least two nomatch examples")
        for example in identifier.matchExamples {
            let marked = MarkedText(example)
            let found = detector.detections(in: marked.bytes).detections.filter { $0.identifier == 0 }.map(\.range)
            if marked.marks.isEmpty {
                #expect(!found.isEmpty, "\(id) should match: \(example)")
            } else {
                #expect(found == marked.marks, "\(id) on \(example): found \(found), expected \(marked.marks)")
            }
        }
        for example in identifier.nomatchExamples {
            let found = detector.detections(in: Array(example.utf8)).detections.filter { $0.identifier == 0 }
            #expect(found.isEmpty, "\(id) should not match: \(example) (found \(found.map(\.range)))")
        }
    }

    @Test func embeddedCatalogIsUpToDate() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Repository.patterns.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(BuiltinCatalog.files.map(\.name) == onDisk, "run `make patterns` to re-embed Patterns/")
        for file in BuiltinCatalog.files {
            let text = try String(contentsOf: Repository.patterns.appendingPathComponent(file.name), encoding: .utf8)
            #expect(file.json == text.trimmingCharacters(in: .newlines), "\(file.name) changed: run `make patterns`")
        }
    }

    @Test func identifierInvariants() throws {
        let catalog = Self.catalog
        for identifier in catalog.identifiers {
            if identifier.origin == .macie { #expect(!identifier.id.hasPrefix("TRAWL_")) }
            if let other = identifier.supersededBy {
                #expect(catalog.identifier(other) != nil, "\(identifier.id): supersededBy \(other)")
            }
        }
        // The whole catalog compiles into one detector.
        _ = try Detector(identifiers: catalog.identifiers)
    }
}
