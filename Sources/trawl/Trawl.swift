import ArgumentParser
import Foundation
import TrawlAudit
import TrawlCore
import TrawlDetect
import TrawlJobs
import TrawlObjects

@main
struct Trawl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Find sensitive data in object storage and flag exposed buckets — Amazon Macie's job, offline.",
        discussion: """
            SOURCE is a directory whose direct subdirectories are buckets (files below them are \
            objects keyed by their relative path), a single bucket with --bucket NAME, \
            s3://BUCKET[/PREFIX] (s3:// for every bucket the credentials list) with --endpoint-url, \
            --region and --profile resolved as the AWS CLI does (see docs/s3.md), or (for estimate) \
            an S3 Inventory manifest.json.

            Exit status: 0 nothing found, 1 findings, 2 errors (some objects could not be read), \
            3 scan not confirmed (pass --yes, --max-cost or --max-bytes), 4 nothing in scope (the source \
            or a filter selected no object), 64 bad usage.
            """,
        version: "0.1.0",
        subcommands: [
            EstimateCommand.self, ScanCommand.self, AuditCommand.self, PatternsCommand.self, JobCommand.self,
            DaemonCommand.self, FindingsCommand.self, ReportCommand.self,
        ])

    /// What trawl writes (the state store, findings, results, reports, bucket records) says
    /// where sensitive data is, so it is private to the user whatever their umask: files
    /// 0600, directories 0700.
    static func main() {
        umask(0o077)
        main(nil)
    }
}

/// Exit codes (ripgrep's contract plus the cost gate).
enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let errors: Int32 = 2
    static let notConfirmed: Int32 = 3
    /// The source or the scope selected no object at all (a typo must not read as "clean").
    static let nothingInScope: Int32 = 4
    static let usage: Int32 = 64
}

/// A usage error with a clear message; exits 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Runs a command's body and turns the errors a user can act on (a bad flag, an unknown
/// identifier, an invalid regex, an unusable source) into their message and exit status 64.
/// The body returns the exit status.
func withUsageErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        guard let message = usageMessage(error) else { throw error }
        throw fail(message)
    }
    if status != 0 { throw ExitCode(status) }
}

/// The message of an error that means bad usage (exit 64), or nil for any other error.
func usageMessage(_ error: any Error) -> String? {
    switch error {
    case let error as UsageError: error.description
    case let error as CatalogError: error.description
    case let error as SourceError: error.description
    case let error as AuditSourceError: error.description
    case let error as ScheduleError: error.description
    default: nil
    }
}

func fail(_ message: String, code: Int32 = ExitStatus.usage) -> ExitCode {
    FileHandle.standardError.write(Data(("trawl: " + message + "\n").utf8))
    return ExitCode(code)
}

/// A warning on standard error; it often names an object, so control characters are escaped.
func warn(_ message: String) {
    FileHandle.standardError.write(Data(("trawl: " + UntrustedText.forTerminal(message) + "\n").utf8))
}
