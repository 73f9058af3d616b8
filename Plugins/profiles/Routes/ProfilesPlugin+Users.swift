import AuthContract
import ImageAppPlugin

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
        if let body = try cached(key, request) { return Self.jsonResponse(body: body, cacheControl: nil) }
        let account = try publicAccount(handle: handle)
        let profile = try self.profile(account.id)
        let response = try Response.json(PublicProfileView(account: account, profile: profile, counts: counts(account.id)))
        cache(key, of: account.id, response.body)
        return response
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
