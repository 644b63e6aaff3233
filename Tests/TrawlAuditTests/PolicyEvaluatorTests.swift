import Foundation
import Testing

@testable import TrawlAudit

private func policy(_ statements: String) throws -> PolicyDocument {
    try PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[\(statements)]}")
}

private func analyse(_ statements: String, bucket: String = "b") throws -> PolicyAnalysis {
    PolicyAnalysis.analyse(try policy(statements), bucket: bucket, ownerAccount: "111122223333")
}

private let anonymousGet = PolicyRequest(principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/k")

@Suite struct PolicyParsingTests {
    @Test(arguments: [
        ("not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ("{}", "no Statement"),
        ("{\"Statement\": 3}", "neither an object nor a list"),
        ("{\"Statement\": [{\"Principal\":\"*\",\"Action\":\"s3:*\"}]}", "has no Effect"),
        ("{\"Statement\": [{\"Effect\":\"Permit\",\"Principal\":\"*\",\"Action\":\"s3:*\"}]}", "Effect \"Permit\""),
        ("{\"Statement\": [{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}", "has no Principal"),
        ("{\"Statement\": [{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}", "exactly one of Action and NotAction"),
        ("{\"Statement\": [{\"Effect\":\"Allow\",\"Principal\":\"me\",\"Action\":\"s3:*\"}]}", "only \"*\" is allowed"),
        (
            "{\"Statement\": [{\"Effect\":\"Allow\",\"Principal\":{\"Robot\":\"x\"},\"Action\":\"s3:*\"}]}",
            "unknown principal type"
        ),
        (
            "{\"Statement\": [{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Condition\":{\"StringSorta\":{\"k\":\"v\"}}}]}",
            "unknown operator"
        ),
        (
            "{\"Statement\": [{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Actoin\":\"x\"}]}",
            "unknown element"
        ),
    ])
    func malformedPoliciesAreRejectedWithReason(text: String, reason: String) {
        #expect(throws: PolicyError.self) { try PolicyDocument.parse(text) }
        do {
            _ = try PolicyDocument.parse(text)
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func singleStatementObjectAndScalars() throws {
        let document = try PolicyDocument.parse(
            "{\"Statement\":{\"Sid\":\"One\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":123456789012},\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}"
        )
        #expect(document.statements.count == 1)
        #expect(document.statements[0].label == "Statement[0] (Sid \"One\")")
        #expect(document.statements[0].principal?.entries == [.init(type: "AWS", value: "123456789012")])
    }
}

@Suite struct PolicyEvaluationTests {
    @Test func principalForms() throws {
        let role = RequestPrincipal.iam(arn: "arn:aws:iam::123456789012:role/app")
        let session = RequestPrincipal.iam(arn: "arn:aws:sts::123456789012:assumed-role/app/s1")
        let other = RequestPrincipal.iam(arn: "arn:aws:iam::999999999999:user/x")
        func allowed(_ principal: String, _ who: RequestPrincipal) throws -> Bool {
            let document = try policy(
                "{\"Effect\":\"Allow\",\"Principal\":\(principal),\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"
            )
            return PolicyEvaluator.evaluate(
                document, PolicyRequest(principal: who, action: "s3:GetObject", resource: "arn:aws:s3:::b/k")
            ).outcome == .allowed
        }
        #expect(try allowed("\"*\"", .anonymous))
        #expect(try allowed("{\"AWS\":\"*\"}", other))
        #expect(try allowed("{\"AWS\":\"123456789012\"}", role))
        #expect(try allowed("{\"AWS\":\"arn:aws:iam::123456789012:root\"}", session))
        #expect(try !allowed("{\"AWS\":\"arn:aws:iam::123456789012:root\"}", other))
        #expect(try allowed("{\"AWS\":\"arn:aws:iam::123456789012:role/app\"}", session))
        #expect(try !allowed("{\"AWS\":\"arn:aws:iam::123456789012:role/other\"}", session))
        #expect(try allowed("{\"Service\":\"cloudfront.amazonaws.com\"}", .service("cloudfront.amazonaws.com")))
        #expect(try !allowed("{\"Service\":\"cloudfront.amazonaws.com\"}", .anonymous))
        #expect(try allowed("{\"CanonicalUser\":\"abc\"}", .canonicalUser("abc")))
        #expect(
            try allowed(
                "{\"Federated\":\"cognito-identity.amazonaws.com\"}", .federated("cognito-identity.amazonaws.com")))
    }

    @Test func notPrincipalActionsAndResources() throws {
        let document = try policy(
            """
            {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"NotAction":"s3:Delete*","NotResource":"arn:aws:s3:::b/private/*"}
            """)
        #expect(PolicyEvaluator.evaluate(document, anonymousGet).outcome == .allowed)
        #expect(
            PolicyEvaluator.evaluate(
                document, PolicyRequest(principal: .anonymous, action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k")
            ).outcome == .implicitDeny)
        #expect(
            PolicyEvaluator.evaluate(
                document,
                PolicyRequest(principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/private/x")
            ).outcome == .implicitDeny)
        #expect(
            PolicyEvaluator.evaluate(
                document,
                PolicyRequest(
                    principal: .iam(arn: "arn:aws:iam::123456789012:user/u"), action: "s3:GetObject",
                    resource: "arn:aws:s3:::b/k")
            ).outcome == .implicitDeny)
        // Actions compare case-insensitively with wildcards; resources with ? and *.
        let wild = try policy(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"S3:get*\",\"Resource\":\"arn:aws:s3:::b/k?\"}")
        #expect(
            PolicyEvaluator.evaluate(
                wild, PolicyRequest(principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/k1")
            ).outcome == .allowed)
        #expect(
            PolicyEvaluator.evaluate(
                wild, PolicyRequest(principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/k12")
            ).outcome == .implicitDeny)
    }

    @Test func denyWinsOverAllow() throws {
        let document = try policy(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},
            {"Sid":"NoTLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
            """)
        let plain = PolicyRequest(
            principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/k",
            context: ["aws:SecureTransport": ["false"]])
        #expect(PolicyEvaluator.evaluate(document, plain) == PolicyDecision(outcome: .explicitDeny, statements: [1]))
        let tls = PolicyRequest(
            principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/k",
            context: ["aws:SecureTransport": ["true"]])
        #expect(PolicyEvaluator.evaluate(document, tls).outcome == .allowed)
    }

    @Test func policyVariablesInResources() throws {
        let document = try policy(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/home/${aws:username}/*\"}"
        )
        let alice = PolicyRequest(
            principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x",
            context: ["aws:username": ["alice"]])
        #expect(PolicyEvaluator.evaluate(document, alice).outcome == .allowed)
        let nobody = PolicyRequest(
            principal: .anonymous, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x")
        #expect(PolicyEvaluator.evaluate(document, nobody).outcome == .implicitDeny)
    }
}

@Suite struct ConditionOperatorTests {
    private func holds(_ op: String, _ key: String, _ values: [String], _ context: [String: [String]]) -> Bool {
        ConditionEvaluator.holds(ConditionClause(op: op, key: key, values: values), in: ConditionContext(context))
    }

    @Test func stringOperators() {
        #expect(holds("StringEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], ["aws:sourcevpce": ["vpce-2"]]))
        #expect(!holds("StringEquals", "aws:SourceVpce", ["vpce-1"], ["aws:SourceVpce": ["VPCE-1"]]))
        #expect(holds("StringEqualsIgnoreCase", "k", ["ABC"], ["k": ["abc"]]))
        #expect(holds("StringNotEquals", "k", ["a", "b"], ["k": ["c"]]))
        #expect(!holds("StringNotEquals", "k", ["a", "b"], ["k": ["b"]]))
        #expect(holds("StringNotEqualsIgnoreCase", "k", ["A"], ["k": ["b"]]))
        #expect(holds("StringLike", "k", ["ab*", "x?z"], ["k": ["xyz"]]))
        #expect(!holds("StringLike", "k", ["ab*"], ["k": ["ba"]]))
        #expect(holds("StringNotLike", "k", ["ab*"], ["k": ["ba"]]))
        // Missing keys: positive false, negated true, IfExists true.
        #expect(!holds("StringEquals", "k", ["a"], [:]))
        #expect(holds("StringNotEquals", "k", ["a"], [:]))
        #expect(holds("StringEqualsIfExists", "k", ["a"], [:]))
        #expect(!holds("StringEqualsIfExists", "k", ["a"], ["k": ["b"]]))
        // Policy variables in values.
        #expect(
            holds(
                "StringEquals", "s3:prefix", ["home/${aws:username}/"],
                ["s3:prefix": ["home/bob/"], "aws:username": ["bob"]]))
    }

    @Test func setQualifiers() {
        #expect(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"], ["aws:TagKeys": ["x", "b"]]))
        #expect(!holds("ForAnyValue:StringEquals", "aws:TagKeys", ["a"], [:]))
        #expect(holds("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], ["aws:TagKeys": ["a", "b"]]))
        #expect(!holds("ForAllValues:StringEquals", "aws:TagKeys", ["a"], ["aws:TagKeys": ["a", "c"]]))
        #expect(holds("ForAllValues:StringEquals", "aws:TagKeys", ["a"], [:]))
        #expect(holds("ForAnyValue:StringLike", "aws:TagKeys", ["a*"], ["aws:TagKeys": ["zz", "ab"]]))
    }

    @Test func numericDateBoolBinaryNull() {
        #expect(holds("NumericLessThan", "s3:max-keys", ["10"], ["s3:max-keys": ["5"]]))
        #expect(!holds("NumericGreaterThan", "s3:max-keys", ["10"], ["s3:max-keys": ["5"]]))
        #expect(holds("NumericEquals", "n", ["5"], ["n": ["5.0"]]))
        #expect(holds("NumericNotEquals", "n", ["5"], ["n": ["6"]]))
        #expect(holds("NumericLessThanEquals", "n", ["5"], ["n": ["5"]]))
        #expect(holds("NumericGreaterThanEquals", "n", ["5"], ["n": ["7"]]))
        #expect(
            holds(
                "DateLessThan", "aws:CurrentTime", ["2030-01-01T00:00:00Z"],
                ["aws:CurrentTime": ["2026-11-24T09:00:00Z"]]))
        #expect(
            holds("DateGreaterThan", "aws:CurrentTime", ["2020-01-01"], ["aws:CurrentTime": ["2026-11-24T09:00:00Z"]]))
        #expect(holds("DateEquals", "aws:EpochTime", ["1700000000"], ["aws:EpochTime": ["1700000000"]]))
        #expect(holds("DateNotEquals", "d", ["2020-01-01T00:00:00Z"], ["d": ["2021-01-01T00:00:00Z"]]))
        #expect(holds("DateLessThanEquals", "d", ["2020-01-01T00:00:00Z"], ["d": ["2020-01-01T00:00:00Z"]]))
        #expect(holds("DateGreaterThanEquals", "d", ["2020-01-01T00:00:00Z"], ["d": ["2020-01-01T00:00:00Z"]]))
        #expect(holds("Bool", "aws:SecureTransport", ["false"], ["aws:SecureTransport": ["FALSE"]]))
        #expect(!holds("Bool", "aws:SecureTransport", ["false"], [:]))
        #expect(holds("BinaryEquals", "k", ["QmluYXJ5"], ["k": ["QmluYXJ5"]]))
        #expect(holds("Null", "s3:x-amz-server-side-encryption", ["true"], [:]))
        #expect(
            !holds("Null", "s3:x-amz-server-side-encryption", ["true"], ["s3:x-amz-server-side-encryption": ["AES256"]])
        )
        #expect(holds("Null", "k", ["false"], ["k": ["v"]]))
    }

    @Test func ipAndArnOperators() {
        #expect(holds("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["aws:SourceIp": ["203.0.113.9"]]))
        #expect(!holds("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["aws:SourceIp": ["203.0.114.9"]]))
        #expect(holds("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], ["aws:SourceIp": ["11.0.0.1"]]))
        #expect(holds("IpAddress", "aws:SourceIp", ["2001:db8::/32"], ["aws:SourceIp": ["2001:db8:1::5"]]))
        #expect(holds("IpAddress", "aws:SourceIp", ["0.0.0.0/0"], ["aws:SourceIp": ["8.8.8.8"]]))
        #expect(holds("IpAddressIfExists", "aws:SourceIp", ["10.0.0.0/8"], [:]))
        #expect(
            holds(
                "ArnLike", "aws:SourceArn", ["arn:aws:cloudfront::111122223333:distribution/*"],
                ["aws:SourceArn": ["arn:aws:cloudfront::111122223333:distribution/E1"]]))
        #expect(holds("ArnEquals", "aws:SourceArn", ["arn:aws:s3:::b"], ["aws:SourceArn": ["arn:aws:s3:::b"]]))
        #expect(!holds("ArnEquals", "aws:SourceArn", ["arn:aws:s3:::b"], ["aws:SourceArn": ["arn:aws:s3:::c"]]))
        #expect(holds("ArnNotEquals", "aws:SourceArn", ["arn:aws:s3:::b"], ["aws:SourceArn": ["arn:aws:s3:::c"]]))
        #expect(holds("ArnNotLike", "aws:SourceArn", ["arn:aws:s3:::b*"], ["aws:SourceArn": ["arn:aws:s3:::c"]]))
        #expect(CIDRBlock("0.0.0.0/0")?.isUniversal == true)
        #expect(CIDRBlock("::/0")?.isUniversal == true)
        #expect(CIDRBlock("10.0.0.0/33") == nil)
        #expect(IPAddress("1.2.3") == nil)
    }

    @Test func operatorParsing() {
        let op = ConditionOperator("ForAnyValue:StringLikeIfExists")
        #expect(op?.base == .stringLike && op?.qualifier == .forAnyValue && op?.ifExists == true)
        #expect(ConditionOperator("NullIfExists") == nil)
        #expect(ConditionOperator("Sometimes:StringEquals") == nil)
    }
}

@Suite struct PublicAccessRulesTests {
    private func isPublic(_ condition: String, principal: String = "\"*\"", action: String = "\"s3:GetObject\"") throws
        -> Bool
    {
        let cond = condition.isEmpty ? "" : ",\"Condition\":\(condition)"
        return try analyse(
            "{\"Effect\":\"Allow\",\"Principal\":\(principal),\"Action\":\(action),\"Resource\":\"arn:aws:s3:::b/*\"\(cond)}"
        ).allowsPublicRead
    }

    @Test func fixedValuesMakeNonPublic() throws {
        #expect(try !isPublic("{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}"))
        #expect(try !isPublic("{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}"))
        #expect(try !isPublic("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"))
        #expect(try !isPublic("{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}"))
        #expect(try !isPublic("{\"StringEquals\":{\"aws:SourceOwner\":\"123456789012\"}}"))
        #expect(
            try !isPublic("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:cloudfront::123456789012:distribution/E1\"}}"))
        #expect(
            try !isPublic(
                "{\"StringEquals\":{\"s3:x-amz-server-side-encryption-aws-kms-key-id\":\"arn:aws:kms:eu-west-1:123456789012:key/k\"}}"
            ))
        #expect(try !isPublic("{\"StringLike\":{\"aws:userid\":\"AROAEXAMPLEID:*\"}}"))
        #expect(try !isPublic("{\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}}"))
        #expect(try !isPublic("{\"StringEquals\":{\"aws:PrincipalAccount\":\"123456789012\"}}"))
    }

    @Test func wildcardsVariablesAndOtherKeysStayPublic() throws {
        #expect(try isPublic(""))
        #expect(try isPublic("", principal: "{\"AWS\":\"*\"}"))
        #expect(try isPublic("", principal: "{\"AWS\":[\"*\"]}"))
        #expect(try isPublic("{\"StringLike\":{\"aws:PrincipalOrgID\":\"o-*\"}}"))
        #expect(try isPublic("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::*\"}}"))
        #expect(try isPublic("{\"StringEquals\":{\"aws:SourceAccount\":\"${aws:PrincipalAccount}\"}}"))
        #expect(try isPublic("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}"))
        #expect(try isPublic("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"::/0\"]}}"))
        #expect(try isPublic("{\"StringLike\":{\"aws:Referer\":\"https://example.com/*\"}}"))
        #expect(try isPublic("{\"StringEquals\":{\"aws:UserAgent\":\"curl\"}}"))
        #expect(try isPublic("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}"))
        #expect(try isPublic("{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}"))
        #expect(try isPublic("{\"StringEqualsIfExists\":{\"aws:SourceVpce\":\"vpce-1\"}}"))
        #expect(try isPublic("{\"ForAllValues:StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"))
        #expect(try isPublic("{\"Null\":{\"aws:SourceVpce\":\"false\"}}"))
        #expect(try isPublic("{\"StringLike\":{\"aws:userid\":\"*:alice\"}}"))
    }

    @Test func notPrincipalAllowIsPublic() throws {
        let analysis = try analyse(
            "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"
        )
        #expect(analysis.allowsPublicWrite)
        #expect(!analysis.allowsPublicRead)
    }

    @Test func readAndWriteAreSeparate() throws {
        #expect(
            try analyse("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}")
                .allowsPublicWrite == false)
        let all = try analyse("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}")
        #expect(all.allowsPublicRead && all.allowsPublicWrite)
        let notAction = try analyse(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}")
        #expect(!notAction.allowsPublicRead && notAction.allowsPublicWrite)
        // Only non-exposing actions: not public.
        let replicate = try analyse(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:ReplicateObject\",\"s3:ObjectOwnerOverrideToBucketOwner\"],\"Resource\":\"*\"}"
        )
        #expect(!replicate.allowsPublicRead && !replicate.allowsPublicWrite)
        #expect(replicate.statements[0].ignoredBecause != nil)
    }

    @Test func resourceScope() throws {
        #expect(
            try !analyse(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}"
            ).allowsPublicRead)
        #expect(
            try analyse(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/public/*\"}"
            ).allowsPublicRead)
        #expect(
            try analyse(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b*\"}"
            ).allowsPublicRead)
        #expect(
            try !analyse(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotResource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}"
            ).allowsPublicRead)
        #expect(
            try analyse(
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::b/secret/*\"}"
            ).allowsPublicRead)
    }

    @Test func denyUnlessPinnedNeutralisesAPublicAllow() throws {
        let analysis = try analyse(
            """
            {"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"OnlyEndpoint","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}
            """)
        #expect(!analysis.allowsPublicRead)
        #expect(analysis.statements[0].neutralisedBy?.contains("OnlyEndpoint") == true)
        // A Deny with IfExists (absent key: not denied) or a wildcard value does not.
        let weak = try analyse(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}
            """)
        #expect(weak.allowsPublicRead)
        let ip = try analyse(
            """
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}
            """)
        #expect(!ip.allowsPublicRead)
    }

    @Test func aDenyNeverMakesPublic() throws {
        let analysis = try analyse("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}")
        #expect(!analysis.allowsPublicRead && !analysis.allowsPublicWrite)
        #expect(analysis.statements.isEmpty)
    }

    @Test func encryptionRequirement() throws {
        let notEquals = try analyse(
            """
            {"Sid":"RequireSSE","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":["AES256","aws:kms"]}}}
            """)
        #expect(notEquals.encryptionRequiredBy == "Statement[0] (Sid \"RequireSSE\")")
        let null = try analyse(
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"Null\":{\"s3:x-amz-server-side-encryption\":\"true\"}}}"
        )
        #expect(null.encryptionRequiredBy == "Statement[0]")
        // Denying all uploads outside an endpoint is not an encryption requirement.
        let vpce = try analyse(
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}"
        )
        #expect(vpce.encryptionRequiredBy == nil)
        let tls = try analyse(
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}"
        )
        #expect(tls.encryptionRequiredBy == nil)
    }

    @Test func sharingGrantees() throws {
        let analysis = try analyse(
            """
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE","999988887777"],"CanonicalUser":"abc123"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}
            """)
        #expect(
            analysis.statements[0].grantees == [
                .cloudFrontOAI("E2QWRUHEXAMPLE"), .account("999988887777"), .canonicalUser("abc123"),
            ])
    }
}

@Suite struct WildcardTests {
    @Test func matching() {
        #expect(Wildcard("a*b?c").matches("axxbyc"))
        #expect(!Wildcard("a*b?c").matches("abc"))
        #expect(Wildcard("*").matches(""))
        #expect(Wildcard("arn:aws:s3:::b/p/*").canMatchSomething(startingWith: "arn:aws:s3:::b/"))
        #expect(!Wildcard("arn:aws:s3:::c/*").canMatchSomething(startingWith: "arn:aws:s3:::b/"))
        #expect(Wildcard("arn:aws:s3:::b/*").matchesEverything(startingWith: "arn:aws:s3:::b/"))
        #expect(!Wildcard("arn:aws:s3:::b/p/*").matchesEverything(startingWith: "arn:aws:s3:::b/"))
        #expect(Wildcard("S3:GET*", caseSensitive: false).matches("s3:GetObject"))
    }
}
