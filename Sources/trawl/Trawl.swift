import ArgumentParser
import Foundation

@main
struct Trawl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Find sensitive data in object storage and flag exposed buckets — Amazon Macie's job, offline.",
        discussion: """
            SOURCE is a directory whose direct subdirectories are buckets (files below them are \
            objects keyed by their relative path), a single bucket with --bucket NAME, or \
            s3://BUCKET[/PREFIX] (s3:// for every bucket the credentials list) with --endpoint-url, \
            --region and --profile resolved as the AWS CLI does (see docs/s3.md).

            Exit status: 0 nothing found, 1 findings, 2 errors (some objects could not be read), \
            3 scan not confirmed (pass --yes, --max-cost or --max-bytes), 64 bad usage.
            """,
        version: "0.1.0",
        subcommands: [EstimateCommand.self, ScanCommand.self, PatternsCommand.self])
}

/// Exit codes (ripgrep's contract plus the cost gate).
enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let errors: Int32 = 2
    static let notConfirmed: Int32 = 3
    static let usage: Int32 = 64
}

/// A usage error with a clear message; exits 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

func fail(_ message: String, code: Int32 = ExitStatus.usage) -> ExitCode {
    FileHandle.standardError.write(Data(("trawl: " + message + "\n").utf8))
    return ExitCode(code)
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data(("trawl: " + message + "\n").utf8))
}
