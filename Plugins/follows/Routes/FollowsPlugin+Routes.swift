import AuthContract
import FollowsContract
import ImageAppPlugin
import PluginSupport
import ProfilesContract

extension FollowsPlugin {
    /// `PUT`/`DELETE /api/v1/users/{handle}/follow` and the two lists.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .put,
            "/api/v1/users/{handle}/follow",
            flags: .requireUser,
            summary: "Follows a user",
            description: "Idempotent: following someone you follow changes nothing. Answers `{\"following\": true, "
                + "\"followers_count\"}`. 404 `user_not_found` for an unknown or banned user; 422 `cannot_follow_self`; "
                + "422 `following_limit_reached` past the most accounts one may follow (7,500 by default).",
            tag: "follows",
            responseSchema: FollowsSchemas.state,
            handler: { [self] request in try setFollowing(true, request) }
        )
        try registrar.route(
            .delete,
            "/api/v1/users/{handle}/follow",
            flags: .requireUser,
            summary: "Stops following a user",
            description: "Idempotent. Answers `{\"following\": false, \"followers_count\"}`.",
            tag: "follows",
            responseSchema: FollowsSchemas.state,
            handler: { [self] request in try setFollowing(false, request) }
        )
        try registrar.route(
            .get,
            "/api/v1/users/{handle}/followers",
            summary: "Lists a user's followers",
            description: "User summaries, newest follow first; `?limit=` (20, at most 40) and `?cursor=`. For a signed-in "
                + "viewer each (but the viewer) carries `relationship` `{\"following\", \"followed_by\"}`.",
            tag: "follows",
            responseSchema: FollowsSchemas.people,
            handler: { [self] request in try list(followers: true, request) }
        )
        try registrar.route(
            .get,
            "/api/v1/users/{handle}/following",
            summary: "Lists whom a user follows",
            description: "User summaries, newest follow first; `?limit=` (20, at most 40) and `?cursor=`. For a signed-in "
                + "viewer each (but the viewer) carries `relationship` `{\"following\", \"followed_by\"}`.",
            tag: "follows",
            responseSchema: FollowsSchemas.people,
            handler: { [self] request in try list(followers: false, request) }
        )
    }

    private func setFollowing(_ following: Bool, _ request: Request) throws -> Response {
        guard let principal = request.principal, principal.userID > 0 else { throw HTTPError.unauthorized() }
        let follower = UserID(principal.userID)
        let followee = try visibleAccount(request).id
        guard followee != follower else {
            throw HTTPError(status: 422, code: "cannot_follow_self", message: "You cannot follow yourself.")
        }
        let change = FollowChange(followerId: follower, followeeId: followee, maxFollowing: settings.maxFollowing)
        let outcome = try host.dispatchCommand(following ? "follows.follow" : "follows.unfollow", payload: change, as: FollowOutcome.self)
        if outcome.changed {
            // Both profiles show a changed count; a failure here only leaves them until their cache lifetime ends.
            for user in [follower, followee] {
                do {
                    try GuardedCache.changed(tag: ProfilesCollaboration.countsTag(user), host: host)
                } catch {
                    request.log(.warning, "cannot invalidate the cached counts of user \(user): \(error)")
                }
            }
        }
        var response = try Response.json(FollowState(following: following, followersCount: max(0, outcome.followersCount)))
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// A page of user summaries; for a signed-in viewer each (but the viewer) with `relationship`
    /// `{"following", "followed_by"}`, so a list can draw its follow buttons without asking again (`private` then).
    private func list(followers: Bool, _ request: Request) throws -> Response {
        let account = try visibleAccount(request)
        let page = try PageRequest(request)
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        let slice = FollowListSlice(
            userId: account.id,
            followers: followers,
            beforeTime: page.cursor?.time,
            beforeUser: page.cursor?.id,
            limit: page.limit + 1,
            viewerId: viewer
        )
        let rows = try host.dispatchQuery("follows.list", payload: slice, as: FollowList.self).items
        let kept = Array(rows.prefix(page.limit))
        // Banned users have no summary and are left out; the cursor follows the rows, so the list goes on past them.
        let summaries = try host.dispatchQuery(ProfilesQuery.summaries, payload: UserIDs(userIds: kept.map(\.userId)), as: UserSummaryList.self)
        let next = rows.count > page.limit ? kept.last.map { PageCursor(time: $0.time, id: $0.userId.value).text } : nil
        guard let viewer else { return try Response.json(Page(items: summaries.items, nextCursor: next)) }
        let relationships = Dictionary(kept.map { ($0.userId, $0.relationship) }, uniquingKeysWith: { first, _ in first })
        let items = summaries.items.map { summary in
            PersonInList(summary: summary, relationship: summary.id == viewer ? nil : relationships[summary.id] ?? nil)
        }
        var response = try Response.json(Page(items: items, nextCursor: next))
        response.headers.append(("Cache-Control", "private"))
        return response
    }

    /// The account of the path's handle; 404 `user_not_found` when it is unknown or banned (a banned user is hidden
    /// as if unknown, as profiles hides them).
    private func visibleAccount(_ request: Request) throws(HTTPError) -> PublicAccount {
        let notFound = HTTPError.notFound("There is no user with this handle.", code: "user_not_found")
        let handle = request.parameter("handle") ?? ""
        guard (1...64).contains(handle.count),
            handle.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { throw notFound }
        let account: PublicAccount
        do {
            account = try host.dispatchQuery(AuthQuery.accountByHandle, payload: HandleRef(handle: handle), as: PublicAccount.self)
        } catch {
            throw error.status == 404 ? notFound : error
        }
        guard !account.banned else { throw notFound }
        return account
    }
}

/// `{"following", "followers_count"}`.
struct FollowState: Codable, Sendable {
    var following: Bool
    var followersCount: Int64
}

/// A user summary in a follower or following list, with the viewer's relationship with that user.
struct PersonInList: Codable, Sendable {
    var summary: UserSummary
    var relationship: Relationship?

    init(summary: UserSummary, relationship: Relationship?) {
        self.summary = summary
        self.relationship = relationship
    }

    init(from decoder: any Decoder) throws {
        summary = try UserSummary(from: decoder)
        relationship = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Relationship.self, forKey: .relationship)
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(relationship, forKey: .relationship)
    }

    private enum CodingKeys: String, CodingKey {
        case relationship
    }
}
