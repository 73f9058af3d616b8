import AuthContract
import ImageAppPlugin
import ProfilesContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// What the routes put together: the account from auth, the profile from this plugin, counts from other plugins.

extension ProfilesPlugin {
    /// The account of `userID`, from `auth.account`.
    ///
    /// - Throws: ``HTTPError``: auth's refusal (404 `user_not_found`), 503, or 500 for a result of the wrong shape.
    func account(_ userID: UserID) throws(HTTPError) -> Account {
        try host.dispatchQuery(AuthQuery.account, payload: UserRef(userId: userID), as: Account.self)
    }

    /// The account with `handle` (case-insensitive), from `auth.account_by_handle`.
    ///
    /// - Throws: ``HTTPError`` as ``account(_:)`` does.
    func account(handle: String) throws(HTTPError) -> PublicAccount {
        try host.dispatchQuery(AuthQuery.accountByHandle, payload: HandleRef(handle: handle), as: PublicAccount.self)
    }

    /// The profile of `userID` with its avatar URL, from `profiles.get` (the defaults when it has no row).
    func profile(_ userID: UserID) throws(HTTPError) -> StoredProfile {
        try host.dispatchQuery(ProfilesQuery.get, payload: UserRef(userId: userID), as: StoredProfile.self)
    }

    /// The counts shown with a profile: `posts`, `followers` and `following` at 0, overwritten and extended by the
    /// integer results of each query in `count_queries` that some plugin registered, dispatched with `{"user_id"}`.
    ///
    /// A result that is not an object of integers is a bug of the plugin that answered it: it is logged and left out,
    /// so that one broken plugin does not take profiles down.
    ///
    /// - Throws: ``HTTPError`` when a query fails (503 while the database is away, 500 for an error it logged).
    func counts(_ userID: UserID) throws(HTTPError) -> [String: Int64] {
        var counts: [String: Int64] = ["posts": 0, "followers": 0, "following": 0]
        for name in settings.countQueries {
            guard let json = try host.dispatchQueryIfRegistered(name, payload: UserRef(userId: userID)) else {
                continue  // That plugin is not enabled.
            }
            guard let result = try? JSONDecoder().decode([String: Int64].self, from: Data(json.utf8)) else {
                host.log(
                    .error,
                    "count query '\(name)' answered \(json.prefix(200)); expected a JSON object of integers"
                )
                continue
            }
            counts.merge(result) { _, new in new }
        }
        return counts
    }

    /// The response of the `/api/v1/me` routes. Never cached: it carries the email address.
    func meResponse(account: Account, profile: StoredProfile) throws -> Response {
        var response = try Response.json(MeView(account: account, profile: profile, counts: counts(account.id)))
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// The caller; the routes that need one are registered with `.requireUser`, so the host has already answered 401
    /// without one.
    func caller(_ request: Request) throws(HTTPError) -> UserID {
        guard let principal = request.principal, principal.userID > 0 else {
            throw .unauthorized()
        }
        return UserID(principal.userID)
    }
}
