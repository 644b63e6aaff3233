import Testing

@testable import TrawlObjects

@Suite struct JSONTests {
    func offset(of needle: String, in bytes: [UInt8]) -> Int {
        let n = [UInt8](needle)
        for i in 0...(bytes.count - n.count) where Array(bytes[i..<i + n.count]) == n { return i }
        Issue.record("\(needle) not found")
        return -1
    }

    @Test func pathsAsMacieWritesThem() throws {
        let json = [UInt8](
            """
            {"credentials": {"aws": {"key": "AKIAIOSFODNN7EXAMPLE", "n": -1.5e3}},
             "items": [{"ssn": "123-45-6789"}, [true, null, "x"]],
             "first name": "Jane", "it's": "q", "a\\u0041": "esc", "": "empty",
             "_ok1": 1}
            """)
        try json.withUnsafeBytes { raw in
            let index = JSONIndex(raw)
            try index.validate()
            var seen: [String: String] = [:]
            try index.forEachScalar { scalar, path in
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: raw[scalar.range]), as: UTF8.self)
                seen[path.resolve(in: raw).rendered] = value
            }
            #expect(seen["$.credentials.aws.key"] == "AKIAIOSFODNN7EXAMPLE")
            #expect(seen["$.credentials.aws.n"] == "-1.5e3")
            #expect(seen["$.items[0].ssn"] == "123-45-6789")
            #expect(seen["$.items[1][0]"] == "true")
            #expect(seen["$.items[1][1]"] == "null")
            #expect(seen["$.items[1][2]"] == "x")
            #expect(seen["$['first name']"] == "Jane")
            #expect(seen["$['it\\'s']"] == "q")
            #expect(seen["$.aA"] == "esc")
            #expect(seen["$['']"] == "empty")
            #expect(seen["$._ok1"] == "1")

            let key = index.locate(offset(of: "AKIA", in: json))!
            #expect(key.path.rendered == "$.credentials.aws.key")
            #expect(key.path.elementNames == ["credentials", "aws", "key"])
            #expect(!key.isInKey)
            let inName = index.locate(offset(of: "first name", in: json) + 2)!
            #expect(inName.isInKey)
            #expect(inName.path.rendered == "$['first name']")
            #expect(index.locate(offset(of: "[true", in: json)) == nil)  // structure
        }
        // Macie's own example shape.
        let array = [UInt8]("[{\"Card Number\": \"4111\", \"CVV\": \"123\"}]")
        array.withUnsafeBytes { raw in
            #expect(JSONIndex(raw).locate(offset(of: "4111", in: array))?.path.rendered == "$[0]['Card Number']")
            #expect(JSONIndex(raw).locate(offset(of: "123", in: array))?.path.rendered == "$[0].CVV")
        }
    }

    @Test func longNamesAndPathsAreCut() {
        let long = String(repeating: "a", count: 300) + "END"
        let path = JSONPath([.key(long)])
        #expect(path.rendered == "$." + String(long.suffix(240)))
        let deep = JSONPath(Array(repeating: .key("segment"), count: 60))
        #expect(deep.rendered.count == 250)
        #expect(deep.rendered.hasPrefix("$.segment.segment"))
    }

    @Test func depthLimit() throws {
        let ok = [UInt8](String(repeating: "[", count: 256) + "1" + String(repeating: "]", count: 256))
        try ok.withUnsafeBytes { try JSONIndex($0).validate() }
        let deep = [UInt8](String(repeating: "[", count: 257) + "1" + String(repeating: "]", count: 257))
        deep.withUnsafeBytes { raw in
            #expect(throws: FormatError(.jsonNestingLevelOverLimit, "JSON nests deeper than 256 levels", offset: 256)) {
                try JSONIndex(raw).validate()
            }
        }
        let objects = [UInt8](String(repeating: "{\"a\":", count: 5) + "1" + String(repeating: "}", count: 5))
        objects.withUnsafeBytes { raw in
            #expect(throws: FormatError.self) { try JSONIndex(raw, maxDepth: 4).validate() }
        }
    }

    @Test func malformedReportsOffsets() {
        func errorOffset(_ s: String) -> Int? {
            [UInt8](s).withUnsafeBytes { raw -> Int? in
                do {
                    try JSONIndex(raw).validate()
                    return nil
                } catch let error as FormatError {
                    #expect(error.reason == .malformedFile)
                    return error.offset
                } catch {
                    return -1
                }
            }
        }
        #expect(errorOffset("{\"a\": 1,}") == 8)
        #expect(errorOffset("{\"a\" 1}") == 5)
        #expect(errorOffset("[1, 2") == 5)
        #expect(errorOffset("{\"a\": \"open") == 6)
        #expect(errorOffset("{} x") == 3)
        #expect(errorOffset("[01.]") == 1)
        #expect(errorOffset("[tru]") == 1)
        #expect(errorOffset("   ") == 3)
        #expect(errorOffset("{\"a\":\"\\q\"}") == 6)
        #expect(errorOffset("\u{FEFF}{\"a\": [1, 2.5e-3, \"\\u00e9\\n\"]}") == nil)
        // Scalars before the error are reported, then the error.
        let partial = [UInt8]("[\"one\", \"two\", oops]")
        var values: [String] = []
        partial.withUnsafeBytes { raw in
            #expect(throws: FormatError.self) {
                try JSONIndex(raw).forEachScalar { s, _ in
                    values.append(String(decoding: UnsafeRawBufferPointer(rebasing: raw[s.range]), as: UTF8.self))
                }
            }
        }
        #expect(values == ["one", "two"])
    }

    @Test func invalidUTF8InStrings() throws {
        let json: [UInt8] = [UInt8]("{\"k\\u00e9y\": \"") + [0xFF, 0xC3] + [UInt8]("\"}")
        try json.withUnsafeBytes { raw in
            try JSONIndex(raw).validate()
            let location = JSONIndex(raw).locate(json.count - 3)
            #expect(location?.path.rendered == "$['kéy']")
        }
    }

    @Test func jsonLinesRecords() {
        let lines = [UInt8]("{\"ssn\": \"123-45-6789\"}\r\n\n{broken\n[{\"a\": {\"email\": \"j@x.io\"}}]\n")
        lines.withUnsafeBytes { raw in
            let jl = JSONLines(raw)
            var records: [(Int, Bool)] = []
            jl.forEachRecord { index, range, error in
                records.append((index, error == nil))
                if index == 2 { #expect(error?.offset == range.lowerBound + 1) }
            }
            #expect(records.map(\.0) == [0, 2, 3])
            #expect(records.map(\.1) == [true, false, true])
            var cursor = JSONLines.Cursor()
            let first = jl.locate(offset(of: "123", in: lines), cursor: &cursor)
            #expect(first.recordIndex == 0 && first.location?.path.rendered == "$.ssn")
            #expect(first.location?.range.lowerBound == offset(of: "123", in: lines))
            let broken = jl.locate(offset(of: "broken", in: lines), cursor: &cursor)
            #expect(broken.recordIndex == 2 && broken.location == nil)
            let email = jl.locate(offset(of: "j@x", in: lines), cursor: &cursor)
            #expect(email.recordIndex == 3 && email.location?.path.rendered == "$[0].a.email")
            // Going back restarts the count.
            #expect(jl.locate(2, cursor: &cursor).recordIndex == 0)
        }
    }
}
