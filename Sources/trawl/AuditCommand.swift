import ArgumentParser
import Foundation
import TrawlAudit
import TrawlReport

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract:
            "Flag buckets that are public, shared with other accounts, unencrypted or replicated outside the organization.",
        discussion: """
            SOURCE is a directory of AWS CLI JSON outputs (one folder per bucket and `_account/`; \
            scripts/collect-bucket-config.sh makes it) or an AWS Config snapshot / configuration item \
            file. Every verdict comes with its evidence: the statement, grant or setting that made it. \
            A missing or unreadable file makes that aspect UNKNOWN, never "safe". See docs/audit.md.

            Exit status: 0 no High finding, 1 at least one High finding, 2 the source could not be \
            read, 64 bad usage.
            """)

    @Argument(
        help:
            "AWS CLI output directories or AWS Config files, or one s3://BUCKET (s3:// for every bucket) to fetch the configuration live."
    )
    var sources: [String]

    @OptionGroup var s3: S3Options

    @Option(name: .customLong("region"), help: "S3 region for s3:// sources (default as the AWS CLI resolves it).")
    var region: String?

    @Option(
        name: .customLong("organization-accounts"),
        help:
            "For s3:// sources: a saved `aws organizations list-accounts` answer (which accounts are inside the organization)."
    )
    var organizationAccounts: String?

    @Option(
        name: .customLong("format"), help: "table (default), json (JSON Lines), csv, or html (a self-contained report)."
    )
    var format: AuditFormat = .table

    enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, html
    }

    @Option(
        name: [.customShort("o"), .customLong("output")], help: "Write the report here instead of standard output.")
    var output: String?

    @Flag(
        name: .customLong("sse-s3-is-disabled"),
        help:
            "Report buckets whose default encryption is only SSE-S3 as S3BucketEncryptionDisabled (Macie's post-2023 meaning)."
    )
    var sseS3IsDisabled = false

    func run() throws {
        let input: AuditInput
        let live = sources.filter { $0.hasPrefix("s3://") }
        if !live.isEmpty {
            guard live.count == 1, sources.count == 1 else {
                throw fail("audit one s3:// source at a time, without configuration files beside it")
            }
            do {
                input = try liveAuditInput(
                    source: live[0], s3: s3, region: region, organizationAccountsFile: organizationAccounts)
            } catch let error as UsageError {
                throw fail(error.description, code: ExitStatus.errors)
            }
        } else {
            do {
                input = try AuditSource.load(paths: sources)
            } catch {
                throw fail("\(error)", code: ExitStatus.errors)
            }
        }
        let report = Auditor.audit(input, options: AuditOptions(sseS3CountsAsEncryptionDisabled: sseS3IsDisabled))
        let text: String
        if format == .html {
            text = HTMLReport.audit(report, source: sources.joined(separator: ", "))
        } else {
            text = AuditRenderer.render(report, format: AuditRenderer.Format(rawValue: format.rawValue)!)
        }
        if let output, output != "-" {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw fail("cannot write \(output): \(error.localizedDescription)", code: ExitStatus.errors)
            }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
        for warning in report.warnings { warn(warning) }
        if report.hasHighFinding { throw ExitCode(ExitStatus.findings) }
    }
}
