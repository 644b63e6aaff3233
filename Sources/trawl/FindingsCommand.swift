import ArgumentParser
import Foundation
import TrawlCore
import TrawlJobs
import TrawlObjects
import TrawlReport

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List the findings stored by jobs, or archive (suppress) them.",
        subcommands: [FindingsList.self, FindingsArchive.self, FindingsRules.self],
        defaultSubcommand: FindingsList.self)
}

/// Filters shared by listing and archiving.
struct FindingFilterOptions: ParsableArguments {
    @Option(name: .customLong("job"), help: "Only this job's findings.")
    var job: String?

    @Option(name: .customLong("run"), help: "Only this run number (with --job).")
    var run: Int?

    @Option(name: .customLong("bucket"), help: "Only this bucket.")
    var bucket: String?

    @Option(
        name: .customLong("type"),
        help:
            "Finding type: SensitiveData:S3Object/Personal, or Personal, Financial, Credentials, CustomIdentifier, Multiple."
    )
    var type: String?

    @Option(name: .customLong("severity"), help: "Low, Medium or High.")
    var severity: String?

    @Option(name: .customLong("identifier"), help: "Findings containing this identifier ID (e.g. CREDIT_CARD_NUMBER).")
    var identifier: String?

    @Option(name: .customLong("key-prefix"), help: "Only objects whose key starts with this.")
    var keyPrefix: String?

    @Option(name: .customLong("since"), help: "Only findings recorded at or after this ISO-8601 date or time.")
    var since: ISODate?

    func filter() throws -> FindingFilter {
        if run != nil && job == nil { throw UsageError("--run needs --job (run numbers are per job)") }
        if let severity, !["low", "medium", "high"].contains(severity.lowercased()) {
            throw UsageError("--severity takes Low, Medium or High")
        }
        var filter = FindingFilter()
        filter.job = job
        filter.run = run
        filter.bucket = bucket
        filter.type = type
        filter.severity = severity
        filter.identifier = identifier
        filter.keyPrefix = keyPrefix
        filter.since = since?.date
        return filter
    }
}

struct FindingsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List stored findings (archived ones only with --archived).")

    @OptionGroup var filters: FindingFilterOptions
    @OptionGroup var stateOptions: StateOptions

    @Flag(name: .customLong("archived"), help: "Include archived (suppressed) findings.")
    var archived = false

    @Option(
        name: .customLong("format"),
        help: "table (default), json (Macie findings, JSON Lines), csv or html (a self-contained page).")
    var format: FindingsFormat = .table

    enum FindingsFormat: String, ExpressibleByArgument { case table, json, csv, html }

    func run() throws {
        try withJobErrors {
            var filter = try filters.filter()
            filter.includeArchived = archived
            let rows = try stateOptions.open().findings(filter)
            switch format {
            case .html:
                print(HTMLReport.findings(rows, filter: filter.description), terminator: "")
            case .json:
                for row in rows {
                    // The stored finding, with its archived flag as it is now.
                    guard var object = try JSONSerialization.jsonObject(with: Data(row.json.utf8)) as? [String: Any]
                    else { continue }
                    object["archived"] = row.archived
                    print(
                        String(
                            decoding: try JSONSerialization.data(
                                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
                    )
                }
            case .csv:
                print("job,run,bucket,key,type,severity,identifiers,createdAt,archived")
                for row in rows {
                    print(
                        [
                            row.job, "\(row.run)", row.bucket, row.key, row.type, row.severity, row.identifiers,
                            formatDate(row.createdAt), "\(row.archived)",
                        ]
                        .map(UntrustedText.csvCell).joined(separator: ","))
                }
            case .table:
                if rows.isEmpty {
                    print("no findings" + (filter.isEmpty ? "" : " match \(filter.description)"))
                    return 0
                }
                let table = rows.map { row in
                    [
                        row.severity, row.type.replacingOccurrences(of: "SensitiveData:S3Object/", with: ""), row.job,
                        "#\(row.run)",
                        row.bucket + "/" + row.key,
                        row.identifiers.replacingOccurrences(of: ",", with: ", ") + (row.archived ? " (archived)" : ""),
                    ]
                }
                print(
                    renderTable(header: ["SEVERITY", "TYPE", "JOB", "RUN", "OBJECT", "IDENTIFIERS"], rows: table),
                    terminator: "")
                print("\(rows.count) finding(s)")
            }
            return 0
        }
    }
}

struct FindingsArchive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive the findings matching a filter, and keep the filter as a suppression rule.",
        discussion: """
            Like Macie's suppression rules: matching findings are archived now, and findings of later \
            runs that match are recorded archived and not reported. A filter with --run or --since \
            archives once and is not kept as a rule. Archiving every finding needs --all.
            """)

    @OptionGroup var filters: FindingFilterOptions
    @OptionGroup var stateOptions: StateOptions

    @Flag(name: .customLong("all"), help: "Allow an empty filter (archive every finding).")
    var all = false

    @Flag(
        name: .customLong("no-rule"), help: "Archive the findings there are now, without keeping a rule for later runs."
    )
    var noRule = false

    func run() throws {
        try withJobErrors {
            let filter = try filters.filter()
            if filter.isEmpty && !all {
                throw UsageError(
                    "give a filter (--job, --bucket, --type, --severity, --identifier, --key-prefix, --run, --since), or --all"
                )
            }
            let saveRule = !noRule && filter.isRule
            let count = try stateOptions.open().archive(filter, saveRule: saveRule, now: Date())
            print("archived \(count) finding(s) matching \(filter.description)")
            if saveRule {
                print(
                    "later findings matching it are archived as they are recorded (trawl findings rules lists the rules)"
                )
            }
            return 0
        }
    }
}

struct FindingsRules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the suppression rules.")
    @OptionGroup var stateOptions: StateOptions
    func run() throws {
        try withJobErrors {
            let rules = try stateOptions.open().suppressionRules()
            if rules.isEmpty { print("no suppression rules") }
            for (index, rule) in rules.enumerated() { print("\(index + 1)  \(rule.description)") }
            return 0
        }
    }
}
