import AuthContract
import ImageAppPlugin
import ImageProcessing
import ProfilesContract

extension ProfilesPlugin {
    /// `PUT /api/v1/me/avatar`.
    func registerAvatarRoute(_ registrar: PluginRegistrar) throws {
        let limits = settings.avatarIntake
        let size = settings.avatarProcessing.largeSize
        let smallSize = settings.avatarProcessing.smallSize
        try registrar.multipartRoute(
            .put,
            "/api/v1/me/avatar",
            flags: .requireUser,
            summary: "Sets your avatar",
            description: "Send `multipart/form-data` with the image in a file part named `avatar`: a JPEG, PNG, WebP "
                + "or GIF (HEIC and AVIF too) of at most \(settings.avatarMaxBytes) bytes. The type is told from the "
                + "file's content, whatever its name or declared type: anything else is refused with 415 "
                + "`unsupported_media_type`, a larger file with 413 `payload_too_large`, a missing or empty part with "
                + "422. An image over \(limits.maxPixels) pixels or \(limits.maxSide) px on a side is 422 "
                + "`image_too_large` (told from its header, before decoding); a truncated or corrupt one 422 "
                + "`invalid_image`. The image is processed before the answer, like post media: orientation applied, "
                + "converted to sRGB, every metadata field but the colour profile removed (GPS included), then cut "
                + "into squares from the centre, \(size) px (`avatar_url`) and \(smallSize) px (`avatar_small_url`), "
                + "never upscaled (a smaller image gives squares of its short side); an animated GIF keeps its first "
                + "frame. The upload itself is not kept. When every processing slot is taken the answer is 503 "
                + "`server_busy` with `Retry-After`. The previous avatar is deleted. Answers like `GET /api/v1/me`.",
            tag: "profiles",
            requestSchema: """
                {"type":"object","required":["avatar"],"properties":{"avatar":{"type":"string",\
                "contentMediaType":"image/*","description":"a JPEG, PNG, WebP, GIF, HEIC or AVIF file"}}}
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
        let processing = settings.avatarProcessing
        // Refused or processed before anything is looked up or stored; the upload itself is never stored.
        let image = try avatars.process(bytes, options: processing, log: request.log).image
        let account = try self.account(userID)

        // Fresh names under the user's own prefix: nothing outside it is ever deleted on this user's behalf, and no
        // blob is shared with an earlier avatar, so the replaced ones can all go.
        let keys = try avatars.storeVariants(of: image, as: processing.format, in: "avatars/\(userID)", log: request.log)
        let saved: SetAvatarOutput
        do {
            saved = try host.dispatchCommand(
                "profiles.set_avatar",
                payload: SetAvatarInput(userId: userID, handle: account.handle, avatarKey: keys.large, avatarSmallKey: keys.small),
                as: SetAvatarOutput.self
            )
        } catch {
            avatars.discard([keys.large, keys.small], log: request.log)
            throw error
        }
        profileChanged(userID, request)
        // Only now that the new keys have committed: the old files may go.
        avatars.discard(saved.previousAvatarKeys, log: request.log)
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
}
