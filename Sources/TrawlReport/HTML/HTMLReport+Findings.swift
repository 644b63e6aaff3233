import Foundation
import TrawlCore

/// What the findings page shows of one stored finding (the job store's rows conform).
public protocol FindingsPageRow {
    var job: String { get }
    var run: Int { get }
    var bucket: String { get }
    var key: String { get }
    var type: String { get }
    var severity: String { get }
    var identifiers: String { get }
    var createdAt: Date { get }
    var archived: Bool { get }
}

extension HTMLReport {
    /// `trawl findings --format html`: the stored findings that match a filter, as one
    /// self-contained page (totals by severity and a sortable, filterable table).
    public static func findings(_ rows: [some FindingsPageRow], filter: String, generatedAt: Date = Date()) -> String {
        let h = HTMLPage.h
        let bySeverity = Dictionary(grouping: rows, by: \.severity).mapValues(\.count)
        let cards = [
            HTMLPage.card("findings", HTMLPage.count(rows.count)),
            HTMLPage.card(
                "High", HTMLPage.count(bySeverity["High"] ?? 0), tone: (bySeverity["High"] ?? 0) > 0 ? "bad" : ""),
            HTMLPage.card("Medium", HTMLPage.count(bySeverity["Medium"] ?? 0)),
            HTMLPage.card("Low", HTMLPage.count(bySeverity["Low"] ?? 0)),
            HTMLPage.card("archived", HTMLPage.count(rows.filter(\.archived).count)),
        ].joined()
        var body = """
            <header class="top"><div class="brand">trawl</div><h1>Stored findings</h1>\
            <p class="meta">\(h(filter.isEmpty ? "all jobs" : filter)) · \(h(HTMLPage.timestamp(generatedAt)))</p></header>
            <main><section id="summary"><h2>Summary</h2><div class="cards">\(cards)</div></section>
            <section id="findings"><h2>Findings</h2><p class="lead">One row per object and run. Identifiers and counts only: values are never stored.</p>\
            \(HTMLPage.filter(table: "findings-table", placeholder: "bucket, key, identifier, High…"))
            <div class="scroll"><table class="data sortable" id="findings-table"><thead><tr><th>Severity</th><th>Type</th>\
            <th>Job</th><th class="num" data-type="num">Run</th><th>Object</th><th>Identifiers</th><th>Recorded</th></tr></thead><tbody>
            """
        for row in rows {
            body += "<tr><td>\(HTMLPage.severityPill(row.severity))</td>"
            body +=
                "<td>\(h(row.type.replacingOccurrences(of: "SensitiveData:S3Object/", with: "")))</td><td>\(h(row.job))</td>"
            body +=
                "<td class=\"num\">\(row.run)</td><td><code>\(h(row.bucket + "/" + row.key))</code>\(row.archived ? " <em>(archived)</em>" : "")</td>"
            body +=
                "<td>\(h(row.identifiers.replacingOccurrences(of: ",", with: ", ")))</td><td>\(h(HTMLPage.timestamp(row.createdAt)))</td></tr>\n"
        }
        body += "</tbody></table></div></section></main>"
        return HTMLPage.document(title: "trawl findings", body: body)
    }
}
