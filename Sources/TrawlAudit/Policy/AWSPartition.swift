/// AWS partitions, the second field of an ARN (`arn:aws-cn:s3:::bucket`). A bucket policy lives in
/// its bucket's partition and names the bucket in that partition's ARNs, so a policy in China,
/// GovCloud or an isolated region applies to its bucket exactly as one in `aws` does.
public enum AWSPartition {
    public static let all = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"]

    /// The partition a policy's own S3 ARNs (in Resource or NotResource) name, else `aws`
    /// (a policy of only `*` resources reads the same in every partition).
    public static func of(_ document: PolicyDocument) -> String {
        for statement in document.statements {
            for resource in (statement.resources ?? []) + (statement.notResources ?? []) {
                if let partition = partition(ofArn: resource), service(ofArn: resource) == "s3" { return partition }
            }
        }
        return "aws"
    }

    /// The partition of `arn:<partition>:...` when it is a known one.
    public static func partition(ofArn arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "arn" else { return nil }
        let partition = String(parts[1])
        return all.contains(partition) ? partition : nil
    }

    /// The service field of an ARN in a known partition (`cloudfront`, `s3`), else nil.
    public static func service(ofArn arn: String) -> String? {
        guard partition(ofArn: arn) != nil else { return nil }
        let parts = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return String(parts[2])
    }
}
