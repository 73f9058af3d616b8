import AuthContract
import ContentSniffing
import ImageAppPlugin
import ProfilesContract

extension ProfilesPlugin {
    /// The image types accepted as avatars, as libmagic names them. Not SVG: it can carry scripts.
    static let avatarTypes: Set<String> = ["image/jpeg", "image/png", "image/webp", "image/gif"]

    /// `PUT /api/v1/me/avatar`.
    func registerAvatarRoute(_ registrar: PluginRegistrar) throws {
        try registrar.multipartRoute(
            .put,
            "/api/v1/me/avatar",
            flags: .requireUser,
            summary: "Sets your avatar",
            description: "Send `multipart/form-data` with the image in a file part named `avatar`: a JPEG, PNG, WebP "
                + "or GIF of at most \(settings.avatarMaxBytes) bytes. The type is told from the file's content, "
                + "whatever its name or declared type: anything else is refused with 415 `unsupported_media_type`, a "
                + "larger file with 413 `payload_too_large`, a missing or empty part with 422. The previous avatar is "
                + "deleted. Answers like `GET /api/v1/me`.",
            tag: "profiles",
            requestSchema: """
                {"type":"object","required":["avatar"],"properties":{"avatar":{"type":"string",\
                "contentMediaType":"image/*","description":"a JPEG, PNG, WebP or GIF file"}}}
                """,
            responseSchema: ProfilesSchemas.me,
            // The host refuses only bodies past the whole limit; the file's own limit is checked below, with details.
            limits: MultipartLimits(maxPartBytes: Int(settings.avatarBodyLimit), maxTotalBytes: Int(settings.avatarBodyLimit)),
            metadata: ["rate_limit": "uploads"],
            handler: putAvatar
        )
    }

    private func putAvatar(_ request: Request) throws -> Response {
        let userID = try caller(request)
        let bytes = try avatarFile(request)
        let type = sniffer.mimeType(of: bytes) ?? "application/octet-stream"
        guard Self.avatarTypes.contains(type) else {
            throw HTTPError(
                status: 415,
                code: "unsupported_media_type",
                message: "The avatar must be a JPEG, PNG, WebP or GIF image; this file's content is \(type).",
                details: ["avatar": "must be a JPEG, PNG, WebP or GIF image"]
            )
        }
        let account = try self.account(userID)

        // Named by its content under the user's own prefix: the same image twice is one file, and nothing outside
        // the prefix is ever deleted on this user's behalf.
        let key: String
        do {
            key = try host.putBlob("avatars/\(userID)/", bytes: bytes, contentType: type)
        } catch {
            request.log(.error, "cannot store the avatar of user \(userID): \(error)")
            throw error.status == .unavailable ? HTTPError.unavailable() : HTTPError.internalError
        }
        let saved: SetAvatarOutput
        do {
            saved = try host.dispatchCommand(
                "profiles.set_avatar",
                payload: SetAvatarInput(userId: userID, handle: account.handle, avatarKey: key),
                as: SetAvatarOutput.self
            )
        } catch {
            discardUnused(key, of: userID, request)
            throw error
        }
        profileChanged(userID, request)
        // Only now that the new key has committed: the old file may go.
        if let previous = saved.previousAvatarKey, previous != key {
            do {
                try host.deleteBlob(previous)
            } catch {
                request.log(.warning, "cannot delete the replaced avatar '\(previous)': \(error)")
            }
        }
        return try meResponse(account: account, profile: saved.profile)
    }

    /// The bytes of the form's `avatar` part (the host has parsed the form and refused malformed ones), or 422/413.
    private func avatarFile(_ request: Request) throws -> [UInt8] {
        let parts = request.multipartParts(named: "avatar")
        guard parts.count <= 1 else { throw HTTPError.unprocessable(fields: ["avatar": "must be sent once"]) }
        guard let part = parts.first else {
            throw HTTPError.unprocessable(fields: ["avatar": "is required: send the file in a form part named 'avatar'"])
        }
        let maxBytes = settings.avatarMaxBytes
        guard part.size <= maxBytes else {
            throw HTTPError(
                status: 413,
                code: "payload_too_large",
                message: "The file is larger than \(maxBytes) bytes.",
                details: ["avatar": "must be at most \(maxBytes) bytes"]
            )
        }
        guard part.size > 0 else { throw HTTPError.unprocessable(fields: ["avatar": "is empty"]) }
        return try part.bytes()
    }

    /// Deletes a blob just stored for an avatar that did not get saved, unless it is the avatar anyway (the same image
    /// as before: content-addressed names make it the same file). When that cannot be told, the file stays.
    private func discardUnused(_ key: String, of userID: UserID, _ request: Request) {
        guard let current = try? profile(userID), current.avatarKey != key else { return }
        do {
            try host.deleteBlob(key)
        } catch {
            request.log(.warning, "cannot delete the unused avatar '\(key)': \(error)")
        }
    }
}
