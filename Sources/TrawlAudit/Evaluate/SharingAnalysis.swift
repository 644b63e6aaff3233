import Foundation

/// Macie's shared-access verdict: EXTERNAL when the policy or ACL lets in an account outside the
/// organization or any CloudFront OAI/OAC; INTERNAL when only other accounts of the
/// organization; NOT_SHARED when only the owner (and AWS services); UNKNOWN when an input is
/// missing or a grantee cannot be resolved and nothing external was found.
struct SharingAnalysis: Sendable {
    var verdict: SharedAccess
    var evidence: [Evidence]
    /// External accounts, canonical users and unresolved grantees that make it EXTERNAL.
    var externalGrants: [Evidence]
    /// CloudFront OAI/OAC grants.
    var cloudFrontGrants: [Evidence]
    /// A CloudFront OAI named by canonical user ID (Macie reports SharedExternally for it).
    var cloudFrontByCanonicalID: Bool

    static func analyse(
        policy: PolicyAnalysis?, policyReadable: Bool, acl: ACLAnalysis?, aclOwner: String?,
        account: AccountConfiguration
    ) -> SharingAnalysis {
        var result = SharingAnalysis(
            verdict: .notShared, evidence: [], externalGrants: [], cloudFrontGrants: [], cloudFrontByCanonicalID: false)
        var internalFound = false
        var unknownReasons: [String] = []
        let internalAccounts = account.internalAccounts

        func record(_ grantee: Grantee, source: String, location: String, via: String) {
            func add(_ verdict: String, _ detail: String) -> Evidence {
                let item = Evidence(
                    aspect: "sharedAccess", source: source, location: location, verdict: verdict, detail: detail)
                result.evidence.append(item)
                return item
            }
            switch grantee {
            case .account(let id):
                if id == account.accountId {
                    _ = add("NOT_SHARED", "\(via) the owner account \(id)")
                } else if internalAccounts.contains(id) {
                    internalFound = true
                    _ = add("INTERNAL", "\(via) account \(id), a member of the organization")
                } else {
                    let why = account.organizationAccounts == nil ? " (no organization account list was given)" : ""
                    result.externalGrants.append(
                        add("EXTERNAL", "\(via) account \(id), outside the organization\(why)"))
                }
            case .organization(let id):
                if id == account.organizationId {
                    internalFound = true
                    _ = add("INTERNAL", "\(via) every account of the owner's organization \(id)")
                } else if account.organizationId == nil {
                    unknownReasons.append("organization \(id) cannot be compared: no organization account list")
                    _ = add("UNKNOWN", "\(via) organization \(id); the owner's organization is not known")
                } else {
                    result.externalGrants.append(
                        add("EXTERNAL", "\(via) organization \(id), not the owner's organization"))
                }
            case .cloudFrontOAI(let id):
                result.cloudFrontGrants.append(
                    add(
                        "EXTERNAL",
                        "\(via) CloudFront origin access identity \(id) (Macie counts CloudFront as external)"))
            case .cloudFrontOAC(let arn):
                result.cloudFrontGrants.append(
                    add(
                        "EXTERNAL",
                        "\(via) CloudFront origin access control" + (arn.map { " for \($0)" } ?? "")
                            + " (Macie counts CloudFront as external)"))
            case .canonicalUser(let id):
                if id == aclOwner {
                    _ = add("NOT_SHARED", "\(via) the bucket owner's canonical user")
                } else {
                    result.externalGrants.append(
                        add(
                            "EXTERNAL",
                            "\(via) canonical user \(id), which is not the bucket owner (a CloudFront OAI canonical ID or another account)"
                        ))
                    if source == "bucketPolicy" { result.cloudFrontByCanonicalID = true }
                }
            case .service(let name):
                _ = add("NOT_SHARED", "\(via) the AWS service \(name)")
            case .federated(let name):
                _ = add("NOT_SHARED", "\(via) users federated through \(name)")
            case .network(let what):
                _ = add(
                    "NOT_SHARED",
                    "\(via) requests from \(what); that pins a network, not an account, and is taken to be the owner's")
            case .unresolved(let what):
                unknownReasons.append(what)
                _ = add("UNKNOWN", "\(via) \(what), whose account cannot be resolved offline")
            }
        }

        if let policy {
            for statement in policy.statements where statement.ignoredBecause == nil && !statement.isPublic {
                let via = statement.everyonePrincipal ? "allows everyone pinned to" : "allows"
                for grantee in statement.grantees {
                    record(grantee, source: "bucketPolicy", location: statement.label, via: via)
                }
            }
        }
        if let acl {
            for grant in acl.grantees {
                record(
                    grant.grantee, source: "accessControlList", location: grant.location,
                    via: "grants \(grant.permission) to")
            }
        }
        if !policyReadable { unknownReasons.append("the bucket policy is unknown") }
        if acl == nil { unknownReasons.append("the ACL is unknown") }

        if !result.externalGrants.isEmpty || !result.cloudFrontGrants.isEmpty {
            result.verdict = .external
        } else if !unknownReasons.isEmpty {
            result.verdict = .unknown
            result.evidence.append(
                Evidence(
                    aspect: "sharedAccess", source: "input", verdict: "UNKNOWN",
                    detail: "shared access cannot be settled: " + unknownReasons.joined(separator: "; ")))
        } else if internalFound {
            result.verdict = .internal
        } else {
            result.verdict = .notShared
            if result.evidence.isEmpty {
                result.evidence.append(
                    Evidence(
                        aspect: "sharedAccess", source: "input", verdict: "NOT_SHARED",
                        detail: "neither the bucket policy nor the ACL grants access to another account or CloudFront"))
            }
        }
        return result
    }
}
