import Foundation
import Testing
import TrawlCore
import TrawlDetect
import TrawlReport

@Suite struct SensitivityScoreTests {
    func inputs(
        objects: Int = 10, analysed: Int = 10, classifiable: Int? = nil, failed: Int = 0,
        _ detections: [String: (Int, Severity)] = [:]
    ) -> SensitivityScore.Inputs {
        var inputs = SensitivityScore.Inputs()
        inputs.objects = objects
        inputs.nonEmptyObjects = objects
        inputs.classifiableObjects = classifiable ?? objects
        inputs.analysedObjects = analysed
        inputs.failedObjects = failed
        for (id, entry) in detections { inputs.detections[id] = (entry.0, entry.1) }
        return inputs
    }

    @Test func specialValues() {
        #expect(SensitivityScore.compute(inputs(objects: 0, analysed: 0)) == .empty)
        var onlyEmpty = inputs(objects: 3, analysed: 3)
        onlyEmpty.nonEmptyObjects = 0
        #expect(SensitivityScore.compute(onlyEmpty).value == 1, "only 0-byte objects: 1, as Macie")
        #expect(
            SensitivityScore.compute(inputs(analysed: 0, failed: 4)).value == -1, "nothing analysed because of errors")
        #expect(SensitivityScore.compute(inputs(analysed: 0)).value == 50, "nothing analysed yet")
        #expect(SensitivityScore(value: -1).label == "Classification error")
        #expect(SensitivityScore(value: 50).label == "Not yet analysed")
        #expect(SensitivityScore(value: 12).label == "Not sensitive")
        #expect(SensitivityScore(value: 77).label == "Sensitive")
    }

    @Test func nothingFoundFallsWithCoverage() {
        #expect(SensitivityScore.compute(inputs(analysed: 10)).value == 1, "everything analysed, nothing found")
        #expect(SensitivityScore.compute(inputs(analysed: 5)).value == 25)
        #expect(SensitivityScore.compute(inputs(analysed: 1)).value == 44)
        // Unsupported objects are not counted against coverage.
        #expect(SensitivityScore.compute(inputs(objects: 10, analysed: 8, classifiable: 8)).value == 1)
    }

    @Test func sensitiveRisesWithKindsOccurrencesSeverityAndCoverage() {
        let one = SensitivityScore.compute(inputs(["SSN": (1, .high)])).value
        #expect(one == 51 + Int((48 * (1 - exp(-3.0 / 15))).rounded()))
        let many = SensitivityScore.compute(inputs(["SSN": (500, .high)])).value
        let kinds = SensitivityScore.compute(inputs(["SSN": (1, .high), "CC": (1, .high), "AWS": (1, .high)])).value
        let low = SensitivityScore.compute(inputs(["VIN": (1, .low)])).value
        let halfCovered = SensitivityScore.compute(inputs(analysed: 5, ["SSN": (1, .high)])).value
        #expect(many > one)
        #expect(kinds > one)
        #expect(low < one)
        #expect(halfCovered < one)
        for score in [one, many, kinds, low, halfCovered] { #expect((51...99).contains(score)) }
        let huge = SensitivityScore.compute(
            inputs(Dictionary(uniqueKeysWithValues: (0..<60).map { ("T\($0)", (10_000, Severity.high)) })))
        #expect(huge.value == 99, "100 is reserved for a manual override")
    }
}
