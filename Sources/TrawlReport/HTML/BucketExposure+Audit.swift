import Foundation
import TrawlAudit

extension BucketExposure {
    /// The exposure of one audited bucket: Macie's `effectivePermission`, `sharedAccess`,
    /// default encryption and external replication, with the bucket's policy findings.
    public init(_ bucket: BucketMetadata, findings: [PolicyFinding]) {
        self.init(
            effectivePermission: bucket.publicAccess.effectivePermission.rawValue,
            sharedAccess: bucket.sharedAccess.rawValue,
            encryption: bucket.serverSideEncryption.type.rawValue,
            replicatedExternally: bucket.replicationDetails.replicatedExternally ?? false,
            findings:
                findings
                .sorted { ($0.severity.score, $1.type.rawValue) > ($1.severity.score, $0.type.rawValue) }
                .map {
                    PolicyFindingSummary(type: $0.type.rawValue, title: $0.title, severity: $0.severity.description)
                })
    }

    /// Bucket name → exposure, for every bucket of an audit.
    public static func byBucket(_ audit: AuditReport) -> [String: BucketExposure] {
        var table: [String: BucketExposure] = [:]
        for bucket in audit.buckets {
            table[bucket.bucketName] = BucketExposure(bucket, findings: audit.findings(for: bucket.bucketName))
        }
        return table
    }
}
