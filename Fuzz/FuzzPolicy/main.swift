import Foundation
import FuzzDriver
import TrawlAudit

/// Bucket policies: the JSON parser and the policy parser, the public-access analysis for a
/// bucket in the policy's partition, the evaluator for a few requests, and the CIDR union check
/// over every condition's values. Policies come from the buckets being audited: whatever they
/// hold must give a verdict, never a trap.
func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let document = try? PolicyDocument.parse(text) else { return }
    let partition = AWSPartition.of(document)
    precondition(AWSPartition.all.contains(partition), "unknown partition \(partition)")
    // The bucket the policy names first, else one it does not name.
    let named = document.statements.lazy.compactMap { $0.resources?.first ?? $0.notResources?.first }.first
    let bucket = named.flatMap(bucketName(ofArn:)) ?? "b"
    for owner in ["111122223333", nil] {
        let analysis = PolicyAnalysis.analyse(document, bucket: bucket, ownerAccount: owner)
        precondition(
            analysis.statements.count == document.statements.filter { $0.effect == .allow }.count,
            "an Allow not assessed")
        for statement in analysis.statements where statement.isPublic {
            precondition(
                statement.everyonePrincipal && statement.neutralisedBy == nil && statement.ignoredBecause == nil,
                "public yet pinned, ignored or not for everyone")
        }
    }
    let bucketArn = "arn:\(partition):s3:::\(bucket)"
    let principals: [RequestPrincipal] = [
        .anonymous, .iam(arn: "arn:\(partition):iam::111122223333:role/app"),
        .iam(arn: "arn:\(partition):sts::999988887777:assumed-role/app/session"), .service("cloudfront.amazonaws.com"),
    ]
    let contexts: [[String: [String]]] = [
        [:],
        ["aws:SourceIp": ["203.0.113.9"], "aws:SecureTransport": ["true"], "aws:username": ["alice"]],
        [
            "aws:SourceIp": ["2001:db8::1"], "aws:SourceVpce": ["vpce-1"], "aws:CurrentTime": ["2030-01-01T00:00:00Z"],
            "s3:x-amz-server-side-encryption": ["aws:kms"],
        ],
    ]
    for principal in principals {
        for (action, resource) in [
            ("s3:GetObject", bucketArn + "/k"), ("s3:ListBucket", bucketArn), ("s3:PutObject", bucketArn + "/a/b"),
        ] {
            for context in contexts {
                let decision = PolicyEvaluator.evaluate(
                    document, PolicyRequest(principal: principal, action: action, resource: resource, context: context))
                precondition(
                    decision.outcome == .implicitDeny || !decision.statements.isEmpty, "a decision without statements")
            }
        }
    }
    // The union check against the obvious cases: a single universal block covers its family.
    for statement in document.statements {
        for clause in statement.conditions {
            let blocks = clause.values.compactMap(CIDRBlock.init)
            let covered = CIDRBlock.unionCoversAnAddressFamily(blocks)
            if blocks.contains(where: \.isUniversal) { precondition(covered, "a /0 block does not cover its family") }
            for block in blocks {
                precondition(
                    !block.lastAddress.lexicographicallyPrecedes(block.firstAddress), "a block ends before it starts")
            }
        }
    }
}

/// `arn:<partition>:s3:::<bucket>[/key]` → the bucket (nil for wildcards and other ARNs).
func bucketName(ofArn arn: String) -> String? {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[2] == "s3" else { return nil }
    let name = parts[5].split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    return name.isEmpty || name.contains("*") || name.contains("?") ? nil : name
}

fuzzMain(fuzzOne)
