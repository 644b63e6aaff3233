import ArgumentParser
import Foundation
import TrawlAudit
import TrawlCore
import TrawlObjects
import TrawlS3

/// Where S3 is and who we are there: the AWS CLI's own options, resolved the way it does.
struct S3Options: ParsableArguments {
    @Option(
        name: .customLong("endpoint-url"),
        help:
            "An S3-compatible endpoint (MinIO, Ceph, R2, moto); default AWS, or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL."
    )
    var endpointURL: String?

    @Option(
        name: .customLong("profile"),
        help: "A profile in ~/.aws/credentials or ~/.aws/config (default AWS_PROFILE, else default).")
    var profile: String?

    @Option(
        name: .customLong("addressing"),
        help: "Bucket addressing: auto (virtual-hosted on AWS, path-style elsewhere), path or virtual.")
    var addressing: String = "auto"

    @Option(
        name: .customLong("s3-concurrency"),
        help: "S3 objects read ahead of the workers, in flight at once (default 16).")
    var concurrency: Int = 16

    @Option(
        name: .customLong("s3-range-size"),
        help: "Bytes per ranged GET (K/M suffixes; default 8M). A worker holds at most two.")
    var rangeSize = ByteSize(bytes: 8 << 20)

    var reading: S3Reading {
        get throws {
            var reading = S3Reading()
            guard concurrency >= 1 else { throw UsageError("--s3-concurrency takes 1 or more") }
            reading.concurrency = concurrency
            guard rangeSize.bytes >= 1024, rangeSize.bytes <= 5 << 30 else {
                throw UsageError("--s3-range-size takes 1K to 5G")
            }
            reading.rangeSize = Int(rangeSize.bytes)
            return reading
        }
    }

    /// Opens SOURCE arguments: local trees and inventories in the core, `s3://` here.
    func storeOpener(region: String?) -> StoreOpener {
        let options = self
        return StoreOpener(remote: [
            "s3://": { url in
                do {
                    return try S3ObjectStore(
                        url: url, client: try options.client(region: region), reading: try options.reading)
                } catch let error as UsageError {
                    throw SourceError(error.description)
                }
            }
        ])
    }

    func client(region: String?) throws -> S3Client {
        guard let style = AddressingStyle(rawValue: addressing) else {
            throw UsageError("--addressing takes auto, path or virtual")
        }
        do {
            let configuration = try S3Configuration.resolve(
                profile: profile, region: region, endpointURL: endpointURL, addressing: style)
            return S3Client(configuration: configuration, maxConnections: concurrency)
        } catch {
            throw UsageError(error.description)
        }
    }
}

/// `trawl audit s3://bucket` and `trawl audit s3://`: the configuration fetched live (TrawlS3),
/// read by the audit layer as it reads files, for the same `Auditor`. `organizationAccountsFile` is
/// a saved `aws organizations list-accounts` answer (S3 cannot tell which accounts are the
/// organization's).
func liveAuditInput(source: String, s3: S3Options, region: String?, organizationAccountsFile: String? = nil) throws
    -> AuditInput
{
    let client = try s3.client(region: region)
    var organization: Set<String>?
    if let file = organizationAccountsFile {
        guard let data = FileManager.default.contents(atPath: file), let json = try? JSONValue.parse(data),
            let accounts = json["Accounts"]?.arrayValue
        else { throw UsageError("\(file) is not the JSON of `aws organizations list-accounts`") }
        organization = Set(accounts.compactMap { $0["Id"]?.stringValue })
    }
    do {
        let snapshot = try S3ConfigurationFetcher.fetch(bucketURL: source, client: client)
        // A bucket the user named that does not exist is an error, not a row of UNKNOWN verdicts.
        if let location = try? S3Location.parse(source), let named = location.bucket,
            case .failed(let reason)? = snapshot.buckets.first?.answers["get-bucket-location"],
            reason.contains("NoSuchBucket")
        {
            throw UsageError("cannot audit \(source): bucket \(named) does not exist")
        }
        return LiveInputBuilder.input(
            callerIdentity: snapshot.callerIdentity, accountBlockPublicAccess: snapshot.accountBlockPublicAccess,
            buckets: snapshot.buckets.map { .init(name: $0.name, createdAt: $0.createdAt, answers: $0.answers) },
            organizationAccounts: organization, warnings: snapshot.warnings)
    } catch let error as S3ConfigurationError {
        throw UsageError(error.description)
    } catch let error as S3Error {
        throw UsageError("cannot audit \(source): \(error)")
    }
}
