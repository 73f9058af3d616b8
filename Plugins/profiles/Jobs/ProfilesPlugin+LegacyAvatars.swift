import AuthContract
import ImageAppPlugin
import ImageProcessing
import ProfilesContract

extension ProfilesPlugin {
    /// Avatars stored before avatars went through the media pipeline are one file as uploaded, metadata (GPS
    /// included) and all. A job makes them into squares like new uploads, 20 a run (`legacy_avatar_interval_ms`,
    /// a minute): the old file goes once the new ones are recorded, and one that cannot be processed is removed, so
    /// that no unprocessed upload is served for long.
    func registerLegacyAvatarJob(_ registrar: PluginRegistrar) throws {
        try registrar.job("reprocess-legacy-avatars", every: .milliseconds(settings.legacyAvatarIntervalMilliseconds)) { [self] _ in
            let legacy = try host.dispatchQuery("profiles.legacy_avatars", payload: [String: String](), as: LegacyAvatars.self)
            for avatar in legacy.items {
                guard try reprocess(avatar) else { return }
            }
        }
    }

    /// The job's log: the plugin's.
    private func jobLog(_ level: LogLevel, _ message: String) { host.log(level, message) }

    /// Reprocesses one legacy avatar; `false` when every processing slot is taken (try again next run).
    private func reprocess(_ avatar: LegacyAvatar) throws -> Bool {
        let handle: String
        do {
            handle = try account(avatar.userId).handle
        } catch {
            if error.status == 404 { return true }  // Deleted meanwhile: `user.deleted` takes the avatar.
            throw error
        }
        let image: ProcessedImage
        do {
            guard let bytes = try host.blob(avatar.avatarKey) else { throw HTTPError.notFound() }
            image = try avatars.process(bytes, options: settings.avatarProcessing, log: jobLog).image
        } catch let refusal as HTTPError where refusal.code == "server_busy" {
            return false
        } catch let refusal as HTTPError where refusal.status < 500 {
            host.log(.warning, "removing the avatar of user \(avatar.userId), stored before processing: \(refusal.message)")
            try finish(avatar, keys: nil, handle: handle)
            return true
        }
        let keys = try avatars.storeVariants(of: image, as: settings.avatarProcessing.format, in: "avatars/\(avatar.userId)", log: jobLog)
        try finish(avatar, keys: keys, handle: handle)
        return true
    }

    /// Records the squares (or, with `keys` nil, removes the avatar) if the legacy file is still the user's avatar,
    /// then deletes it; otherwise deletes the new squares.
    private func finish(_ avatar: LegacyAvatar, keys: (large: String, small: String)?, handle: String) throws {
        let saved: SetAvatarOutput
        do {
            if let keys {
                saved = try host.dispatchCommand(
                    "profiles.set_avatar",
                    payload: SetAvatarInput(
                        userId: avatar.userId,
                        handle: handle,
                        avatarKey: keys.large,
                        avatarSmallKey: keys.small,
                        replacing: avatar.avatarKey
                    ),
                    as: SetAvatarOutput.self
                )
            } else {
                saved = try host.dispatchCommand(
                    "profiles.clear_legacy_avatar",
                    payload: ClearLegacyAvatarInput(userId: avatar.userId, handle: handle, avatarKey: avatar.avatarKey),
                    as: SetAvatarOutput.self
                )
            }
        } catch {
            if let keys { avatars.discard([keys.large, keys.small], log: jobLog) }
            if error.code == Self.avatarChanged.code || error.status == 404 { return }
            throw error
        }
        profileChanged(avatar.userId)
        avatars.discard(saved.previousAvatarKeys, log: jobLog)
    }
}
