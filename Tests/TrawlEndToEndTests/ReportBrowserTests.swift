import Foundation
import Testing
import TrawlCore
import TrawlTestSupport

/// Headless Chromium, found on the PATH (Debian's `chromium`; `make test` installs it) or at
/// `$TRAWL_CHROMIUM`. When it is missing the browser test is skipped, and says so loudly.
enum Chromium {
    static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["TRAWL_CHROMIUM"], !explicit.isEmpty,
            FileManager.default.isExecutableFile(atPath: explicit)
        {
            return explicit
        }
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            if let found = TestEnvironment.executable(named: name) { return found }
        }
        FileHandle.standardError.write(
            Data(
                """

                ************************************************************************************
                * WARNING: Chromium was not found, so the HTML report was NOT checked in a browser.  *
                * Install it (Debian/Ubuntu: apt-get install chromium; `make test` does this) or    *
                * point TRAWL_CHROMIUM at a Chrome/Chromium binary. ReportBrowserTests is SKIPPED.   *
                ************************************************************************************

                """.utf8))
        return nil
    }()

    /// Runs headless Chromium with `arguments` and the given URL; returns its status and output.
    static func run(_ arguments: [String], url: URL, profile: URL, timeout: TimeInterval = 90) throws -> ProcessResult {
        guard let path else { throw TestSetupError("Chromium not found") }
        return try Subprocess.run(
            path,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--hide-scrollbars",
                "--user-data-dir=\(profile.path)",
            ] + arguments + [url.absoluteString], timeout: timeout)
    }
}

/// Renders the HTML report of Corpus/buckets (plus objects, a bucket, a column and a JSON key
/// named with markup) in headless Chromium and checks it through the browser's DOM: charts,
/// map tiles and tables are there, the script sorts and filters, hostile names are text.
@Suite(.serialized) struct ReportBrowserTests {
    static let hostileKey = "<script>alert(1)</script>.csv"
    static let hostileBucket = "<img src=x onerror=alert(2)>"
    static let hostileColumn = "<i onmouseover=alert(3)>email</i>"
    static let hostileJSONKey = "<svg onload=alert(4)>"
    static let plantedValue = "jane.doe@example.com"

    /// Corpus/buckets copied, with the hostile names added.
    static func hostileCorpus(in directory: URL) throws -> URL {
        let corpus = directory.appendingPathComponent("buckets")
        try FileManager.default.copyItem(at: Repository.url("Corpus/buckets"), to: corpus)
        // "/" in the key makes a folder.
        let key = corpus.appendingPathComponent("acme-docs").appendingPathComponent(hostileKey)
        try FileManager.default.createDirectory(at: key.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "name,\(hostileColumn),notes\nJane Doe,\(plantedValue),call back\n".write(
            to: key, atomically: true, encoding: .utf8)
        let bucket = corpus.appendingPathComponent(hostileBucket)
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        try "{\"customer\": {\"\(hostileJSONKey)\": \"\(plantedValue)\"}}\n".write(
            to: bucket.appendingPathComponent("export.json"), atomically: true, encoding: .utf8)
        return corpus
    }

    /// Loads the report in a frame and reports what the DOM holds, base64-encoded JSON in `#out`.
    static let harness = """
        <!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">pending</pre>
        <iframe id="frame" src="report.html" style="width:1280px;height:900px"></iframe>
        <script>
        document.getElementById('frame').addEventListener('load', function () {
          var out = {};
          try {
            var d = this.contentDocument;
            var all = d.querySelectorAll('*');
            out.elements = all.length;
            out.charts = Array.prototype.map.call(d.querySelectorAll('svg.chart'), function (svg) {
              return {label: svg.getAttribute('aria-label'), rects: svg.querySelectorAll('rect').length};
            });
            out.svgWithoutChartClass = d.querySelectorAll('svg:not(.chart)').length;
            out.tiles = Array.prototype.map.call(d.querySelectorAll('a.tile'), function (tile) {
              return {name: tile.querySelector('.tile-name').textContent, attribute: tile.getAttribute('data-bucket'),
                      score: tile.getAttribute('data-score'), hot: tile.classList.contains('hot'), background: tile.style.background};
            });
            out.tables = Array.prototype.map.call(d.querySelectorAll('table.data'), function (table) {
              return {id: table.id, rows: table.tBodies[0].rows.length, sortable: table.classList.contains('sortable')};
            });
            out.scripts = d.querySelectorAll('script').length;
            out.injected = d.querySelectorAll('img, iframe, object, embed, i, b, link, base, form, meta[http-equiv=refresh]').length;
            var handlers = [];
            Array.prototype.forEach.call(all, function (element) {
              Array.prototype.forEach.call(element.attributes, function (attribute) {
                if (/^on/i.test(attribute.name)) { handlers.push(element.tagName + ' ' + attribute.name); }
              });
            });
            out.eventHandlerAttributes = handlers;
            var text = d.body.textContent;
            out.hostileTextShown = {
              key: text.indexOf(\(jsString(hostileKey))) >= 0,
              bucket: text.indexOf(\(jsString(hostileBucket))) >= 0,
              column: text.indexOf(\(jsString(hostileColumn))) >= 0,
              jsonKey: text.indexOf(\(jsString(hostileJSONKey))) >= 0
            };
            out.valueShown = d.documentElement.outerHTML.indexOf(\(jsString(plantedValue))) >= 0;
            out.sortButtons = d.querySelectorAll('button.sort').length;
            out.filtersShown = d.querySelectorAll('.tools:not([hidden])').length;
            // Sort the buckets table by score, ascending then descending.
            var table = d.getElementById('buckets-table');
            var header = table.tHead.rows[0].cells[1].querySelector('button');
            function scores() { return Array.prototype.map.call(table.tBodies[0].rows, function (row) { return parseInt(row.cells[1].getAttribute('data-sort'), 10); }); }
            header.click(); out.ascending = scores();
            header.click(); out.descending = scores();
            // Filter the objects table.
            var input = d.querySelector('input[data-table=objects-table]');
            input.value = 'acme-config'; input.dispatchEvent(new Event('input'));
            var rows = d.getElementById('objects-table').tBodies[0].rows;
            out.filtered = Array.prototype.filter.call(rows, function (row) { return !row.hidden; }).map(function (row) { return row.cells[1].textContent; });
          } catch (e) { out.error = String(e); }
          document.getElementById('out').textContent = btoa(unescape(encodeURIComponent(JSON.stringify(out))));
        });
        </script></body></html>
        """

    static func jsString(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = String(decoding: data, as: UTF8.self)
        // A JSON string is a JavaScript string; "<" is escaped so "</script>" cannot end the harness script.
        return String(array.dropFirst().dropLast()).replacingOccurrences(of: "<", with: "\\u003c")
    }

    @Test(
        .enabled(
            if: Chromium.path != nil,
            "Chromium not found: the HTML report is NOT checked in a browser (install chromium)"))
    func reportRendersInChromiumAndHostileNamesStayText() throws {
        let directory = try TemporaryDirectory.make("e2e")
        defer { TemporaryDirectory.remove(directory) }
        let corpus = try Self.hostileCorpus(in: directory)
        let report = directory.appendingPathComponent("report.html")
        let account = Repository.fixtures("TrawlReportTests/Resources/demo-account").path
        let scan = try TrawlBinary.run([
            "scan", corpus.path, "--identifiers", "all", "--audit", account, "--format", "html", "--yes", "--output",
            report.path,
            "--job-id", "browser",
        ])
        #expect(scan.status == 1, "stderr: \(scan.stderr)")

        let harness = directory.appendingPathComponent("harness.html")
        try Self.harness.write(to: harness, atomically: true, encoding: .utf8)
        let dump = try Chromium.run(
            ["--allow-file-access-from-files", "--dump-dom"], url: harness,
            profile: directory.appendingPathComponent("profile"))
        #expect(dump.status == 0, "chromium failed: \(dump.stderr.suffix(2000))")
        let encoded = try #require(
            dump.stdout.range(of: "<pre id=\"out\">").map { start in
                String(dump.stdout[start.upperBound...].prefix { $0 != "<" })
            })
        let data = try #require(Data(base64Encoded: encoded), "harness output: \(dump.stdout.prefix(500))")
        let dom = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dom["error"] == nil, "harness error: \(dom["error"] ?? "")")

        // Charts: severity, types and skipped reasons, each with bars.
        let charts = try #require(dom["charts"] as? [[String: Any]])
        #expect(charts.count >= 3)
        for chart in charts { #expect((chart["rects"] as? Int ?? 0) >= 1, "\(chart["label"] ?? "") has bars") }

        // The map: a tile per bucket; the public and the externally shared sensitive buckets stand out.
        let tiles = try #require(dom["tiles"] as? [[String: Any]])
        #expect(tiles.count == 5)
        let hot = Set(tiles.filter { $0["hot"] as? Bool == true }.map { $0["name"] as! String })
        #expect(hot == ["acme-customer-exports", "acme-docs"])
        for tile in tiles { #expect(!(tile["background"] as? String ?? "").isEmpty, "tiles are coloured by score") }
        let hostileTile = try #require(tiles.first { $0["attribute"] as? String == Self.hostileBucket })
        #expect(hostileTile["name"] as? String == Self.hostileBucket, "the bucket name is the tile's text")

        // Tables.
        let tables = try #require(dom["tables"] as? [[String: Any]])
        let rows = Dictionary(uniqueKeysWithValues: tables.map { ($0["id"] as! String, $0["rows"] as! Int) })
        #expect(rows["buckets-table"] == 5)
        #expect(rows["objects-table"] == 12)
        #expect((rows["not-analysed-table"] ?? 0) == 4)
        #expect(rows["estimate-table"] != nil)

        // Hostile names are text: nothing was injected and no handler attribute exists.
        #expect(dom["scripts"] as? Int == 1, "only the report's own script")
        #expect(dom["injected"] as? Int == 0)
        #expect(dom["svgWithoutChartClass"] as? Int == 0)
        #expect((dom["eventHandlerAttributes"] as? [String])?.isEmpty == true, "\(dom["eventHandlerAttributes"] ?? "")")
        let shown = try #require(dom["hostileTextShown"] as? [String: Bool])
        #expect(
            shown == ["key": true, "bucket": true, "column": true, "jsonKey": true],
            "hostile names are shown as text: \(shown)")
        #expect(dom["valueShown"] as? Bool == false, "the matched value never reaches the report")

        // The script works: sorting and filtering.
        #expect((dom["sortButtons"] as? Int ?? 0) > 10)
        #expect((dom["filtersShown"] as? Int ?? 0) >= 3)
        let ascending = try #require(dom["ascending"] as? [Int])
        #expect(ascending == ascending.sorted())
        #expect(dom["descending"] as? [Int] == ascending.sorted(by: >))
        let filtered = try #require(dom["filtered"] as? [String])
        #expect(filtered.count == 3 && filtered.allSatisfy { $0 == "acme-config" }, "\(filtered)")

        // And a screenshot renders.
        let png = directory.appendingPathComponent("report.png")
        let shot = try Chromium.run(
            ["--screenshot=\(png.path)", "--window-size=1280,2000"], url: report,
            profile: directory.appendingPathComponent("profile"))
        #expect(shot.status == 0, "chromium failed: \(shot.stderr.suffix(2000))")
        let image = try Data(contentsOf: png)
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        #expect(image.count > 50_000, "a real page, not a blank one (\(image.count) bytes)")
    }
}
