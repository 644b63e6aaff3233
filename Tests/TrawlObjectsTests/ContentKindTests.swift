import Testing

@testable import TrawlObjects

@Suite struct ContentKindTests {
    @Test func magicBeatsExtension() {
        let gzip = Deflate.compress([UInt8]("hello\n"), container: .gzip)
        #expect(ContentKind.sniff(fileExtension: "txt", head: gzip) == .gzip)
        #expect(ContentKind.sniff(fileExtension: ".JSON", head: [UInt8]("%PDF-1.7\n")) == .pdf)
        #expect(
            ContentKind.sniff(fileExtension: "csv", head: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])
                == .image)
        #expect(ContentKind.sniff(fileExtension: "", head: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .image)
        #expect(ContentKind.sniff(fileExtension: "", head: [UInt8]("GIF89a") + [1, 0]) == .image)
        var webp = [UInt8]("RIFF") + [0, 0, 0, 0] + [UInt8]("WEBPVP8 ")
        #expect(ContentKind.sniff(fileExtension: "bin", head: webp) == .image)
        webp.replaceSubrange(8..<12, with: [UInt8]("WAVE"))
        #expect(ContentKind.sniff(fileExtension: "", head: webp) == .audio)
        #expect(ContentKind.sniff(fileExtension: "", head: [0, 0, 0, 0x18] + [UInt8]("ftypmp42") + [0, 0]) == .video)
        #expect(ContentKind.sniff(fileExtension: "", head: [0, 0, 0, 0x18] + [UInt8]("ftypheic") + [0, 0]) == .image)
        #expect(ContentKind.sniff(fileExtension: "", head: [UInt8]("ID3") + [4, 0, 0, 0]) == .audio)
        #expect(ContentKind.sniff(fileExtension: "", head: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) == .executable)
        #expect(
            ContentKind.sniff(fileExtension: "", head: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4]) == .otherArchive)
        #expect(ContentKind.sniff(fileExtension: "", head: [UInt8]("PAR1") + [0, 0]) == .parquet)
        #expect(
            ContentKind.sniff(fileExtension: "", head: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) == .oleDocument
        )
    }

    @Test func weakMagicDoesNotFireOnText() {
        // "BM" and "MZ" begin ordinary words.
        #expect(ContentKind.sniff(fileExtension: "csv", head: [UInt8]("BMW,Munich\nAudi,Ingolstadt\n")) == .csv)
        #expect(ContentKind.sniff(fileExtension: "", head: [UInt8]("MZ transfer log\n")) == .text)
        #expect(ContentKind.sniff(fileExtension: "log", head: [UInt8]("ID3 tag missing\n")) == .text)
    }

    @Test func zipPackagesAreToldApartByEntryNames() throws {
        let docx = try fixture("sample.docx")
        let xlsx = try fixture("sample.xlsx")
        // No extension, or a lying one: the local header names decide.
        #expect(ContentKind.sniff(fileExtension: "", head: docx) == .docx)
        #expect(ContentKind.sniff(fileExtension: "xlsx", head: docx) == .docx)
        #expect(ContentKind.sniff(fileExtension: "zip", head: xlsx) == .xlsx)
        let plain = ZipBuilder.build([.init(name: "a.txt", data: [UInt8]("x"))])
        #expect(ContentKind.sniff(fileExtension: "docx", head: plain) == .zip)
        // From the central directory.
        let zip = try xlsx.withUnsafeBytes { try ZipArchive($0).entries.map(\.path) }
        #expect(ContentKind.ooxmlKind(entryNames: zip) == .xlsx)
        #expect(ContentKind.ooxmlKind(entryNames: ["xl/workbook.xml"]) == nil)
    }

    @Test func tarIsFoundByMagicAndByChecksum() throws {
        let tar = try fixture("gnu_longname.tar")
        #expect(ContentKind.sniff(fileExtension: "", head: tar) == .tar)
        // A v7 tar has no "ustar" magic; the checksum confirms a .tar.
        var v7 = [UInt8](repeating: 0, count: 1024)
        v7.replaceSubrange(0..<5, with: [UInt8]("a.txt"))
        v7.replaceSubrange(124..<136, with: [UInt8]("00000000001\0"))
        v7.replaceSubrange(148..<156, with: [UInt8]("        "))
        let sum = v7[0..<512].reduce(0) { $0 + Int($1) }
        let octal = [UInt8](String(sum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - octal.count) + octal + [0, 0x20]
        v7.replaceSubrange(148..<156, with: field)
        #expect(ContentKind.sniff(fileExtension: "tar", head: v7) == .tar)
    }

    @Test func extensionThenTextHeuristic() {
        #expect(ContentKind.sniff(fileExtension: "csv", head: [UInt8]("a,b\n1,2\n")) == .csv)
        #expect(ContentKind.sniff(fileExtension: "tsv", head: [UInt8]("a\tb\n")) == .tsv)
        #expect(ContentKind.sniff(fileExtension: "json", head: [UInt8]("  {\"a\": 1}")) == .json)
        #expect(ContentKind.sniff(fileExtension: "jsonl", head: [UInt8]("{\"a\": 1}\n{}\n")) == .jsonLines)
        // A .json that cannot be JSON is text.
        #expect(ContentKind.sniff(fileExtension: "json", head: [UInt8]("user=admin password=x\n")) == .text)
        // A .gz that is not gzip but text is read as text; binary junk is binary.
        #expect(ContentKind.sniff(fileExtension: "gz", head: [UInt8]("plain log line\n")) == .text)
        #expect(ContentKind.sniff(fileExtension: "gz", head: [0x01, 0x00, 0x02, 0x03]) == .binary)
        #expect(ContentKind.sniff(fileExtension: "", head: [UInt8]("no extension here\n")) == .text)
        #expect(ContentKind.sniff(fileExtension: "weird", head: [0x00, 0x01, 0x02]) == .binary)
        #expect(ContentKind.sniff(fileExtension: "png", head: [UInt8]("not really a png\n")) == .text)
        #expect(ContentKind.sniff(fileExtension: "txt", head: []) == .empty)
        // Invalid UTF-8 is still text.
        #expect(
            ContentKind.sniff(fileExtension: "txt", head: [0x63, 0x61, 0x66, 0xE9, 0x0A, 0xFF, 0xFE, 0x41]) == .text)
        #expect(ContentKind.sniff(fileExtension: "", head: [0x63, 0xC3, 0x28, 0x0A]) == .text)
    }

    @Test func controlBytesMakeBinary() {
        let mostlyControl = [UInt8](repeating: 0x01, count: 100) + [UInt8]("abc")
        #expect(!ContentKind.looksLikeText(mostlyControl.withUnsafeBytes { $0 }))
        #expect(ContentKind.sniff(fileExtension: "txt", head: mostlyControl) == .binary)
        // ANSI colours in logs are fine.
        #expect(ContentKind.sniff(fileExtension: "log", head: [UInt8]("\u{1B}[31mERROR\u{1B}[0m x\n")) == .text)
    }

    @Test func mimeTypesAndExtensions() {
        #expect(ContentKind.csv.mimeType == "text/csv")
        #expect(ContentKind.text.mimeType == "text/plain")
        #expect(ContentKind.json.mimeType == "application/json")
        #expect(ContentKind.gzip.mimeType == "application/gzip")
        #expect(ContentKind.zip.mimeType == "application/zip")
        #expect(ContentKind.fileExtension(of: "logs/app.JSON.gz") == "gz")
        #expect(ContentKind.fileExtension(of: "dir.d/README") == "")
        #expect(ContentKind.fileExtension(of: ".env") == "")
        #expect(ContentKind.image.unsupportedReason == .unsupportedFileTypeException)
        #expect(ContentKind.csv.unsupportedReason == nil)
        #expect(FormatLimits.macie.maxFileSize(for: .zip) == Int64(8_589_934_592))
        #expect(FormatLimits.macie.sizeLimitReason(for: .tar) == .archiveExceedsSizeLimit)
        #expect(ReasonCode.allCases.count == 22)  // Macie's 21 (FormatPolicyTests lists them) and trawl's NETWORK_ERROR
    }
}
