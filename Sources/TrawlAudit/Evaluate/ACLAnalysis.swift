import Foundation

/// What a bucket ACL grants: public grants (AllUsers, AuthenticatedUsers) by read/write, and
/// the other grantees for sharing.
struct ACLAnalysis: Sendable, Equatable {
    struct PublicGrant: Sendable, Equatable {
        var location: String
        var permission: String
        var groupName: String
    }

    struct SharedGrant: Sendable, Equatable {
        var location: String
        var grantee: Grantee
        var permission: String
    }

    var publicRead: [PublicGrant]
    var publicWrite: [PublicGrant]
    var grantees: [SharedGrant]

    /// READ and READ_ACP expose data or permissions to readers; WRITE and WRITE_ACP let them
    /// write objects or rewrite the ACL; FULL_CONTROL is both.
    static func analyse(_ acl: AccessControlList) -> ACLAnalysis {
        var result = ACLAnalysis(publicRead: [], publicWrite: [], grantees: [])
        for (index, grant) in acl.grants.enumerated() {
            let location = "Grants[\(index)]"
            let permission = grant.permission.uppercased()
            let reads = permission == "READ" || permission == "READ_ACP" || permission == "FULL_CONTROL"
            let writes = permission == "WRITE" || permission == "WRITE_ACP" || permission == "FULL_CONTROL"
            switch grant.grantee {
            case .group(let uri):
                let name: String
                if uri == ConfigurationParsers.allUsersURI {
                    name = "AllUsers (anyone)"
                } else if uri == ConfigurationParsers.authenticatedUsersURI {
                    name = "AuthenticatedUsers (any AWS account)"
                } else {
                    if uri != ConfigurationParsers.logDeliveryURI {
                        result.grantees.append(
                            SharedGrant(
                                location: location, grantee: .unresolved("group \(uri)"), permission: permission))
                    }
                    continue
                }
                let publicGrant = PublicGrant(location: location, permission: permission, groupName: name)
                if reads { result.publicRead.append(publicGrant) }
                if writes { result.publicWrite.append(publicGrant) }
            case .canonicalUser(let id, _):
                if id == acl.ownerID { continue }
                result.grantees.append(
                    SharedGrant(location: location, grantee: .canonicalUser(id), permission: permission))
            case .email(let address):
                result.grantees.append(
                    SharedGrant(
                        location: location, grantee: .unresolved("e-mail grantee \(address)"), permission: permission))
            }
        }
        return result
    }
}
