import Foundation
import TrawlCore
import TrawlDetect
import TrawlObjects

/// Self-contained HTML reports: one file, inline CSS, inline SVG charts, a few lines of
/// script for sorting and filtering (everything reads without it), no network fetches.
public enum HTMLReport {
    /// The report of a scan (or of one run of a job, with `report.runs` for the trend).
    public static func scan(_ report: ScanReport) -> String {
        let h = HTMLPage.h
        var meta =
            "Source <code>\(h(report.source))</code> · job <code>\(h(report.jobId))</code> · \(h(HTMLPage.timestamp(report.generatedAt)))"
        if let seconds = report.elapsedSeconds { meta += " · scanned in \(h(HTMLPage.seconds(seconds)))" }
        if report.interrupted { meta += " · <strong>interrupted: partial results</strong>" }
        var body = """
            <header class="top"><div class="brand">trawl</div><h1>\(h(report.title))</h1><p class="meta">\(meta)</p></header>
            <nav class="toc"><a href="#summary">Summary</a><a href="#map">Bucket map</a><a href="#charts">Findings</a>\
            <a href="#buckets">Buckets</a><a href="#objects">Objects</a><a href="#not-analysed">Not analysed</a>\
            <a href="#estimate">Estimate vs scanned</a>\(report.runs.isEmpty ? "" : "<a href=\"#trend\">Trend</a>")</nav>
            <main>
            """
        body += summarySection(report)
        body += mapSection(report.buckets, exposureKnown: report.buckets.contains { $0.exposure != nil })
        body += chartsSection(report)
        body += bucketsSection(report.buckets)
        body += objectsSection(report)
        body += notAnalysedSection(report)
        body += estimateSection(report)
        if !report.runs.isEmpty { body += trendSection(report.runs) }
        body += "</main>"
        return HTMLPage.document(title: report.title, body: body)
    }

    // MARK: Sections

    static func summarySection(_ report: ScanReport) -> String {
        let t = report.totals
        let analysed = t.complete + t.partial
        let hot = report.buckets.filter(\.isSensitiveAndExposed).count
        var cards = ""
        cards += HTMLPage.card("objects scanned", HTMLPage.count(t.objects), note: "\(HTMLPage.bytes(t.bytes)) stored")
        cards += HTMLPage.card("buckets", HTMLPage.count(report.buckets.count))
        cards += HTMLPage.card(
            "analysed", HTMLPage.count(analysed), note: "\(HTMLPage.bytes(t.classifiedBytes)) read", tone: "ok")
        cards += HTMLPage.card(
            "objects with findings", HTMLPage.count(t.findings), note: "\(HTMLPage.count(t.occurrences)) occurrences",
            tone: t.findings > 0 ? "alert" : "ok")
        cards += HTMLPage.card("High", HTMLPage.count(t.high), tone: t.high > 0 ? "alert" : "")
        cards += HTMLPage.card("Medium", HTMLPage.count(t.medium), tone: t.medium > 0 ? "warn" : "")
        cards += HTMLPage.card("Low", HTMLPage.count(t.low))
        cards += HTMLPage.card(
            "skipped", HTMLPage.count(t.skipped), note: "\(HTMLPage.count(t.partial)) partial",
            tone: t.skipped > 0 ? "warn" : "")
        cards += HTMLPage.card("errors", HTMLPage.count(t.errors), tone: t.errors > 0 ? "alert" : "")
        if report.buckets.contains(where: { $0.exposure != nil }) {
            cards += HTMLPage.card("sensitive and exposed buckets", HTMLPage.count(hot), tone: hot > 0 ? "alert" : "ok")
        }
        var out =
            "<section id=\"summary\"><h2>Summary</h2><p class=\"lead\">What this scan read and what it found.</p><div class=\"cards\">\(cards)</div>"
        for warning in report.auditWarnings { out += "<p class=\"note\">Audit warning: \(HTMLPage.h(warning))</p>" }
        return out + "</section>"
    }

    static func mapSection(_ buckets: [BucketReport], exposureKnown: Bool) -> String {
        let h = HTMLPage.h
        var out = """
            <section id="map"><h2>Bucket sensitivity map</h2>
            <p class="lead">One tile per bucket, coloured by its sensitivity score (1–99; 50 not yet analysed, −1 classification error). \
            \(exposureKnown ? "Tiles with a black outline hold sensitive data <strong>and</strong> are public or shared outside the account." : "Give the scan an audit (<code>--audit</code>) to mark public and externally shared buckets.")</p>
            <div class="legend"><span><span class="sw" style="background:\(HTMLPage.scoreColor(.empty).background)"></span>not sensitive</span>\
            <span>sensitive 51<span class="scale" style="background:linear-gradient(90deg,\(HTMLPage.scoreColor(SensitivityScore(value: 51)).background),\(HTMLPage.scoreColor(SensitivityScore(value: 99)).background))"></span>99</span>\
            <span><span class="sw" style="background:\(HTMLPage.scoreColor(.notAnalysed).background)"></span>not yet analysed</span>\
            <span><span class="sw" style="background:\(HTMLPage.scoreColor(.classificationError).background)"></span>classification error</span>\
            <span><span class="flag public">PUBLIC</span> public</span><span><span class="flag shared">SHARED</span> shared externally</span></div>
            <div class="tiles">
            """
        if buckets.isEmpty { out += "<p class=\"empty\">No buckets.</p>" }
        for (index, bucket) in buckets.enumerated() {
            let colors = HTMLPage.scoreColor(bucket.score)
            let hot = bucket.isSensitiveAndExposed
            var flags = ""
            if hot { flags += "<span class=\"flag hot\">SENSITIVE &amp; EXPOSED</span>" }
            if let exposure = bucket.exposure {
                if exposure.isPublic { flags += "<span class=\"flag public\">PUBLIC</span>" }
                if exposure.sharedAccess == "EXTERNAL" {
                    flags += "<span class=\"flag shared\">SHARED EXTERNALLY</span>"
                }
                if exposure.replicatedExternally { flags += "<span class=\"flag shared\">REPLICATED EXTERNALLY</span>" }
                if exposure.effectivePermission == "UNKNOWN" {
                    flags += "<span class=\"flag unknown\">ACCESS UNKNOWN</span>"
                }
            }
            let types = bucket.types.prefix(3).map(\.id).joined(separator: ", ")
            let stats =
                bucket.objectsScanned == 0 && bucket.objectsInScope == 0
                ? "not scanned"
                : "\(HTMLPage.count(bucket.objectsInScope)) objects · \(HTMLPage.count(bucket.analysed)) analysed · \(HTMLPage.count(bucket.objectsWithFindings)) with findings"
            out += """
                <a class="tile\(hot ? " hot" : "")" href="#bucket-\(index)" style="background:\(colors.background);color:\(colors.text)" \
                data-bucket="\(h(bucket.name))" data-score="\(bucket.score.value)" data-exposed="\(bucket.exposure?.isExposed ?? false)">\
                <div class="tile-name">\(h(bucket.name))</div>\
                <div class="tile-score">\(bucket.score.value)</div><div class="tile-label">\(h(bucket.score.label))</div>\
                <div class="tile-stats">\(h(stats))</div>\
                \(types.isEmpty ? "" : "<div class=\"tile-stats mono\">\(h(types))\(bucket.types.count > 3 ? " +\(bucket.types.count - 3)" : "")</div>")\
                \(flags.isEmpty ? "" : "<div class=\"tile-flags\">\(flags)</div>")</a>
                """
        }
        return out + "</div></section>"
    }

    static func chartsSection(_ report: ScanReport) -> String {
        let t = report.totals
        let severities = [
            SVGChart.Bar(label: "High", value: t.high, color: HTMLPage.severityColor(.high), note: "objects"),
            SVGChart.Bar(label: "Medium", value: t.medium, color: HTMLPage.severityColor(.medium), note: "objects"),
            SVGChart.Bar(label: "Low", value: t.low, color: HTMLPage.severityColor(.low), note: "objects"),
        ]
        let shown = report.types.prefix(20)
        let types = shown.map { type in
            SVGChart.Bar(
                label: type.name, value: type.occurrences, color: HTMLPage.severityColor(type.severity),
                note: "in \(type.objects) object\(type.objects == 1 ? "" : "s")")
        }
        var out = "<div class=\"grid2 row\" id=\"charts\">"
        out +=
            "<section><h2>Findings by severity</h2><p class=\"lead\">Objects with sensitive data, by the finding's severity (the highest of any type in the object, as Macie rates it).</p><figure>"
        out += SVGChart.bars(severities, title: "Objects with findings by severity", width: 460, labelWidth: 80)
        out += "</figure>"
        var categories: [String: Int] = [:]
        for type in report.types { categories[type.category, default: 0] += type.occurrences }
        let categoryBars = categories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { category, count in
            SVGChart.Bar(label: categoryLabel(category), value: count, color: "#1f4e79", note: "occurrences")
        }
        if !categoryBars.isEmpty {
            out +=
                "<h2 style=\"margin-top:22px\">Findings by category</h2><p class=\"lead\">Occurrences by Macie's data category.</p><figure>"
            out +=
                SVGChart.bars(categoryBars, title: "Occurrences by category", width: 460, labelWidth: 110) + "</figure>"
        }
        out += "</section>"
        out +=
            "<section><h2>Findings by type</h2><p class=\"lead\">Occurrences of each identifier, coloured by the highest severity it gave an object.</p><figure>"
        out += SVGChart.bars(types, title: "Occurrences by identifier", width: 640, labelWidth: 220)
        if report.types.count > shown.count {
            out +=
                "<figcaption>The \(shown.count) most severe and frequent of \(report.types.count) identifiers; all are in the objects table.</figcaption>"
        }
        out += "</figure></section></div>"
        return out
    }

    static func categoryLabel(_ category: String) -> String {
        switch category {
        case "CREDENTIALS": "Credentials"
        case "FINANCIAL_INFORMATION": "Financial"
        case "PERSONAL_INFORMATION": "Personal"
        case "CUSTOM_IDENTIFIER": "Custom"
        default: category
        }
    }

    static func bucketsSection(_ buckets: [BucketReport]) -> String {
        let h = HTMLPage.h
        let exposureKnown = buckets.contains { $0.exposure != nil }
        var out = """
            <section id="buckets"><h2>Buckets</h2><p class="lead">Per bucket: the score, what was analysed and what was found\
            \(exposureKnown ? ", and its exposure from the audit" : "").</p>\(HTMLPage.filter(table: "buckets-table", placeholder: "bucket, identifier, PUBLIC…"))
            <div class="scroll"><table class="data sortable" id="buckets-table"><thead><tr>\
            <th>Bucket</th><th class="num" data-type="num">Score</th><th class="num" data-type="num">Objects</th>\
            <th class="num" data-type="num">Analysed</th><th class="num" data-type="num">With findings</th><th class="num" data-type="num">High</th>\
            <th class="num" data-type="num">Skipped</th><th class="num" data-type="num">Errors</th><th class="num" data-type="num">Bytes read</th><th>Identifiers</th>\
            \(exposureKnown ? "<th>Access</th><th>Shared</th><th>Encryption</th>" : "")</tr></thead><tbody>
            """
        for (index, bucket) in buckets.enumerated() {
            let colors = HTMLPage.scoreColor(bucket.score)
            let items = bucket.types.map {
                "<li><span class=\"mono\">\(h($0.id))</span> ×\(HTMLPage.count($0.occurrences))</li>"
            }
            var types = items.prefix(4).joined()
            if items.count > 4 {
                types +=
                    "<li><details><summary>\(items.count - 4) more</summary><ul class=\"types\">\(items.dropFirst(4).joined())</ul></details></li>"
            }
            out += "<tr id=\"bucket-\(index)\"><td class=\"key name\">\(h(bucket.name))</td>"
            out +=
                "<td class=\"num\" data-sort=\"\(bucket.score.value)\"><span class=\"score\" style=\"background:\(colors.background);color:\(colors.text)\">\(bucket.score.value)</span><div class=\"note\">\(h(bucket.score.label))</div></td>"
            out +=
                numeric(bucket.objectsInScope) + numeric(bucket.analysed) + numeric(bucket.objectsWithFindings)
                + numeric(bucket.high)
            out += numeric(bucket.skipped) + numeric(bucket.errors)
            out +=
                "<td class=\"num\" data-sort=\"\(bucket.classifiedBytes)\">\(HTMLPage.bytes(bucket.classifiedBytes))</td>"
            out +=
                "<td>\(types.isEmpty ? "<span class=\"note\">none</span>" : "<ul class=\"types\">\(types)</ul>")</td>"
            if exposureKnown {
                if let exposure = bucket.exposure {
                    var access = h(exposure.effectivePermission)
                    if exposure.isPublic { access = "<span class=\"flag public\">PUBLIC</span>" }
                    var shared = h(exposure.sharedAccess)
                    if exposure.sharedAccess == "EXTERNAL" { shared = "<span class=\"flag shared\">EXTERNAL</span>" }
                    if exposure.replicatedExternally { shared += " <span class=\"flag shared\">REPLICATED</span>" }
                    var findings = ""
                    if !exposure.findings.isEmpty {
                        findings =
                            "<details><summary>\(exposure.findings.count) policy finding\(exposure.findings.count == 1 ? "" : "s")</summary><ul>"
                        findings += exposure.findings.map {
                            "<li>\(HTMLPage.severityPill($0.severity)) \(h($0.title))</li>"
                        }.joined()
                        findings += "</ul></details>"
                    }
                    out += "<td>\(access)\(findings)</td><td>\(shared)</td><td>\(h(exposure.encryption))</td>"
                } else {
                    out += "<td class=\"note\">not audited</td><td></td><td></td>"
                }
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div></section>"
    }

    static func numeric(_ value: Int) -> String {
        "<td class=\"num\" data-sort=\"\(value)\">\(HTMLPage.count(value))</td>"
    }

    static func objectsSection(_ report: ScanReport) -> String {
        let h = HTMLPage.h
        var out = """
            <section id="objects"><h2>Objects with sensitive data</h2>\
            <p class="lead">Each object with a finding: its severity, the identifiers found and where (line and column, \
            spreadsheet cell, or JSON path). The values themselves are never shown.</p>\
            \(HTMLPage.filter(table: "objects-table", placeholder: "bucket, key, identifier, High…"))
            """
        guard !report.objects.isEmpty else {
            return out + "<p class=\"empty\">No sensitive data found.</p></section>"
        }
        out += """
            <div class="scroll"><table class="data sortable" id="objects-table"><thead><tr>\
            <th data-type="num">Severity</th><th>Bucket</th><th>Key</th><th>Finding type</th><th>Identifiers</th>\
            <th class="num" data-type="num">Occurrences</th><th>Locations</th></tr></thead><tbody>
            """
        for object in report.objects {
            let types = object.types.map { type in
                "<li>\(HTMLPage.severityPill(type.severity.label)) <span class=\"mono\">\(h(type.id))</span> ×\(HTMLPage.count(type.count))</li>"
            }.joined()
            let recorded = object.types.reduce(0) { $0 + $1.locations.count }
            var locations =
                "<details><summary>\(recorded) location\(recorded == 1 ? "" : "s")\(recorded < object.occurrences ? " of \(HTMLPage.count(object.occurrences))" : "")</summary><ul>"
            for type in object.types {
                for location in type.locations {
                    locations += "<li><span class=\"mono\">\(h(type.id))</span>: \(h(location.text))</li>"
                }
            }
            locations += "</ul></details>"
            var key = h(object.key)
            if object.status != "COMPLETE" {
                key += " <span class=\"note\">(\(h(object.status.lowercased())): \(h(object.reason ?? "")))</span>"
            }
            out +=
                "<tr><td data-sort=\"\(object.severity.rawValue)\">\(HTMLPage.severityPill(object.severity.label))</td>"
            out += "<td class=\"key\">\(h(object.bucket))</td><td class=\"key mono\">\(key)</td>"
            out +=
                "<td class=\"mono\">\(h(object.findingType.replacingOccurrences(of: "SensitiveData:S3Object/", with: "")))</td>"
            out += "<td><ul class=\"types\">\(types)</ul></td>"
            out += numeric(object.occurrences)
            out += "<td>\(locations)</td></tr>"
        }
        out += "</tbody></table></div>"
        if report.omittedObjects > 0 {
            out +=
                "<p class=\"note\">\(HTMLPage.count(report.omittedObjects)) more objects with findings are not listed (the \(HTMLPage.count(report.objects.count)) most severe are); use <code>--format json</code> for all of them.</p>"
        }
        return out + "</section>"
    }

    static func notAnalysedSection(_ report: ScanReport) -> String {
        let h = HTMLPage.h
        let t = report.totals
        var out = "<section id=\"not-analysed\"><h2>Skipped and partly analysed objects</h2>"
        out +=
            "<p class=\"lead\">Objects trawl could not read in full, by Macie's reason code: skipped ones were not analysed at all; partial ones only in part.</p>"
        var reasons: [SVGChart.Bar] = []
        for (reason, count) in t.skippedByReason.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            reasons.append(
                SVGChart.Bar(
                    label: reason, value: count,
                    color: ReasonCode(rawValue: reason).map(ScanSummary.errorReasons.contains) == true
                        ? "#c0392b" : "#8395a7", note: "skipped"))
        }
        for (reason, count) in t.partialByReason.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            reasons.append(SVGChart.Bar(label: reason, value: count, color: "#b7950b", note: "partial"))
        }
        guard !reasons.isEmpty else {
            return out + "<p class=\"empty\">Every object was analysed in full.</p></section>"
        }
        out +=
            "<figure>"
            + SVGChart.bars(reasons, title: "Objects not analysed in full, by reason", width: 760, labelWidth: 330)
            + "</figure>"
        out += HTMLPage.filter(table: "not-analysed-table", placeholder: "reason, bucket, key…")
        out += """
            <div class="scroll"><table class="data sortable" id="not-analysed-table"><thead><tr><th>Status</th><th>Reason</th>\
            <th>Bucket</th><th>Key</th><th class="num" data-type="num">Size</th><th>Detail</th></tr></thead><tbody>
            """
        for object in report.notAnalysed {
            out +=
                "<tr><td>\(h(object.status))</td><td class=\"mono\">\(h(object.reason))</td><td class=\"key\">\(h(object.bucket))</td>"
            out +=
                "<td class=\"key mono\">\(h(object.key))</td><td class=\"num\" data-sort=\"\(object.size)\">\(HTMLPage.bytes(object.size))</td>"
            out += "<td>\(h(object.message ?? ""))</td></tr>"
        }
        out += "</tbody></table></div>"
        if report.omittedNotAnalysed > 0 {
            out +=
                "<p class=\"note\">\(HTMLPage.count(report.omittedNotAnalysed)) more are not listed; the discovery results (<code>--results</code>) have every object.</p>"
        }
        return out + "</section>"
    }

    static func estimateSection(_ report: ScanReport) -> String {
        var out = "<section id=\"estimate\"><h2>Estimate against what was scanned</h2>"
        guard let estimate = report.estimate else {
            return out + "<p class=\"empty\">No estimate was recorded for this scan.</p></section>"
        }
        let t = report.totals
        let notClassifiableScanned = t.skippedByReason.filter {
            ScanReportCollector.notClassifiableReasons.contains($0.key)
        }.values.reduce(0, +)
        let notClassifiableEstimated = estimate.notClassifiable.values.reduce(0, +)
        out +=
            "<p class=\"lead\">What <code>trawl estimate</code> predicted before reading anything in full, next to what the scan did. "
        out +=
            "Macie would have charged about \(HTMLPage.usd(estimate.macieUSD))\(estimate.macieRegion.isEmpty ? "" : " in " + HTMLPage.h(estimate.macieRegion)) for this analysis; trawl costs nothing per byte.</p>"
        out += """
            <div class="scroll"><table class="data" id="estimate-table"><thead><tr><th></th><th class="num">Estimated</th>\
            <th class="num">Scanned</th><th class="num">Difference</th></tr></thead><tbody>
            """
        func row(_ label: String, _ estimated: Double, _ actual: Double, _ render: (Double) -> String) -> String {
            var delta = "–"
            if estimated > 0 {
                let change = (actual - estimated) / estimated * 100
                if abs(change) < 0.5 {
                    delta = "same"
                } else {
                    delta =
                        "<span class=\"\(change > 0 ? "delta-up" : "delta-down")\">\(String(format: "%+.0f%%", change))</span>"
                }
            }
            return
                "<tr><td>\(HTMLPage.h(label))</td><td class=\"num\">\(render(estimated))</td><td class=\"num\">\(render(actual))</td><td class=\"num\">\(delta)</td></tr>"
        }
        let count: (Double) -> String = { HTMLPage.count(Int($0)) }
        let bytes: (Double) -> String = { HTMLPage.bytes(Int64($0)) }
        out += row(
            estimate.samplingPercentage < 100
                ? "Objects selected (\(estimate.samplingPercentage)% sample)" : "Objects to read",
            Double(estimate.selectedObjects), Double(t.objects), count)
        out += row("Objects analysed", Double(estimate.classifiableObjects), Double(t.complete + t.partial), count)
        out += row("Objects not classifiable", Double(notClassifiableEstimated), Double(notClassifiableScanned), count)
        out += row("Bytes analysed", Double(estimate.bytesToAnalyse), Double(t.classifiedBytes), bytes)
        if let seconds = report.elapsedSeconds {
            out += row(
                "Time (\(estimate.workers) worker\(estimate.workers == 1 ? "" : "s"))", estimate.estimatedSeconds,
                seconds, HTMLPage.seconds)
        }
        out += "</tbody></table></div>"
        out +=
            "<p class=\"note\">In scope before sampling: \(HTMLPage.count(estimate.objectsInScope)) objects, \(HTMLPage.bytes(estimate.bytesInScope)). "
        out +=
            "Compressed objects are estimated from their gzip trailer or zip directory when present; objects that turn out malformed are read only in part.</p>"
        return out + "</section>"
    }

    static func trendSection(_ runs: [RunSummary]) -> String {
        var out = "<section id=\"trend\"><h2>Trend over the job's runs</h2>"
        out +=
            "<p class=\"lead\">Objects with findings per run, stacked by severity; the line is the number of objects scanned.</p>"
        if runs.count < 2 {
            out += "<p class=\"empty\">The trend appears from the job's second run.</p>"
        }
        out += "<figure>" + SVGChart.trend(runs, title: "Findings per run") + "</figure>"
        out += """
            <div class="scroll"><table class="data sortable" id="runs-table"><thead><tr><th>Run</th><th>Started</th>\
            <th class="num" data-type="num">Objects</th><th class="num" data-type="num">Bytes read</th>\
            <th class="num" data-type="num">With findings</th><th class="num" data-type="num">High</th>\
            <th class="num" data-type="num">Medium</th><th class="num" data-type="num">Low</th>\
            <th class="num" data-type="num">Skipped</th><th class="num" data-type="num">Errors</th></tr></thead><tbody>
            """
        for run in runs.reversed() {
            out +=
                "<tr><td class=\"mono\">\(HTMLPage.h(run.runId))</td><td data-sort=\"\(Int(run.startedAt.timeIntervalSince1970))\">\(HTMLPage.timestamp(run.startedAt))</td>"
            out +=
                numeric(run.objects)
                + "<td class=\"num\" data-sort=\"\(run.classifiedBytes)\">\(HTMLPage.bytes(run.classifiedBytes))</td>"
            out +=
                numeric(run.findings) + numeric(run.high) + numeric(run.medium) + numeric(run.low)
                + numeric(run.skipped) + numeric(run.errors) + "</tr>"
        }
        return out + "</tbody></table></div></section>"
    }
}
