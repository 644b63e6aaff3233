import Foundation
import Testing
import TrawlTestSupport

@testable import TrawlObjects

private func sampleManifest() -> URL {
    Repository.url("Corpus/accounts/sample/_inventory/acme-private/daily/2026-11-01T01-00Z/manifest.json")
}

@Suite struct InventoryTests {
    @Test func readsTheSampleReport() throws {
        let report = try InventoryReport.open(manifestAt: sampleManifest())
        #expect(report.manifest.sourceBucket == "acme-private")
        #expect(report.manifest.columns.first == "Bucket")
        #expect(report.manifest.creationDate == Date(timeIntervalSince1970: 1_793_494_800))
        #expect(report.dataFiles.count == 1)
        let records = try report.records()
        #expect(records.count == 8)
        #expect(records[0].key == "reports/q1.csv")
        #expect(records[0].size == 1200)
        #expect(records[0].storageClass == "STANDARD")
        #expect(records[0].encryptionStatus == "SSE-KMS")
        #expect(records[0].isLatest == true)
        #expect(records[0].lastModified == Date(timeIntervalSince1970: 1_790_841_600))
        #expect(records[1].isCurrentObject == false)
        #expect(records[4].key == "my docs/plan v2.docx")
        #expect(records[5].key == "a,b.txt")
        #expect(records[7].isDeleteMarker == true)
        #expect(records[7].isCurrentObject == false)
    }

    @Test func resolvesDataFilesNextToTheManifest() throws {
        let root = try TemporaryDirectory.make("inv")
        defer { TemporaryDirectory.remove(root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("\"b\",\"k%2Fx+y\",\"5\"\r\n\"b\",\"say \"\"hi\"\"\",\"7\"\n".utf8).write(
            to: root.appendingPathComponent("data/f.csv"))
        let manifest =
            #"{"sourceBucket":"b","fileFormat":"CSV","fileSchema":"Bucket, Key, Size","files":[{"key":"prefix/b/cfg/data/f.csv","size":1,"MD5checksum":"x"}]}"#
        try Data(manifest.utf8).write(to: root.appendingPathComponent("manifest.json"))
        let report = try InventoryReport.open(manifestAt: root.appendingPathComponent("manifest.json"))
        let records = try report.records()
        #expect(records.map(\.key) == ["k/x y", "say \"hi\""])
        #expect(records.map(\.size) == [5, 7])
        #expect(records[0].isCurrentObject)
    }

    @Test func errors() throws {
        let root = try TemporaryDirectory.make("inv")
        defer { TemporaryDirectory.remove(root) }
        let url = root.appendingPathComponent("manifest.json")
        #expect(throws: InventoryError.self) { try InventoryReport.open(manifestAt: url) }
        try Data("{\"sourceBucket\":\"b\"}".utf8).write(to: url)
        #expect(throws: InventoryError.malformedManifest(path: url.path, reason: "missing field 'fileFormat'")) {
            try InventoryReport.open(manifestAt: url)
        }
        try Data(#"{"sourceBucket":"b","fileFormat":"ORC","fileSchema":"struct<>","files":[]}"#.utf8).write(to: url)
        #expect(throws: InventoryError.unsupportedFormat("ORC")) { try InventoryReport.open(manifestAt: url) }
        try Data(
            #"{"sourceBucket":"b","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"x/missing.csv.gz"}]}"#
                .utf8
        ).write(to: url)
        do {
            _ = try InventoryReport.open(manifestAt: url)
            Issue.record("expected dataFileNotFound")
        } catch let InventoryError.dataFileNotFound(key, searched) {
            #expect(key == "x/missing.csv.gz")
            #expect(!searched.isEmpty)
        }
        // A corrupt gzip and an unterminated quote are reported with the file.
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x01]).write(to: root.appendingPathComponent("bad.csv.gz"))
        try Data("\"b\",\"unterminated\n".utf8).write(to: root.appendingPathComponent("bad.csv"))
        for name in ["bad.csv.gz", "bad.csv"] {
            try Data(
                #"{"sourceBucket":"b","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"\#(name)"}]}"#.utf8
            ).write(to: url)
            let report = try InventoryReport.open(manifestAt: url)
            #expect(throws: InventoryError.self) { try report.records() }
        }
    }
}
