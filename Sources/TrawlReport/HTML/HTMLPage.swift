import Foundation
import TrawlDetect

/// The pieces every HTML report shares: escaping, number formats, colours, the page shell
/// with its inline stylesheet and script.
///
/// Everything taken from the data (bucket names, object keys, column names, JSON paths,
/// identifier names, messages) goes through `h(_:)`, in text and attribute positions alike;
/// nothing from the data is ever put in a script, a style, a URL or an element name. The page
/// also carries a Content-Security-Policy that allows no network access at all and runs only
/// its own script (by nonce), as a second line of defence.
enum HTMLPage {
    /// Escapes text for HTML text and quoted attribute values. C0 control characters (other
    /// than tab and newlines) become U+FFFD, so a key cannot smuggle in anything unprintable.
    static func h(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    // MARK: Formats

    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000 && unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        return String(format: amount >= 100 ? "%.0f %@" : "%.1f %@", amount, units[unit])
    }

    static func seconds(_ value: Double) -> String {
        if value < 1 { return String(format: "%.2f s", value) }
        if value < 120 { return String(format: "%.1f s", value) }
        if value < 7200 { return String(format: "%.0f min", value / 60) }
        return String(format: "%.1f h", value / 3600)
    }

    static func usd(_ value: Double) -> String { String(format: "$%.2f", value) }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return String(format: "%.0f%%", 100 * Double(part) / Double(whole))
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func shortDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        return String(format: "%02d-%02d %02d:%02d", c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    // MARK: Colours

    static func severityColor(_ severity: Severity) -> String {
        switch severity {
        case .high: "#c0392b"
        case .medium: "#e67e22"
        case .low: "#d4ac0d"
        }
    }

    static func severityColor(label: String) -> String {
        Severity(label: label).map(severityColor) ?? "#7f8c8d"
    }

    /// The tile colour for a score: greens fading to grey for not sensitive, grey for not
    /// analysed, pale to deep red for sensitive, violet for a classification error.
    static func scoreColor(_ score: SensitivityScore) -> (background: String, text: String) {
        let value = score.value
        if value < 0 { return ("#ddd3f3", "#3c2a6b") }
        if value == 50 { return ("#e7e9ee", "#3d4451") }
        if value < 50 {
            let t = Double(value - 1) / 48  // 0: everything analysed, nothing found
            return (mix((0xcf, 0xec, 0xd9), (0xee, 0xf1, 0xef), t), "#1d4d33")
        }
        let t = Double(value - 51) / 48
        let background = mix((0xfb, 0xd9, 0xcf), (0x9e, 0x1b, 0x1b), t)
        return (background, t > 0.45 ? "#ffffff" : "#5a1410")
    }

    static func mix(_ a: (Int, Int, Int), _ b: (Int, Int, Int), _ t: Double) -> String {
        let t = min(1, max(0, t))
        func channel(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    // MARK: Building blocks

    static func severityPill(_ label: String) -> String {
        "<span class=\"pill sev-\(h(label.lowercased()))\">\(h(label))</span>"
    }

    static func card(_ label: String, _ value: String, note: String? = nil, tone: String = "") -> String {
        var out =
            "<div class=\"card \(tone)\"><div class=\"card-value\">\(h(value))</div><div class=\"card-label\">\(h(label))</div>"
        if let note { out += "<div class=\"card-note\">\(h(note))</div>" }
        return out + "</div>"
    }

    /// A search box for a table; hidden until the script shows it (the table is complete without it).
    static func filter(table: String, placeholder: String) -> String {
        """
        <div class="tools" hidden><label>Filter <input type="search" class="filter" data-table="\(table)" \
        data-count="\(table)-count" placeholder="\(h(placeholder))" autocomplete="off"></label>\
        <span class="filter-count" id="\(table)-count"></span></div>
        """
    }

    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next(), radix: 36) + String(generator.next(), radix: 36)
    }

    /// The whole document around `body`.
    static func document(title: String, body: String) -> String {
        let nonce = randomNonce()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-\(nonce)'; base-uri 'none'; form-action 'none'">
            <meta name="referrer" content="no-referrer">
            <meta name="generator" content="trawl">
            <title>\(h(title))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            \(body)
            <footer class="foot">Generated by trawl. Matched values are never written to this report: it shows identifiers, counts and locations only.</footer>
            <script nonce="\(nonce)">\(script)</script>
            </body>
            </html>

            """
    }

    static let stylesheet = """
        :root{--ink:#1c2330;--muted:#5b6577;--line:#dde1e8;--bg:#f5f6f8;--panel:#fff;--accent:#1f4e79;\
        --high:#c0392b;--medium:#e67e22;--low:#d4ac0d}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
        header.top{background:#14233a;color:#fff;padding:22px 32px 18px}
        header.top .brand{font-weight:700;letter-spacing:.14em;text-transform:uppercase;font-size:12px;color:#9fb7d4}
        header.top h1{margin:4px 0 6px;font-size:24px;font-weight:600}
        header.top .meta{margin:0;color:#c9d6e6;font-size:13px}
        header.top .meta code{color:#fff;background:rgba(255,255,255,.1);padding:1px 5px;border-radius:4px}
        nav.toc{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;position:sticky;top:0;z-index:5}
        nav.toc a{color:var(--accent);text-decoration:none;margin-right:18px;font-size:13px}
        nav.toc a:hover{text-decoration:underline}
        main{padding:20px 32px 8px;max-width:1500px}
        section{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:0 0 18px}
        section h2{margin:0 0 4px;font-size:17px}
        section .lead{margin:0 0 14px;color:var(--muted)}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
        .card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfd}
        .card-value{font-size:24px;font-weight:650}
        .card-label{color:var(--muted);font-size:12.5px}
        .card-note{color:var(--muted);font-size:11.5px;margin-top:2px}
        .card.alert{border-color:#e9b4ae;background:#fdf1ef}.card.alert .card-value{color:var(--high)}
        .card.warn{border-color:#f2cf9f;background:#fff7ec}.card.warn .card-value{color:#b35900}
        .card.ok .card-value{color:#1e7a46}
        .grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.4fr);gap:18px}
        .grid2>section{margin:0}
        @media (max-width:900px){.grid2{grid-template-columns:1fr}}
        .row{margin-bottom:18px}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
        a.tile{display:block;position:relative;border-radius:8px;padding:12px 14px 12px;text-decoration:none;min-height:132px;border:1px solid rgba(0,0,0,.08)}
        a.tile:hover{filter:brightness(.97)}
        a.tile.hot{outline:3px solid #111;outline-offset:2px}
        .tile-name{font-weight:600;word-break:break-all;font-size:13.5px;padding-right:4px}
        .tile-score{font-size:30px;font-weight:700;line-height:1.1;margin-top:6px}
        .tile-label{font-size:12px;opacity:.9}
        .tile-stats{font-size:11.5px;opacity:.85;margin-top:4px}
        .tile-flags{margin-top:7px;display:flex;flex-wrap:wrap;gap:4px}
        .flag{display:inline-block;font-size:10.5px;font-weight:700;letter-spacing:.04em;padding:2px 6px;border-radius:3px;background:#fff;color:#1c2330;border:1px solid rgba(0,0,0,.2)}
        .flag.public{background:#7b0d0d;color:#fff;border-color:#7b0d0d}
        .flag.shared{background:#8a4b00;color:#fff;border-color:#8a4b00}
        .flag.unknown{background:#fff;color:#5b6577}
        .flag.hot{background:#111;color:#ffd54f;border-color:#111}
        .legend{display:flex;flex-wrap:wrap;align-items:center;gap:14px;margin:0 0 12px;font-size:12px;color:var(--muted)}
        .legend .sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-3px;margin-right:4px;border:1px solid rgba(0,0,0,.1)}
        .legend .scale{display:inline-block;width:120px;height:10px;border-radius:3px;vertical-align:-1px;margin:0 4px}
        table.data{width:100%;border-collapse:collapse;font-size:13px}
        table.data th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;border-bottom:2px solid var(--line);padding:6px 8px;white-space:nowrap;background:#fafbfc}
        table.data td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
        table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums}
        table.data tbody tr:hover{background:#f7f9fc}
        table.data td.key{overflow-wrap:anywhere;max-width:460px}
        table.data td.name{min-width:175px}
        table.data th button.sort{all:unset;cursor:pointer}
        table.data th button.sort::after{content:" \\2195";color:#b8bfca}
        table.data th[aria-sort=ascending] button.sort::after{content:" \\2191";color:var(--ink)}
        table.data th[aria-sort=descending] button.sort::after{content:" \\2193";color:var(--ink)}
        .scroll{overflow-x:auto}
        .pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11.5px;font-weight:650;color:#fff;background:#7f8c8d}
        .pill.sev-high{background:var(--high)}.pill.sev-medium{background:var(--medium)}.pill.sev-low{background:var(--low);color:#3b2f00}
        .score{display:inline-block;min-width:34px;text-align:center;padding:1px 6px;border-radius:4px;font-weight:650}
        .types{margin:0;padding:0;list-style:none}
        .types li{margin:0 0 2px}
        details summary{cursor:pointer;color:var(--accent)}
        details ul{margin:4px 0 0;padding-left:18px}
        details li{margin:1px 0}
        .tools{margin:0 0 10px;display:flex;gap:12px;align-items:center}
        .tools input{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:5px;width:320px}
        .filter-count{color:var(--muted);font-size:12px}
        figure{margin:0}
        figure svg{display:block;max-width:100%;height:auto}
        figcaption{color:var(--muted);font-size:12px;margin-top:6px}
        .note{color:var(--muted);font-size:12.5px}
        .empty{color:var(--muted);font-style:italic}
        .delta-up{color:#b35900}.delta-down{color:#1e7a46}
        footer.foot{color:var(--muted);font-size:12px;padding:6px 32px 26px}
        """

    /// Sorting (click a column heading) and filtering (type in the box). The tables are
    /// complete and readable without it.
    static let script = """
        (function(){'use strict';
        function key(cell){var v=cell.getAttribute('data-sort');return v!==null?v:cell.textContent.trim().toLowerCase();}
        document.querySelectorAll('table.sortable').forEach(function(table){
        var heads=table.tHead.rows[0].cells;
        Array.prototype.forEach.call(heads,function(th,index){
        var button=document.createElement('button');button.type='button';button.className='sort';
        while(th.firstChild){button.appendChild(th.firstChild);}th.appendChild(button);
        button.addEventListener('click',function(){
        var numeric=th.getAttribute('data-type')==='num';
        var ascending=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(heads,function(other){other.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',ascending?'ascending':'descending');
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=key(a.cells[index]),y=key(b.cells[index]);
        var order=numeric?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y);return ascending?order:-order;});
        rows.forEach(function(row){body.appendChild(row);});});});});
        document.querySelectorAll('input.filter').forEach(function(input){
        var table=document.getElementById(input.getAttribute('data-table'));
        var count=document.getElementById(input.getAttribute('data-count'));
        if(!table){return;}input.closest('.tools').hidden=false;
        input.addEventListener('input',function(){
        var words=input.value.toLowerCase().split(/\\s+/).filter(Boolean);var rows=table.tBodies[0].rows;var shown=0;
        Array.prototype.forEach.call(rows,function(row){var text=row.textContent.toLowerCase();
        var match=words.every(function(w){return text.indexOf(w)>=0;});row.hidden=!match;if(match){shown++;}});
        count.textContent=words.length?shown+' of '+rows.length+' shown':'';});});
        })();
        """
}
