import Foundation
import TrawlAudit
import TrawlCore

extension HTMLReport {
    /// The report of a bucket audit (`trawl audit SOURCE --format html`): who can reach each
    /// bucket, with the policy findings and the evidence behind every verdict.
    ///
    /// - Parameters:
    ///   - source: the audit source as the user named it (shown in the header).
    ///   - sensitivity: bucket → score from an earlier scan, when known, so the map can show
    ///     "sensitive and exposed"; buckets without one are shown as not yet analysed.
    public static func audit(
        _ audit: AuditReport, source: String, generatedAt: Date = Date(), title: String = "trawl audit report",
        sensitivity: [String: SensitivityScore] = [:]
    ) -> String {
        let h = HTMLPage.h
        let exposures = BucketExposure.byBucket(audit)
        var buckets = audit.buckets.map { metadata -> BucketReport in
            var bucket = BucketReport(name: metadata.bucketName)
            bucket.exposure = exposures[metadata.bucketName]
            bucket.score = sensitivity[metadata.bucketName] ?? .notAnalysed
            if let count = metadata.objectCount { bucket.objectsInScope = Int(count) }
            return bucket
        }
        buckets.sort { a, b in
            let ra = exposureRank(a.exposure)
            let rb = exposureRank(b.exposure)
            return (a.score.value, ra, b.name) > (b.score.value, rb, a.name)
        }

        let publicCount = audit.buckets.filter { $0.publicAccess.effectivePermission == .public }.count
        let sharedCount = audit.buckets.filter {
            $0.sharedAccess == .external || ($0.replicationDetails.replicatedExternally ?? false)
        }.count
        let unencrypted = audit.buckets.filter { $0.serverSideEncryption.type == .none }.count
        let unknown = audit.buckets.filter { $0.publicAccess.effectivePermission == .unknown || $0.errorCode != nil }
            .count
        let bySeverity = Dictionary(grouping: audit.findings, by: \.severity.description).mapValues(\.count)

        var body = """
            <header class="top"><div class="brand">trawl</div><h1>\(h(title))</h1><p class="meta">Source <code>\(h(source))</code> · \
            \(h(HTMLPage.timestamp(generatedAt)))</p></header>
            <nav class="toc"><a href="#summary">Summary</a><a href="#map">Bucket map</a><a href="#charts">Findings</a>\
            <a href="#buckets">Buckets</a><a href="#findings">Policy findings</a></nav>
            <main>
            """
        var cards = HTMLPage.card("buckets", HTMLPage.count(audit.buckets.count))
        cards += HTMLPage.card("public", HTMLPage.count(publicCount), tone: publicCount > 0 ? "alert" : "ok")
        cards += HTMLPage.card("shared externally", HTMLPage.count(sharedCount), tone: sharedCount > 0 ? "warn" : "ok")
        cards += HTMLPage.card(
            "no default encryption", HTMLPage.count(unencrypted), tone: unencrypted > 0 ? "warn" : "ok")
        cards += HTMLPage.card(
            "not fully known", HTMLPage.count(unknown), note: "unreadable configuration",
            tone: unknown > 0 ? "warn" : "")
        cards += HTMLPage.card(
            "policy findings", HTMLPage.count(audit.findings.count), tone: audit.findings.isEmpty ? "ok" : "alert")
        cards += HTMLPage.card(
            "High", HTMLPage.count(bySeverity["High"] ?? 0), tone: (bySeverity["High"] ?? 0) > 0 ? "alert" : "")
        cards += HTMLPage.card(
            "Medium", HTMLPage.count(bySeverity["Medium"] ?? 0), tone: (bySeverity["Medium"] ?? 0) > 0 ? "warn" : "")
        cards += HTMLPage.card("Low", HTMLPage.count(bySeverity["Low"] ?? 0))
        body +=
            "<section id=\"summary\"><h2>Summary</h2><p class=\"lead\">Bucket access, sharing and encryption, evaluated offline from the saved configuration.</p><div class=\"cards\">\(cards)</div>"
        for warning in audit.warnings { body += "<p class=\"note\">Warning: \(h(warning))</p>" }
        body += "</section>"

        body += mapSection(buckets, exposureKnown: true)

        let byType = Dictionary(grouping: audit.findings, by: \.type).map { type, findings in
            SVGChart.Bar(
                label: type.rawValue.replacingOccurrences(of: "Policy:IAMUser/", with: ""), value: findings.count,
                color: HTMLPage.severityColor(label: type.severity.description),
                note: "bucket\(findings.count == 1 ? "" : "s")")
        }
        .sorted { ($0.value, $1.label) > ($1.value, $0.label) }
        let permissions = [
            SVGChart.Bar(label: "PUBLIC", value: publicCount, color: "#7b0d0d", note: "buckets"),
            SVGChart.Bar(
                label: "NOT_PUBLIC",
                value: audit.buckets.filter { $0.publicAccess.effectivePermission == .notPublic }.count,
                color: "#2e8b57", note: "buckets"),
            SVGChart.Bar(
                label: "UNKNOWN", value: audit.buckets.filter { $0.publicAccess.effectivePermission == .unknown }.count,
                color: "#8395a7", note: "buckets"),
        ]
        body += "<div class=\"grid2 row\" id=\"charts\">"
        body +=
            "<section><h2>Effective permission</h2><p class=\"lead\">Macie's <code>effectivePermission</code> per bucket.</p><figure>"
        body +=
            SVGChart.bars(permissions, title: "Buckets by effective permission", width: 460, labelWidth: 100)
            + "</figure></section>"
        body +=
            "<section><h2>Policy findings by type</h2><p class=\"lead\">Coloured by Macie's severity for the type.</p><figure>"
        body +=
            SVGChart.bars(byType, title: "Policy findings by type", width: 640, labelWidth: 260)
            + "</figure></section></div>"

        body += auditBucketsSection(audit)
        body += auditFindingsSection(audit)
        body += "</main>"
        return HTMLPage.document(title: title, body: body)
    }

    static func exposureRank(_ exposure: BucketExposure?) -> Int {
        guard let exposure else { return 0 }
        return exposure.isPublic
            ? 3 : exposure.isSharedExternally ? 2 : exposure.effectivePermission == "UNKNOWN" ? 1 : 0
    }

    static func auditBucketsSection(_ audit: AuditReport) -> String {
        let h = HTMLPage.h
        var out = """
            <section id="buckets"><h2>Buckets</h2><p class="lead">Macie's bucket inventory fields; open a row's evidence to see \
            the statement, grant or setting behind each verdict.</p>\(HTMLPage.filter(table: "audit-buckets-table", placeholder: "bucket, PUBLIC, EXTERNAL, NONE…"))
            <div class="scroll"><table class="data sortable" id="audit-buckets-table"><thead><tr><th>Bucket</th><th>Access</th>\
            <th>Shared</th><th>Encryption</th><th>Unencrypted uploads</th><th>Replication</th><th>Versioning</th>\
            <th class="num" data-type="num">Objects</th><th class="num" data-type="num">Findings</th><th>Evidence</th></tr></thead><tbody>
            """
        for (index, bucket) in audit.buckets.enumerated() {
            let findings = audit.findings(for: bucket.bucketName)
            let permission = bucket.publicAccess.effectivePermission
            let access = permission == .public ? "<span class=\"flag public\">PUBLIC</span>" : h(permission.rawValue)
            let shared =
                bucket.sharedAccess == .external
                ? "<span class=\"flag shared\">EXTERNAL</span>" : h(bucket.sharedAccess.rawValue)
            var replication = "none"
            if bucket.replicationDetails.replicated == true {
                replication =
                    (bucket.replicationDetails.replicatedExternally == true ? "external: " : "to: ")
                    + bucket.replicationDetails.replicationAccounts.joined(separator: ", ")
            } else if bucket.replicationDetails.replicated == nil {
                replication = "unknown"
            }
            let versioning = bucket.versioning.map { $0 ? "enabled" : "off" } ?? "unknown"
            var evidence =
                "<details><summary>\(bucket.evidence.count) item\(bucket.evidence.count == 1 ? "" : "s")</summary><ul>"
            for item in bucket.evidence {
                evidence += "<li><span class=\"mono\">\(h(item.aspect))</span> \(h(item.verdict))"
                if let location = item.location { evidence += " <span class=\"mono\">[\(h(location))]</span>" }
                evidence += ": \(h(item.detail))</li>"
            }
            if let error = bucket.errorCode {
                evidence += "<li><strong>\(h(error))</strong>: \(h(bucket.errorMessage ?? ""))</li>"
            }
            evidence += "</ul></details>"
            out +=
                "<tr id=\"audit-bucket-\(index)\"><td class=\"key\">\(h(bucket.bucketName))</td><td>\(access)</td><td>\(shared)</td>"
            out +=
                "<td class=\"mono\">\(h(bucket.serverSideEncryption.type.rawValue))</td><td>\(h(bucket.allowsUnencryptedObjectUploads.rawValue))</td>"
            out += "<td>\(h(replication))</td><td>\(h(versioning))</td>"
            out += bucket.objectCount.map { numeric(Int($0)) } ?? "<td class=\"num\" data-sort=\"-1\">–</td>"
            out += numeric(findings.count) + "<td>\(evidence)</td></tr>"
        }
        return out + "</tbody></table></div></section>"
    }

    static func auditFindingsSection(_ audit: AuditReport) -> String {
        let h = HTMLPage.h
        var out = "<section id=\"findings\"><h2>Policy findings</h2>"
        guard !audit.findings.isEmpty else {
            return out + "<p class=\"empty\">No policy findings.</p></section>"
        }
        out += "<p class=\"lead\">Macie's policy finding types, reporting the current state of each bucket.</p>"
        out += HTMLPage.filter(table: "policy-findings-table", placeholder: "bucket, type, High…")
        out += """
            <div class="scroll"><table class="data sortable" id="policy-findings-table"><thead><tr><th data-type="num">Severity</th>\
            <th>Bucket</th><th>Type</th><th>Title</th><th>Evidence</th></tr></thead><tbody>
            """
        let sorted = audit.findings.sorted {
            ($0.severity.score, $1.resourcesAffected.s3Bucket.name, $1.type.rawValue)
                > ($1.severity.score, $0.resourcesAffected.s3Bucket.name, $0.type.rawValue)
        }
        for finding in sorted {
            var evidence = "<ul class=\"types\">"
            for item in finding.evidence {
                evidence +=
                    "<li>\(h(item.verdict))\(item.location.map { " <span class=\"mono\">[\(h($0))]</span>" } ?? ""): \(h(item.detail))</li>"
            }
            evidence += "</ul>"
            out +=
                "<tr><td data-sort=\"\(finding.severity.score)\">\(HTMLPage.severityPill(finding.severity.description))</td>"
            out += "<td class=\"key\">\(h(finding.resourcesAffected.s3Bucket.name))</td>"
            out +=
                "<td class=\"mono\">\(h(finding.type.rawValue.replacingOccurrences(of: "Policy:IAMUser/", with: "")))</td>"
            out += "<td>\(h(finding.title))</td><td>\(evidence)</td></tr>"
        }
        return out + "</tbody></table></div></section>"
    }
}
