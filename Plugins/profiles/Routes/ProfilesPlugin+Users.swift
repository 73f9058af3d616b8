import AuthContract
import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ProfilesPlugin {
    /// `GET /api/v1/users/{handle}`: public, no login needed; cached like `/me` (non-blocking on a hit).
    func registerUserRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/users/{handle}",
            flags: registrar.host.supportsWouldBlock ? .nonblocking : [],
            summary: "Shows a user's public profile",
            description: "The profile of the user with this handle (case-insensitive): display name, bio, avatar and "
                + "counts. 404 `user_not_found` for an unknown or banned user.",
            tag: "profiles",
            responseSchema: ProfilesSchemas.publicProfile,
            handler: user
        )
    }

    private func user(_ request: Request) throws -> Response {
        // Anything that cannot be a handle is answered here, without asking auth.
        let handle = request.parameter("handle") ?? ""
        guard (1...64).contains(handle.count),
            !handle.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw Self.userNotFound }

        let key = "profiles:user:\(handle.lowercased())"
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        if let body = try cached(key, request) { return try withRelationship(body, viewer: viewer, request) }
        let account = try publicAccount(handle: handle)
        let profile = try self.profile(account.id)
        let response = try Response.json(PublicProfileView(account: account, profile: profile, counts: counts(account.id)))
        cache(key, of: account.id, response.body)
        return try withRelationship(response.body, viewer: viewer, request)
    }

    /// The cached (viewer-independent) body, plus `relationship` `{"following", "followed_by"}` for a signed-in
    /// viewer looking at someone else, from the `relationship_query` plugin when one is loaded. Viewers' answers are
    /// private: `Cache-Control: private`.
    private func withRelationship(_ body: [UInt8], viewer: UserID?, _ request: Request) throws -> Response {
        guard let viewer, let name = settings.relationshipQuery, body.last == UInt8(ascii: "}") else {
            return Self.jsonResponse(body: body, cacheControl: nil)
        }
        guard let user = PublicProfileView.id(in: body), user != viewer else {
            return Self.jsonResponse(body: body, cacheControl: "private")
        }
        guard request.canBlock else { throw WouldBlock() }
        guard let json = try host.dispatchQueryIfRegistered(name, payload: RelationshipQueryInput(viewerId: viewer, userId: user)) else {
            return Self.jsonResponse(body: body, cacheControl: nil)
        }
        guard let relationship = Relationship(json: json) else {
            host.log(.error, "relationship query '\(name)' answered \(json.prefix(200)); expected {\"following\", \"followed_by\"}")
            return Self.jsonResponse(body: body, cacheControl: "private")
        }
        var spliced = Array(body.dropLast())
        spliced.append(contentsOf: Array(",\"relationship\":\(relationship.json)}".utf8))
        return Self.jsonResponse(body: spliced, cacheControl: "private")
    }

    /// The account with `handle`, unless it is unknown or banned (a banned user is hidden as if unknown).
    private func publicAccount(handle: String) throws(HTTPError) -> PublicAccount {
        let account: PublicAccount
        do {
            account = try self.account(handle: handle)
        } catch {
            throw error.status == 404 ? Self.userNotFound : error
        }
        guard !account.banned else { throw Self.userNotFound }
        return account
    }

    /// 404 `user_not_found`, the same for unknown and banned users.
    private static var userNotFound: HTTPError {
        .notFound("There is no user with this handle.", code: "user_not_found")
    }
}

/// What `relationship_query` is asked: `{"viewer_id", "user_id"}`.
struct RelationshipQueryInput: Codable, Sendable {
    var viewerId: UserID
    var userId: UserID
}

/// What `relationship_query` answers, checked before it is added to a profile.
struct Relationship: Codable, Sendable {
    var following: Bool
    var followedBy: Bool

    /// Reads `{"following": bool, "followed_by": bool}`; `nil` for anything else.
    init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(Relationship.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }

    /// `{"following":...,"followed_by":...}`.
    var json: String { "{\"following\":\(following),\"followed_by\":\(followedBy)}" }

    private enum CodingKeys: String, CodingKey {
        case following
        case followedBy = "followed_by"
    }
}
