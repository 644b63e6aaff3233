import Foundation

/// Inline SVG charts: no library, no fonts to fetch, readable without script. Every label
/// is escaped text; each chart has a `<title>` and an `aria-label` for screen readers.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Int
        var color: String
        /// Shown after the value (`in 3 objects`).
        var note: String = ""
    }

    /// Horizontal bars, one per item, with the label on the left and the value at the bar's end.
    static func bars(_ items: [Bar], title: String, width: Int = 620, labelWidth: Int = 210) -> String {
        let h = HTMLPage.h
        let rowHeight = 26
        let top = 6
        let height = max(1, items.count) * rowHeight + top * 2
        let maxValue = max(1, items.map(\.value).max() ?? 1)
        let valueSpace = 150
        let barSpace = Double(width - labelWidth - valueSpace)
        var out = """
            <svg class="chart bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" \
            height="\(height)" role="img" aria-label="\(h(title))"><title>\(h(title))</title>
            """
        if items.isEmpty {
            out += "<text x=\"0\" y=\"20\" font-size=\"13\" fill=\"#5b6577\">Nothing to show</text>"
        }
        for (index, item) in items.enumerated() {
            let y = top + index * rowHeight
            let length = max(2, barSpace * Double(item.value) / Double(maxValue))
            let fits = max(8, (labelWidth - 12) / 7)
            let label = item.label.count > fits ? String(item.label.prefix(fits - 1)) + "…" : item.label
            out += "<g class=\"bar\">"
            out +=
                "<title>\(h(item.label)): \(HTMLPage.count(item.value))\(item.note.isEmpty ? "" : " " + h(item.note))</title>"
            out +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"12.5\" fill=\"#1c2330\">\(h(label))</text>"
            out +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\(quote(length)) height=\"18\" rx=\"3\" fill=\"\(h(item.color))\"/>"
            out +=
                "<text x=\(quote(Double(labelWidth) + length + 6)) y=\"\(y + 17)\" font-size=\"12\" fill=\"#1c2330\">"
            out += "<tspan font-weight=\"600\">\(HTMLPage.count(item.value))</tspan>"
            if !item.note.isEmpty { out += "<tspan fill=\"#5b6577\"> \(h(item.note))</tspan>" }
            out += "</text></g>"
        }
        return out + "</svg>"
    }

    /// A column per run: findings stacked by severity, objects scanned as a line.
    static func trend(_ runs: [RunSummary], title: String, width: Int = 900) -> String {
        let h = HTMLPage.h
        let height = 240
        let left = 44
        let right = 52
        let top = 16
        let bottom = 44
        let plotWidth = Double(width - left - right)
        let plotHeight = Double(height - top - bottom)
        let maxFindings = max(1, runs.map(\.findings).max() ?? 1)
        let maxObjects = max(1, runs.map(\.objects).max() ?? 1)
        let slot = plotWidth / Double(max(1, runs.count))
        let barWidth = min(46, slot * 0.6)
        var out = """
            <svg class="chart trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" \
            height="\(height)" role="img" aria-label="\(h(title))"><title>\(h(title))</title>
            """
        // Axes and grid.
        for step in 0...4 {
            let y = Double(top) + plotHeight * Double(step) / 4
            let value = Int((Double(maxFindings) * Double(4 - step) / 4).rounded())
            out += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\(quote(y)) y2=\(quote(y)) stroke=\"#e3e6eb\"/>"
            out +=
                "<text x=\"\(left - 6)\" y=\(quote(y + 4)) text-anchor=\"end\" font-size=\"11\" fill=\"#5b6577\">\(value)</text>"
        }
        out += "<text x=\"\(left - 36)\" y=\"\(top - 4)\" font-size=\"11\" fill=\"#5b6577\">findings</text>"
        out += "<text x=\"\(width - right + 6)\" y=\"\(top - 4)\" font-size=\"11\" fill=\"#1f4e79\">objects</text>"
        var points: [String] = []
        for (index, run) in runs.enumerated() {
            let center = Double(left) + slot * (Double(index) + 0.5)
            var y = Double(top) + plotHeight
            out +=
                "<g class=\"run\"><title>\(h(run.runId)) (\(h(HTMLPage.timestamp(run.startedAt)))): \(run.findings) objects with findings (\(run.high) High, \(run.medium) Medium, \(run.low) Low), \(run.objects) objects scanned</title>"
            for (count, color) in [
                (run.low, HTMLPage.severityColor(.low)), (run.medium, HTMLPage.severityColor(.medium)),
                (run.high, HTMLPage.severityColor(.high)),
            ] where count > 0 {
                let size = plotHeight * Double(count) / Double(maxFindings)
                y -= size
                out +=
                    "<rect x=\(quote(center - barWidth / 2)) y=\(quote(y)) width=\(quote(barWidth)) height=\(quote(size)) fill=\"\(color)\"/>"
            }
            out +=
                "<text x=\(quote(center)) y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1c2330\">\(h(HTMLPage.shortDate(run.startedAt)))</text>"
            out += "</g>"
            let objectY = Double(top) + plotHeight * (1 - Double(run.objects) / Double(maxObjects))
            points.append("\(format(center)),\(format(objectY))")
        }
        if points.count > 1 {
            out +=
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\"/>"
        }
        for point in points {
            let xy = point.split(separator: ",")
            out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3.5\" fill=\"#1f4e79\"/>"
        }
        out +=
            "<text x=\"\(width - right + 6)\" y=\"\(top + 4)\" font-size=\"11\" fill=\"#1f4e79\">\(maxObjects)</text>"
        out += "<text x=\"\(left)\" y=\"\(height - 8)\" font-size=\"11\" fill=\"#5b6577\">Run start (UTC)</text>"
        return out + "</svg>"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func quote(_ value: Double) -> String { "\"" + format(value) + "\"" }
}
