import Foundation
import GRDB
import TrawlReport

/// Which stored findings to list or archive. Also the form of a suppression rule (Macie's
/// suppression rules: a saved filter whose matching findings are archived as they arrive).
public struct FindingFilter: Sendable, Equatable, Codable {
    public var job: String?
    /// A run number of `job`.
    public var run: Int?
    public var bucket: String?
    /// A finding type (`SensitiveData:S3Object/Personal`) or its last part (`Personal`).
    public var type: String?
    /// Low, Medium or High (case-insensitive).
    public var severity: String?
    /// A managed or custom identifier ID the finding contains.
    public var identifier: String?
    /// Key prefix.
    public var keyPrefix: String?
    public var since: Date?
    /// Include archived findings (listing only).
    public var includeArchived = false

    public init() {}

    /// Whether the filter names anything at all (archiving everything needs `--all`).
    public var isEmpty: Bool {
        job == nil && run == nil && bucket == nil && type == nil && severity == nil && identifier == nil
            && keyPrefix == nil && since == nil
    }

    /// Whether it can be kept as a rule for later runs (a run number or a date cannot).
    public var isRule: Bool { run == nil && since == nil }

    /// The fields a finding is matched on, for rules applied while a run records it.
    public struct Candidate {
        public var job: String
        public var bucket: String
        public var key: String
        public var type: String
        public var severity: String
        public var identifiers: String
    }

    public func matches(_ finding: Candidate) -> Bool {
        if let job, job != finding.job { return false }
        if let bucket, bucket != finding.bucket { return false }
        if let type, !Self.typeMatches(type, finding.type) { return false }
        if let severity, severity.lowercased() != finding.severity.lowercased() { return false }
        if let identifier, !finding.identifiers.split(separator: ",").contains(where: { $0 == identifier }) {
            return false
        }
        if let keyPrefix, !finding.key.hasPrefix(keyPrefix) { return false }
        return true
    }

    static func typeMatches(_ wanted: String, _ type: String) -> Bool {
        type.lowercased() == wanted.lowercased() || type.lowercased().hasSuffix("/" + wanted.lowercased())
    }

    public var description: String {
        var parts: [String] = []
        if let job { parts.append("job=\(job)") }
        if let run { parts.append("run=\(run)") }
        if let bucket { parts.append("bucket=\(bucket)") }
        if let type { parts.append("type=\(type)") }
        if let severity { parts.append("severity=\(severity)") }
        if let identifier { parts.append("identifier=\(identifier)") }
        if let keyPrefix { parts.append("key-prefix=\(keyPrefix)") }
        if let since { parts.append("since=\(Date.ISO8601FormatStyle().format(since))") }
        return parts.isEmpty ? "all" : parts.joined(separator: " ")
    }
}

/// A stored finding with where it came from.
public struct StoredFindingRow: Sendable, FindingsPageRow {
    public var id: Int64
    public var job: String
    public var run: Int
    public var bucket: String
    public var key: String
    public var type: String
    public var severity: String
    public var identifiers: String
    public var createdAt: Date
    public var archived: Bool
    /// The Macie finding, as JSON text (never matched values).
    public var json: String
}

extension JobStore {
    func whereClause(_ filter: FindingFilter, db: Database) throws -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let job = filter.job {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM jobs WHERE name = ?", arguments: [job]) == true else {
                throw JobError.unknownJob(job)
            }
            clauses.append("jobs.name = ?")
            arguments += [job]
        }
        if let run = filter.run {
            clauses.append("runs.number = ?")
            arguments += [run]
        }
        if let bucket = filter.bucket {
            clauses.append("findings.bucket = ?")
            arguments += [bucket]
        }
        if let type = filter.type {
            // Literal comparisons only (no LIKE): `%` and `_` in the user's text are not wildcards.
            clauses.append(
                "(lower(findings.type) = lower(?) OR substr(lower(findings.type), -length(?) - 1) = '/' || lower(?))")
            arguments += [type, type, type]
        }
        if let severity = filter.severity {
            clauses.append("lower(findings.severity) = lower(?)")
            arguments += [severity]
        }
        if let identifier = filter.identifier {
            clauses.append("instr(',' || findings.identifiers || ',', ',' || ? || ',') > 0")
            arguments += [identifier]
        }
        if let prefix = filter.keyPrefix {
            clauses.append("substr(findings.key, 1, length(?)) = ?")
            arguments += [prefix, prefix]
        }
        if let since = filter.since {
            clauses.append("findings.createdAt >= ?")
            arguments += [since.seconds]
        }
        if !filter.includeArchived { clauses.append("findings.archived = 0") }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    static let findingsFrom =
        " FROM findings JOIN jobs ON jobs.id = findings.jobId JOIN runs ON runs.id = findings.runId"

    /// Stored findings matching `filter`, oldest first.
    public func findings(_ filter: FindingFilter) throws -> [StoredFindingRow] {
        try read { db in
            let (clause, arguments) = try whereClause(filter, db: db)
            let sql =
                "SELECT findings.*, jobs.name AS jobName, runs.number AS runNumber" + Self.findingsFrom + clause
                + " ORDER BY findings.createdAt, findings.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                StoredFindingRow(
                    id: row["id"], job: row["jobName"], run: row["runNumber"], bucket: row["bucket"], key: row["key"],
                    type: row["type"],
                    severity: row["severity"], identifiers: row["identifiers"],
                    createdAt: Date(seconds: row["createdAt"]),
                    archived: row["archived"], json: row["json"])
            }
        }
    }

    /// Archives the stored findings matching `filter`; with `saveRule`, also keeps the
    /// filter so findings of later runs that match it are archived as they are recorded.
    /// Returns the number of findings archived now.
    public func archive(_ filter: FindingFilter, saveRule: Bool, now: Date) throws -> Int {
        var filter = filter
        filter.includeArchived = false
        return try write { db in
            let (clause, arguments) = try whereClause(filter, db: db)
            let ids = try Int64.fetchAll(
                db, sql: "SELECT findings.id" + Self.findingsFrom + clause, arguments: arguments)
            for id in ids {
                try db.execute(
                    sql: "UPDATE findings SET archived = 1, archivedAt = ? WHERE id = ?", arguments: [now.seconds, id])
            }
            if saveRule {
                try db.execute(
                    sql: "INSERT INTO suppressionRules (createdAt, filter) VALUES (?, ?)",
                    arguments: [now.seconds, canonicalJSON(filter)])
            }
            return ids.count
        }
    }

    public func suppressionRules() throws -> [FindingFilter] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT filter FROM suppressionRules ORDER BY id").compactMap {
                try? JSONDecoder().decode(FindingFilter.self, from: Data($0.utf8))
            }
        }
    }
}
