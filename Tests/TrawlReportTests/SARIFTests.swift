import Foundation
import Testing
import TrawlCore
import TrawlObjects
import TrawlReport
import TrawlTestSupport

@Suite struct SARIFTests {
    static let schema = Fixture.resources.appendingPathComponent("sarif-schema-2.1.0.json").path

    func log(jobId: String = "job-1", results: [ObjectResult] = Fixture.results()) -> SARIFLog {
        var log = SARIFLog(context: FindingContext(jobId: jobId))
        for result in results { log.add(result) }
        return log
    }

    func results(of log: SARIFLog) -> [[String: Any]] {
        let run = (log.log()["runs"] as! [[String: Any]])[0]
        return run["results"] as! [[String: Any]]
    }

    /// Validates with the official schema through Python's jsonschema (with format checks).
    static func validate(_ json: String) throws -> ProcessResult {
        try JSONSchema.validate(json: json, schema: schema)
    }

    @Test func validatesAgainstTheSARIF210Schema() throws {
        let outcome = try Self.validate(log().json())
        #expect(outcome.status == 0, "\(outcome.output)")
    }

    @Test func schemaCheckRejectsABrokenLog() throws {
        let broken = log().json().replacingOccurrences(of: "\"version\" : \"2.1.0\"", with: "\"version\" : \"2.0\"")
        #expect(broken.contains("\"version\" : \"2.0\""))
        let outcome = try Self.validate(broken)
        #expect(outcome.status == 1, "the validator must catch a wrong version: \(outcome.output)")
    }

    @Test func oneRulePerIdentifierWithLevels() throws {
        let run = (log().log()["runs"] as! [[String: Any]])[0]
        let driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
        let rules = driver["rules"] as! [[String: Any]]
        #expect(
            rules.map { $0["id"] as! String } == [
                "AWS_CREDENTIALS", "CREDIT_CARD_NUMBER", "TRAWL_EMAIL_ADDRESS", "TRAWL_IPV4_ADDRESS",
                "USA_SOCIAL_SECURITY_NUMBER",
            ])
        for rule in rules {
            #expect((rule["help"] as? [String: Any])?["text"] as? String != nil)
            let properties = rule["properties"] as! [String: Any]
            #expect(["8.0", "5.5", "3.0"].contains(properties["security-severity"] as? String))
        }
        let aws = rules.first { $0["id"] as? String == "AWS_CREDENTIALS" }!
        #expect((aws["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
    }

    @Test func resultsCarryLocations() throws {
        let all = results(of: log())
        #expect(all.count == 5, "one result per recorded occurrence")
        let aws = try #require(all.first { $0["ruleId"] as? String == "AWS_CREDENTIALS" })
        let location = (aws["locations"] as! [[String: Any]])[0]
        let physical = location["physicalLocation"] as! [String: Any]
        #expect((physical["artifactLocation"] as! [String: Any])["uri"] as? String == "s3://finance/keys/app.env")
        let region = physical["region"] as! [String: Any]
        #expect(region["startLine"] as? Int == 3 && region["startColumn"] as? Int == 7)
        #expect(aws["level"] as? String == "error")
        let card = try #require(all.first { $0["ruleId"] as? String == "CREDIT_CARD_NUMBER" })
        let cardLocation = (card["locations"] as! [[String: Any]])[0]
        #expect((cardLocation["physicalLocation"] as! [String: Any])["region"] == nil, "a cell has no line region")
        #expect(
            ((cardLocation["logicalLocations"] as! [[String: Any]])[0]["name"] as? String) == "row 2, column 3 (card)")
        #expect((card["properties"] as! [String: Any])["row"] as? Int == 2)
        let email = try #require(all.first { $0["ruleId"] as? String == "TRAWL_EMAIL_ADDRESS" })
        let uri =
            (((email["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])["artifactLocation"]
            as! [String: Any])["uri"] as! String
        #expect(uri == "s3://%3Cimg%20src%3Dx%20onerror%3Dalert%282%29%3E/%3Cscript%3Ealert%281%29%3C/script%3E.csv")
        #expect((email["properties"] as! [String: Any])["jsonPath"] as? String == Fixture.hostilePath)
    }

    @Test func fingerprintsAreStableAcrossRunsAndDistinct() {
        let first = results(of: log(jobId: "run-a")).map {
            ($0["partialFingerprints"] as! [String: String])[SARIFLog.fingerprintKey]!
        }
        let second = results(of: log(jobId: "run-b")).map {
            ($0["partialFingerprints"] as! [String: String])[SARIFLog.fingerprintKey]!
        }
        #expect(first == second, "same findings, another run: same fingerprints")
        #expect(Set(first).count == first.count, "distinct findings: distinct fingerprints")
        for fingerprint in first { #expect(fingerprint.count == 32 && fingerprint.allSatisfy(\.isHexDigit)) }
        // Moving the value to another line makes it another finding.
        let moved = [
            Fixture.result(
                "finance", "keys/app.env",
                [
                    Fixture.detection(
                        "AWS_CREDENTIALS", [.lineRange(start: 4, end: 4, startColumn: 7, embeddedFile: nil)])
                ])
        ]
        let original = [
            Fixture.result(
                "finance", "keys/app.env",
                [
                    Fixture.detection(
                        "AWS_CREDENTIALS", [.lineRange(start: 3, end: 3, startColumn: 7, embeddedFile: nil)])
                ])
        ]
        let a = results(of: log(results: original))[0]["partialFingerprints"] as! [String: String]
        let b = results(of: log(results: moved))[0]["partialFingerprints"] as! [String: String]
        #expect(a != b)
    }

    @Test func errorsBecomeNotificationsAndValuesNeverAppear() {
        let json = log().json()
        #expect(json.contains("PERMISSION_DENIED"))
        #expect(json.contains("toolExecutionNotifications"))
        #expect(!json.contains(Fixture.sample))
    }
}
