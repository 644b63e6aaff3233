import Foundation
import Testing

@testable import TrawlDetect

@Suite struct DetectorTests {
    static func ssnLike(distance: Int = 30) -> Identifier {
        Identifier(
            id: "TEST_SSN", name: "test", category: .personal, origin: .macie, recommended: true,
            regex: "\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b", caseless: false, keywords: ["ssn", "social security"],
            keywordRequired: true, keywordDistance: distance, anchors: [], validator: nil, ignore: ["078-05-1120"],
            supersededBy: nil, severityBands: [.high, .high, .high], maxLength: 11, matchExamples: [],
            nomatchExamples: [])
    }

    static func cardNoKeyword() -> Identifier {
        Identifier(
            id: "TEST_CARD", name: "card", category: .financial, origin: .macie, recommended: false,
            regex: "(?<![0-9])4[0-9]{3}(?:[ -]?[0-9]{4}){3}(?![0-9])", caseless: false, keywords: [],
            keywordRequired: false, keywordDistance: 30,
            anchors: [.digits(min: 16, max: 16, separators: Array(" -".utf8), afterUpper: 0, after: [])],
            validator: "luhn", ignore: [],
            supersededBy: nil, severityBands: [.high, .high, .high], maxLength: 19, matchExamples: [],
            nomatchExamples: [])
    }

    @Test func keywordWithinThirtyCharactersEitherSide() throws {
        let detector = try Detector(identifiers: [Self.ssnLike()])
        #expect(detector.detections(in: "SSN: 123-45-6789").count == 1)
        #expect(detector.detections(in: "123-45-6789 is my ssn").count == 1)
        #expect(detector.detections(in: "order number 123-45-6789").isEmpty)
        // 30 characters between keyword and value still count, 31 do not.
        let gap30 = String(repeating: " ", count: 30)
        #expect(detector.detections(in: "ssn" + gap30 + "123-45-6789").count == 1)
        #expect(detector.detections(in: "ssn" + gap30 + " 123-45-6789").isEmpty)
        // Characters, not bytes: 30 two-byte characters still count.
        #expect(detector.detections(in: "ssn " + String(repeating: "é", count: 28) + " 123-45-6789").count == 1)
        #expect(detector.detections(in: "ssn " + String(repeating: "é", count: 29) + " 123-45-6789").isEmpty)
    }

    @Test func keywordSpellingsAndWordBoundaries() throws {
        let detector = try Detector(identifiers: [Self.ssnLike()])
        for text in [
            "Social Security 123-45-6789", "social_security=123-45-6789", "SOCIAL-SECURITY 123-45-6789",
            "socialsecurity: 123-45-6789", "customer_ssn,123-45-6789",
        ] {
            #expect(detector.detections(in: text).count == 1, "\(text)")
        }
        // "ssn" inside a longer word is not the keyword.
        #expect(detector.detections(in: "classnames 123-45-6789").isEmpty)
    }

    @Test func ignoredValuesAndAllowLists() throws {
        #expect(try Detector(identifiers: [Self.ssnLike()]).detections(in: "ssn 078-05-1120").isEmpty)
        let allowText = try Detector(identifiers: [Self.ssnLike()], allowList: AllowList(texts: ["123-45-6789"]))
        #expect(allowText.detections(in: "ssn 123-45-6789, ssn 123-45-6780").map(\.range) == [21..<32])
        let allowRegex = try Detector(identifiers: [Self.ssnLike()], allowList: AllowList(regexes: ["123-45-[0-9]{3}"]))
        #expect(allowRegex.detections(in: "ssn 123-45-6789").count == 1, "regex must match the whole value")
        let allowWhole = try Detector(identifiers: [Self.ssnLike()], allowList: AllowList(regexes: ["123-45-[0-9]{4}"]))
        #expect(allowWhole.detections(in: "ssn 123-45-6789").isEmpty)
    }

    @Test func digitAnchorsAndValidator() throws {
        let detector = try Detector(identifiers: [Self.cardNoKeyword()])
        #expect(detector.detections(in: "paid with 4111-1111-1111-1111 today").count == 1)
        #expect(detector.detections(in: "paid with 4111 1111 1111 1111").count == 1)
        #expect(detector.detections(in: "paid with 4111111111111111.").count == 1)
        #expect(detector.detections(in: "paid with 4111111111111112").isEmpty, "Luhn fails")
        #expect(detector.detections(in: "id 41111111111111110000").isEmpty, "inside a longer number")
    }

    @Test func supersededDetectionsAreDropped() throws {
        var keyed = Self.cardNoKeyword()
        keyed.id = "TEST_CARD_KW"
        keyed.keywords = ["card"]
        keyed.keywordRequired = true
        var unkeyed = Self.cardNoKeyword()
        unkeyed.supersededBy = "TEST_CARD_KW"
        let detector = try Detector(identifiers: [keyed, unkeyed])
        #expect(detector.detections(in: "card 4111111111111111").map(\.identifier) == [0])
        #expect(detector.detections(in: "paid 4111111111111111").map(\.identifier) == [1])
    }

    @Test func namedSegmentsSatisfyKeywordsAndSegmentsScopeThem() throws {
        let detector = try Detector(identifiers: [Self.ssnLike()])
        #expect(detector.identifiersSatisfied(byName: "Customer SSN") == [0])
        #expect(detector.identifiersSatisfied(byName: "customerSocialSecurity") == [0])
        #expect(detector.identifiersSatisfied(byName: "order_id").isEmpty)
        let text = "alice,123-45-6789\nbob,987-65-4321\n"
        let context = ScanContext(namedSegments: [.init(range: 6..<17, identifiers: [0])])
        #expect(detector.detections(in: text, context: context).map(\.range) == [6..<17])
        // A keyword in a neighbouring cell does not count when segments are scoped.
        let cells = "ssn,123-45-6789"
        let scoped = ScanContext(segmentOf: { $0 < 3 ? 0..<3 : 4..<15 })
        #expect(detector.detections(in: cells, context: scoped).isEmpty)
        #expect(detector.detections(in: cells).count == 1)
    }

    @Test func reportFromSkipsTheOverlap() throws {
        let detector = try Detector(identifiers: [Self.ssnLike()])
        let context = ScanContext(reportFrom: 10)
        #expect(detector.detections(in: "ssn 123-45-6789 ssn 234-56-7890", context: context).map(\.range) == [20..<31])
    }

    @Test func customIdentifierSemantics() throws {
        let custom = CustomIdentifier(
            name: "employee-id", regex: "EMP-[0-9]{6}", keywords: ["employee"], maximumMatchDistance: 20,
            ignoreWords: ["EMP-000000"])
        let detector = try Detector(identifiers: [], custom: [custom])
        #expect(detector.detections(in: "employee EMP-123456").count == 1)
        // Keywords must precede the match.
        #expect(detector.detections(in: "EMP-123456 employee").isEmpty)
        // Distance runs from the end of the keyword to the end of the match.
        #expect(detector.detections(in: "employee " + String(repeating: "x", count: 10) + "EMP-123456").isEmpty)
        #expect(detector.detections(in: "employee " + String(repeating: "x", count: 1) + " EMP-123456").count == 1)
        #expect(detector.detections(in: "employee EMP-000000").isEmpty, "ignore word")
        #expect(detector.infos[0].severity(occurrences: 1) == .medium)
        let levels = CustomIdentifier(
            name: "x", regex: "x",
            severityLevels: [
                .init(occurrencesThreshold: 2, severity: .low), .init(occurrencesThreshold: 50, severity: .high),
            ])
        let leveled = try Detector(identifiers: [], custom: [levels])
        #expect(leveled.infos[0].severity(occurrences: 1) == nil)
        #expect(leveled.infos[0].severity(occurrences: 49) == .low)
        #expect(leveled.infos[0].severity(occurrences: 50) == .high)
    }

    @Test func customIdentifierWithoutKeywordsScansEverything() throws {
        let detector = try Detector(
            identifiers: [], custom: [CustomIdentifier(name: "ticket", regex: "TCK-[0-9]{4}(?=\\b)")])
        #expect(detector.detections(in: "a TCK-1234 b TCK-9999").count == 2)
    }

    @Test func customIdentifierFileErrorsNameTheField() {
        func error(_ json: String) -> String {
            do {
                _ = try CustomIdentifier.decode(Data(json.utf8), file: "ids.json")
                return ""
            } catch { return error.description }
        }
        #expect(
            error(#"[{"name": "a", "regex": "x", "maximumMatchDistance": 301}]"#).contains(
                "field 'maximumMatchDistance'"))
        #expect(error(#"[{"name": "a", "regex": "x", "keywords": ["ab"]}]"#).contains("field 'keywords'"))
        #expect(error(#"[{"name": "a", "regex": "x", "ignoreWords": ["abc"]}]"#).contains("field 'ignoreWords'"))
        #expect(error(#"[{"name": "a"}]"#).contains("field 'regex': is required"))
        #expect(
            error(#"[{"name": "a", "regex": "x", "severity": "HIGH"}]"#).contains("field 'severity': unknown field"))
        #expect(
            error(
                #"[{"name": "a", "regex": "x", "severityLevels": [{"occurrencesThreshold": 5, "severity": "HIGH"}, {"occurrencesThreshold": 9, "severity": "LOW"}]}]"#
            ).contains("ascend"))
        #expect(error("{").contains("ids.json: not valid JSON"))
    }

    @Test func invalidRegexNamesIdentifierAndOffset() {
        #expect {
            _ = try Detector(
                identifiers: [], custom: [CustomIdentifier(name: "broken", regex: "abc(", source: "mine.json")])
        } throws: { error in
            let text = "\(error)"
            return text.contains("mine.json") && text.contains("broken") && text.contains("offset 4")
        }
    }

    @Test func greedyMatchCutByAWindowIsExtended() throws {
        let token = Identifier(
            id: "TEST_TOKEN", name: "token", category: .credentials, origin: .trawl, recommended: true,
            regex: "tok_[a-z]+", caseless: false, keywords: [], keywordRequired: false, keywordDistance: 30,
            anchors: [.literals(["tok_"], caseless: false, before: 0)], validator: nil, ignore: [],
            supersededBy: nil, severityBands: [.high, .high, .high], maxLength: 12, matchExamples: [],
            nomatchExamples: [])
        let detector = try Detector(identifiers: [token])
        let text = "x tok_" + String(repeating: "a", count: 40) + " y"
        #expect(detector.detections(in: text).map(\.range) == [2..<46])
    }

    @Test func binaryInputNeverCrashes() throws {
        let detector = try Detector(identifiers: [Self.ssnLike(), Self.cardNoKeyword()])
        var bytes = [UInt8]()
        var state: UInt32 = 12345
        for _ in 0..<200_000 {
            state = state &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: state >> 16))
        }
        _ = detector.detections(in: bytes)
        _ = detector.detections(in: [])
        _ = detector.detections(in: [0x73, 0x73])
    }
}

@Suite struct KeywordBoundaryTests {
    @Test func keywordsInsideAccentedWordsDoNotCount() throws {
        let detector = try Detector(identifiers: [DetectorTests.ssnLike()])
        #expect(detector.detections(in: "éssn 536-22-1734").isEmpty)
        #expect(detector.detections(in: "ssné 536-22-1734").isEmpty)
        #expect(detector.detections(in: "(ssn) 536-22-1734").count == 1)
    }
}
