import Foundation
import Testing

@testable import TrawlAudit

/// Policies that slipped past the public-access rules: source-IP sets that add up to everyone,
/// and policies written in partitions other than `aws`.
@Suite struct SourceIpUnionTests {
    private func analysis(_ statements: String) throws -> PolicyAnalysis {
        let document = try PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[\(statements)]}")
        return PolicyAnalysis.analyse(document, bucket: "b", ownerAccount: "111122223333")
    }

    /// An anonymous GetObject allowed only from `ranges`.
    private func publicFrom(_ ranges: [String]) throws -> Bool {
        let values = ranges.map { "\"\($0)\"" }.joined(separator: ",")
        return try analysis(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":[\(values)]}}}
            """
        ).allowsPublicRead
    }

    /// Every /`length` IPv4 block, shuffled with a fixed generator so the order is not the address order.
    private func ipv4Pieces(_ length: Int) -> [String] {
        let step = 1 << (32 - length)
        var pieces = (0..<(1 << length)).map { index -> String in
            let start = UInt32(index * step)
            return "\(start >> 24).\((start >> 16) & 0xff).\((start >> 8) & 0xff).\(start & 0xff)/\(length)"
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in pieces.indices.reversed() where index > 0 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pieces.swapAt(index, Int(state >> 33) % (index + 1))
        }
        return pieces
    }

    @Test func halvesOfAnAddressFamilyArePublic() throws {
        #expect(try publicFrom(["0.0.0.0/1", "128.0.0.0/1"]))
        #expect(try publicFrom(["128.0.0.0/1", "0.0.0.0/1"]))
        #expect(try publicFrom(["::/1", "8000::/1"]))
        // Every IPv6 address but only some IPv4 ones: still everyone on IPv6.
        #expect(try publicFrom(["203.0.113.0/24", "::/1", "8000::/1"]))
        // One half only is a (large) fixed network.
        #expect(try !publicFrom(["0.0.0.0/1"]))
        #expect(try !publicFrom(["0.0.0.0/1", "8000::/1"]))
    }

    @Test func manyPiecesInAnyOrderArePublic() throws {
        let pieces = ipv4Pieces(6)
        #expect(pieces.count == 64)
        #expect(try publicFrom(pieces))
        // Any one piece missing leaves a gap: not everyone.
        for missing in [0, 17, 63] {
            var partial = pieces
            partial.remove(at: missing)
            #expect(try !publicFrom(partial), "without \(pieces[missing])")
        }
    }

    @Test func overlapsHostBitsAndSingleAddresses() throws {
        // Overlapping and nested blocks, host bits set in the written address (S3 masks them).
        #expect(
            try publicFrom(["0.0.0.0/2", "10.0.0.0/8", "32.0.0.0/3", "64.1.2.3/2", "127.255.255.255", "128.0.0.0/1"]))
        // A ladder of halves down to the last address: covered only once 255.255.255.255 is added.
        let ladder = (1...32).map { length -> String in
            let start = UInt32.max << (33 - length)
            let base = length == 1 ? 0 : start
            return "\(base >> 24).\((base >> 16) & 0xff).\((base >> 8) & 0xff).\(base & 0xff)/\(length)"
        }
        #expect(try !publicFrom(ladder))
        #expect(try publicFrom(ladder + ["255.255.255.255"]))
        // A gap at the very bottom.
        #expect(
            try !publicFrom([
                "0.0.0.1", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28", "0.0.0.32/27",
                "0.0.0.64/26", "0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22", "0.0.8.0/21",
                "0.0.16.0/20", "0.0.32.0/19", "0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16", "0.2.0.0/15",
                "0.4.0.0/14", "0.8.0.0/13", "0.16.0.0/12", "0.32.0.0/11", "0.64.0.0/10", "0.128.0.0/9",
                "1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5", "16.0.0.0/4", "32.0.0.0/3",
                "64.0.0.0/2", "128.0.0.0/1",
            ]))
    }

    @Test func aDenyUnlessFromEveryoneDoesNotNeutralise() throws {
        let everyone = try analysis(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"NotIpAddress":{"aws:SourceIp":["0.0.0.0/1","128.0.0.0/1"]}}}
            """)
        #expect(everyone.allowsPublicRead)
        let office = try analysis(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}
            """)
        #expect(!office.allowsPublicRead)
    }

    @Test func blockBounds() throws {
        let block = try #require(CIDRBlock("10.1.2.3/12"))
        #expect(block.firstAddress == [10, 0, 0, 0])
        #expect(block.lastAddress == [10, 15, 255, 255])
        let v6 = try #require(CIDRBlock("2001:db8::1/33"))
        #expect(v6.firstAddress == [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12))
        #expect(v6.lastAddress == [0x20, 0x01, 0x0d, 0xb8, 0x7f] + [UInt8](repeating: 0xff, count: 11))
        #expect(CIDRBlock.unionCoversAnAddressFamily([try #require(CIDRBlock("0.0.0.0/0"))]))
        #expect(!CIDRBlock.unionCoversAnAddressFamily([]))
    }
}

@Suite struct PartitionTests {
    /// A policy for bucket `b` written in `partition`.
    private func analysis(_ partition: String, _ statements: String) throws -> PolicyAnalysis {
        let text = statements.replacingOccurrences(of: "arn:P:", with: "arn:\(partition):")
        let document = try PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[\(text)]}")
        return PolicyAnalysis.analyse(document, bucket: "b", ownerAccount: "111122223333")
    }

    @Test(arguments: AWSPartition.all)
    func policiesApplyInEveryPartition(partition: String) throws {
        #expect(
            try analysis(
                partition,
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::b/*"}
                """
            ).allowsPublicRead)
        #expect(
            try analysis(
                partition,
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":["arn:P:s3:::b","arn:P:s3:::b/*"]}
                """
            ).allowsPublicWrite)
        // Another bucket in the same partition is still another bucket.
        let other = try analysis(
            partition,
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::other/*"}
            """)
        #expect(!other.allowsPublicRead)
        #expect(other.statements[0].ignoredBecause != nil)
        // NotResource excluding the bucket and its objects, in the policy's partition.
        #expect(
            try !analysis(
                partition,
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":["arn:P:s3:::b","arn:P:s3:::b/*"]}
                """
            ).allowsPublicRead)
        #expect(
            try analysis(
                partition,
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:P:s3:::b/secret/*"}
                """
            ).allowsPublicRead)
        // A Deny-unless-endpoint written in the partition neutralises the public Allow.
        let pinned = try analysis(
            partition,
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::b/*"},
            {"Sid":"OnlyEndpoint","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:P:s3:::b","arn:P:s3:::b/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}
            """)
        #expect(!pinned.allowsPublicRead)
        #expect(pinned.statements[0].neutralisedBy?.contains("OnlyEndpoint") == true)
        // The encryption requirement, and a CloudFront OAC pinned by its distribution ARN.
        #expect(
            try analysis(
                partition,
                """
                {"Sid":"RequireSSE","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:P:s3:::b/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}
                """
            ).encryptionRequiredBy == "Statement[0] (Sid \"RequireSSE\")")
        let cloudFront = try analysis(
            partition,
            """
            {"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:P:s3:::b/*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::b/*","Condition":{"StringEquals":{"aws:SourceArn":"arn:P:cloudfront::123456789012:distribution/E1"}}}
            """)
        #expect(!cloudFront.allowsPublicRead)
        #expect(
            cloudFront.statements[1].grantees == [
                .cloudFrontOAC("arn:\(partition):cloudfront::123456789012:distribution/E1")
            ])
    }

    @Test func unknownPartitionsAndWildcards() throws {
        // Not a partition: the statement does not name this bucket.
        #expect(
            try !analysis(
                "aws-mars",
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::b/*"}
                """
            ).allowsPublicRead)
        // A wildcard partition names the bucket wherever it is.
        #expect(
            try analysis(
                "*",
                """
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:P:s3:::b/*"}
                """
            ).allowsPublicRead)
        #expect(AWSPartition.partition(ofArn: "arn:aws-iso-f:s3:::b") == "aws-iso-f")
        #expect(AWSPartition.partition(ofArn: "arn:aws-mars:s3:::b") == nil)
        #expect(AWSPartition.service(ofArn: "arn:aws-us-gov:cloudfront::1:distribution/E") == "cloudfront")
        #expect(AWSPartition.service(ofArn: "arn") == nil)
    }
}
