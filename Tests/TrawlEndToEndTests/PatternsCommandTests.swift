import Foundation
import Testing
import TrawlTestSupport

@Suite struct PatternsCommandTests {
    @Test func listAsJSONHasMacieIDs() throws {
        let run = try TrawlBinary.run(["patterns", "list", "--format", "json"])
        #expect(run.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(list.count >= 90)
        let macie = list.filter { $0["origin"] as? String == "macie" }.compactMap { $0["id"] as? String }
        #expect(macie.count >= 75)
        for id in [
            "AWS_CREDENTIALS", "CREDIT_CARD_NUMBER_(NO_KEYWORD)", "USA_SOCIAL_SECURITY_NUMBER",
            "VIRGIN_ISLANDS_BANK_ACCOUNT_NUMBER", "UK_NHS_NUMBER",
        ] {
            #expect(macie.contains(id), "\(id)")
        }
    }

    @Test func testManagedIdentifierShowsLocationAndKeywordNotValue() throws {
        let run = try TrawlBinary.run([
            "patterns", "test", "USA_SOCIAL_SECURITY_NUMBER", "--text", "name: x\nSSN: 536-22-1734",
        ])
        #expect(run.status == 0)
        #expect(run.stdout.contains("bytes 13..<24"))
        #expect(run.stdout.contains("line 2 column 6"))
        #expect(run.stdout.contains("keyword \"SSN\""))
        #expect(!run.stdout.contains("536-22-1734"))
    }

    @Test func testCustomIdentifierFile() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        let file = directory.appendingPathComponent("ids.json")
        try
            #"{"customDataIdentifiers": [{"name": "employee-id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"], "maximumMatchDistance": 20}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let run = try TrawlBinary.run([
            "patterns", "test", "--custom", file.path, "--text", "employee EMP-123456, EMP-654321",
        ])
        #expect(run.stdout.contains("employee-id  bytes 9..<19"))
        #expect(run.stdout.contains("1 match(es)"))
    }

    @Test func errorsAreClear() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        let broken = directory.appendingPathComponent("broken.json")
        try #"[{"name": "bad", "regex": "EMP-([0-9]+"}]"#.write(to: broken, atomically: true, encoding: .utf8)
        let regex = try TrawlBinary.run(["patterns", "test", "--custom", broken.path, "--text", "x"])
        #expect(regex.status == 64)
        #expect(regex.stderr.contains("broken.json") && regex.stderr.contains("bad") && regex.stderr.contains("offset"))
        let field = directory.appendingPathComponent("field.json")
        try #"[{"name": "bad", "regex": "x", "maximumMatchDistance": 0}]"#.write(
            to: field, atomically: true, encoding: .utf8)
        let fieldRun = try TrawlBinary.run(["patterns", "test", "--custom", field.path, "--text", "x"])
        #expect(fieldRun.stderr.contains("maximumMatchDistance"))
        let unknown = try TrawlBinary.run(["patterns", "test", "USA_SSN", "--text", "x"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown identifier ID"))
    }
}
