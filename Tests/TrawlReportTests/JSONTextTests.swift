import Foundation
import Testing

@testable import TrawlReport

@Suite struct JSONTextTests {
    @Test func roundTripsThroughFoundation() throws {
        let value: [String: Any] = [
            "b": [1, 2.5, "x\"y\\z\n\u{01}", true, NSNull()] as [Any],
            "a": ["nested": ["k": -3] as [String: Any]] as [String: Any],
            "é": "ünïcode ✓", "n": Int64(1) << 40, "slash": "a/b",
        ]
        let text = JSONText.serialize(value)
        #expect(
            text.hasPrefix(
                #"{"a":{"nested":{"k":-3}},"b":[1,2.5,"x\"y\\z\n\u0001",true,null],"n":1099511627776,"slash":"a/b","é":"#
            ))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((parsed["b"] as? [Any])?.count == 5)
        #expect(parsed["é"] as? String == "ünïcode ✓")
    }
}
