import Testing

@testable import TrawlRegex

@Suite struct CompiledPatternTests {
    @Test func matchesReportByteOffsets() throws {
        let pattern = try CompiledPattern("[0-9]{3}")
        let scratch = MatchScratch()
        let found = try pattern.matches(in: Array("ab 123 héllo 456".utf8), scratch: scratch)
        #expect(found.map(\.range) == [3..<6, 14..<17])
    }

    @Test func valueGroupNarrowsTheRange() throws {
        let pattern = try CompiledPattern("key=(?<value>[a-z]+)")
        let found = try pattern.matches(in: Array("x key=abc y".utf8), scratch: MatchScratch())
        #expect(found.first?.range == 2..<9)
        #expect(found.first?.valueRange == 6..<9)
    }

    @Test func compileErrorCarriesTheOffset() {
        #expect {
            _ = try CompiledPattern("abc(def")
        } throws: { error in
            guard let error = error as? RegexError else { return false }
            return error.kind == .compile && error.offset == 7 && error.description.contains("offset 7")
        }
    }

    @Test func invalidUTF8AndBinaryNeverCrash() throws {
        var bytes: [UInt8] = (0...255).map { UInt8($0) }
        bytes += [0xC3, 0x28, 0xFF, 0xFE, 0x00] + Array("é 42".utf8)
        for options: PatternOptions in [[], [.utf], [.caseless, .utf]] {
            let pattern = try CompiledPattern("[0-9]+", options: options)
            let found = try pattern.matches(in: bytes, scratch: MatchScratch())
            #expect(found.last.map { Array(bytes[$0.range]) } == Array("42".utf8))
        }
    }

    @Test func windowEndActsAsSubjectEnd() throws {
        let pattern = try CompiledPattern("[0-9]+\\b")
        let bytes = Array("id 12345 x".utf8)
        let scratch = MatchScratch()
        let match = try bytes.withUnsafeBytes { try pattern.firstMatch(in: $0, from: 0, to: 6, scratch: scratch) }
        #expect(match?.range == 3..<6)
        // Look-behind sees bytes before the start offset.
        let behind = try CompiledPattern("(?<=id )[0-9]+")
        let m2 = try bytes.withUnsafeBytes { try behind.firstMatch(in: $0, from: 3, scratch: scratch) }
        #expect(m2?.range == 3..<8)
    }

    @Test func pathologicalInputHitsTheLimitInsteadOfHanging() throws {
        let pattern = try CompiledPattern("(a+)+$")
        let subject = Array(String(repeating: "a", count: 40_000).utf8) + [0x21]
        let scratch = MatchScratch(matchLimit: 100_000, depthLimit: 10_000)
        #expect(throws: RegexError.self) { _ = try pattern.matches(in: subject, scratch: scratch) }
    }

    @Test func sharedAcrossTasks() async throws {
        let pattern = try CompiledPattern("[a-z]+@[a-z]+\\.com")
        let text = Array(String(repeating: "mail bob@example.com now ", count: 200).utf8)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try pattern.matches(in: text, scratch: MatchScratch()).count } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 200, count: 8))
    }
}
