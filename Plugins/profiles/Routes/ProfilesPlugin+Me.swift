import AuthContract
import ImageAppPlugin
import ProfilesContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ProfilesPlugin {
    /// `GET`, `PATCH` and `DELETE /api/v1/me`. `GET` is non-blocking when the host supports it (ABI 1.7): a cached
    /// answer is served on the event loop, a miss moves to a worker thread. The others dispatch queries and commands,
    /// which wait for the database.
    func registerMeRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/me",
            flags: registrar.host.supportsWouldBlock ? [.requireUser, .nonblocking] : .requireUser,
            summary: "Shows your account and profile",
            description: "Your public profile (display name, bio, avatar, counts) plus your email address, whether it "
                + "is verified, and your role. A new account shows the defaults until its profile is set up, which "
                + "happens within moments of registering.",
            tag: "profiles",
            responseSchema: ProfilesSchemas.me,
            handler: getMe
        )
        try registrar.route(
            .patch,
            "/api/v1/me",
            flags: .requireUser,
            summary: "Edits your profile",
            description: "Changes the fields sent and leaves the others. `display_name` is trimmed and 1 to 50 "
                + "characters on one line; `null` or blank removes it. `bio` is trimmed and at most 500 characters; "
                + "`null` empties it. Lengths count Unicode code points. Unknown fields and broken rules are "
                + "refused with 422 `validation_failed`, naming each field in `details`; a field of the wrong JSON "
                + "type with 400 `invalid_json`. Answers like `GET /api/v1/me`.",
            tag: "profiles",
            requestSchema: ProfilesSchemas.update,
            responseSchema: ProfilesSchemas.me,
            maxBodyBytes: 64 * 1024,
            handler: patchMe
        )
        try registrar.route(
            .delete,
            "/api/v1/me",
            flags: .requireUser,
            summary: "Deletes your account",
            description: "Deletes the account, its sessions, profile and avatar, after checking `password` "
                + "(403 `invalid_password` when it is wrong, 422 when it is missing). Answers 204 and clears the "
                + "session cookies.",
            tag: "profiles",
            requestSchema: ProfilesSchemas.deleteAccount,
            successStatus: 204,
            maxBodyBytes: 16 * 1024,
            handler: deleteMe
        )
    }

    private func getMe(_ request: Request) throws -> Response {
        let userID = try caller(request)
        if let body = try cached(meCacheKey(userID), request) { return Self.jsonResponse(body: body, cacheControl: "no-store") }
        let response = try meResponse(account: self.account(userID), profile: self.profile(userID))
        cache(meCacheKey(userID), of: userID, response.body)
        return response
    }

    private func patchMe(_ request: Request) throws -> Response {
        let userID = try caller(request)
        let update = try ProfileUpdate(body: request.withBody { Data($0) })
        let account = try self.account(userID)
        guard !update.isEmpty else {
            return try meResponse(account: account, profile: self.profile(userID))
        }
        // The command's answer, not a query after it: a query may read a replica that has not caught up yet.
        let profile = try host.dispatchCommand(
            "profiles.update",
            payload: UpdateInput(userId: userID, handle: account.handle, update: update),
            as: StoredProfile.self
        )
        profileChanged(userID, request)
        return try meResponse(account: account, profile: profile)
    }

    private func deleteMe(_ request: Request) throws -> Response {
        let userID = try caller(request)
        let password = try Self.password(in: request.withBody { Data($0) })
        // auth deletes the account and its sessions and raises `user.deleted`; the profile and the avatar go in
        // this plugin's handler for that event. A wrong password comes back as auth's 403 `invalid_password`.
        let deleted = try host.dispatchCommand(
            AuthCommand.deleteAccount,
            payload: DeleteAccountInput(userId: userID, password: password),
            as: DeletedAccount.self
        )
        // auth says which cookies to clear: their names and attributes are its business.
        return Response(
            status: 204,
            headers: deleted.clearCookies.map { ("Set-Cookie", $0) } + [("Cache-Control", "no-store")]
        )
    }

    /// The `password` of a `DELETE /api/v1/me` body. No body counts as no password.
    ///
    /// - Throws: ``HTTPError`` 422 when it is missing or empty, 400 `invalid_json` when the body is not a JSON object
    ///   or `password` not a string.
    private static func password(in body: Data) throws(HTTPError) -> String {
        let missing = HTTPError.unprocessable(fields: ["password": "is required to delete the account"])
        guard !body.isEmpty else { throw missing }
        let input: DeleteMeBody
        do {
            input = try JSONDecoder().decode(DeleteMeBody.self, from: body)
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw .invalidJSON(
                "The request body does not have the expected format.",
                details: ["password": "must be a string"]
            )
        } catch DecodingError.typeMismatch {
            throw .invalidJSON("The request body must be a JSON object.")
        } catch {
            throw .invalidJSON()
        }
        guard let password = input.password, !password.isEmpty else { throw missing }
        return password
    }
}

/// The body of `DELETE /api/v1/me`.
private struct DeleteMeBody: Decodable {
    var password: String?
}
