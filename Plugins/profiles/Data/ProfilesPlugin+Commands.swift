import AuthContract
import ImageAppPlugin
import PluginSupport
import ProfilesContract

extension ProfilesPlugin {
    /// Query `profiles.get` and commands `profiles.create`, `.update`, `.set_avatar` and `.delete`.
    ///
    /// The commands run SERIALIZABLE: a profile write and a concurrent `profiles.delete` then cannot both commit
    /// without one seeing the other (the host retries the loser), so a deleted user's profile never comes back.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.query(ProfilesQuery.get, get)
        try registrar.query(ProfilesQuery.summaries, summaries)
        try registrar.dataCommand("profiles.create", serializable: true, create)
        try registrar.dataCommand("profiles.update", serializable: true, update)
        try registrar.dataCommand("profiles.set_avatar", serializable: true, setAvatar)
        try registrar.dataCommand("profiles.delete", serializable: true, delete)
        try registrar.dataCommand("profiles.clear_legacy_avatar", serializable: true, clearLegacyAvatar)
        try registrar.query("profiles.legacy_avatars", legacyAvatars)
    }

    /// `{"user_id"}` → the profile with its `avatar_url`; the defaults when the user has no row (yet, or any more).
    private func get(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(UserRef.self)
        let rows = try query.db.execute(
            "SELECT \(StoredProfile.columns) FROM profiles WHERE user_id = $1",
            [.int(input.userId.value)]
        )
        return try .ok(StoredProfile(userId: input.userId, row: rows.first).withAvatarURL(query.host))
    }

    /// `{"user_id", "display_name"?, "handle"?}` from `user.registered` → `{"created": bool}`. Creates the row, or, when
    /// an edit made it first without choosing a display name, fills in the registration's name (raising
    /// `user.profile_updated`); does nothing for a deleted user. The name is made to fit the rules, not refused.
    private func create(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(CreateInput.self)
        let name = ProfileRules.displayNameFitting(input.displayName)
        let rows = try command.db.execute(
            """
            INSERT INTO profiles AS p (user_id, display_name)
            SELECT $1::bigint, $2::text
            WHERE NOT EXISTS (SELECT 1 FROM profiles_deleted_users WHERE user_id = $1::bigint)
            ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = now()
                WHERE NOT p.display_name_chosen AND p.display_name IS NULL AND EXCLUDED.display_name IS NOT NULL
            RETURNING (xmax = 0) AS inserted, \(StoredProfile.columns)
            """,
            [.int(input.userId.value), name.map(DatabaseValue.text) ?? .null]
        )
        guard let row = rows.first else { return try .ok(["created": false]) }
        if row["inserted"] != "t", let handle = input.handle {
            var stored = StoredProfile(userId: input.userId, row: row)
            stored.displayName = name
            try command.raise(ProfilesEvent.profileUpdated, payload: ProfileUpdated(try stored.withAvatarURL(command.host), handle: handle))
        }
        return try .ok(["created": row["inserted"] == "t"])
    }

    /// `{"user_id", "handle", "display_name"?, "bio"?}` → the profile. A field that is absent is left as it is;
    /// `display_name` `null` removes the name. Creates the row if needed, and raises `user.profile_updated` when
    /// something visible changed. Refusals: 422 `validation_failed`, 404 `user_not_found` for a deleted user.
    private func update(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UpdateInput.self)
        var problems: [String: String] = [:]
        var displayName: String??
        if let name = input.displayName {
            switch name.map(ProfileRules.displayName) ?? .success(nil) {
            case .success(let checked): displayName = .some(checked)
            case .failure(let problem): problems["display_name"] = problem.message
            }
        }
        var bio: String?
        if let text = input.bio {
            switch ProfileRules.bio(text ?? "") {
            case .success(let checked): bio = checked
            case .failure(let problem): problems["bio"] = problem.message
            }
        }
        guard problems.isEmpty else { throw HTTPError.unprocessable(fields: problems) }

        let profile = try save(input.userId, handle: input.handle, choosingDisplayName: displayName != nil, in: command) { profile in
            if let displayName { profile.displayName = displayName }
            if let bio { profile.bio = bio }
        }
        return try .ok(profile)
    }

    /// `{"user_id", "handle", "avatar_key", "avatar_small_key"}` → `{"previous_avatar_keys", "profile"}`: sets the
    /// avatar's squares and hands back the blobs they replaced, for the caller to delete once this has committed.
    /// Raises `user.profile_updated` when the keys changed. Refusal: 404 `user_not_found` for a deleted user.
    private func setAvatar(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(SetAvatarInput.self)
        let keys = [input.avatarKey, input.avatarSmallKey]
        guard keys.allSatisfy({ (1...512).contains($0.utf8.count) }) else {
            throw HTTPError.unprocessable(fields: ["avatar_key": "must be a blob key"])
        }
        var previous: [String] = []
        // Reprocessing an avatar stored before processing: only while it is still that one.
        let replacing = input.replacing
        let isStill: (StoredProfile) -> Bool = { replacing == nil || ($0.avatarKey == replacing && $0.avatarSmallKey == nil) }
        let profile = try save(input.userId, handle: input.handle, in: command, only: isStill) { profile in
            previous = profile.avatarKeys
            profile.avatarKey = input.avatarKey
            profile.avatarSmallKey = input.avatarSmallKey
        }
        return try .ok(SetAvatarOutput(previousAvatarKeys: previous.filter { !keys.contains($0) }, profile: profile))
    }

    /// ``ClearLegacyAvatarInput`` → ``SetAvatarOutput``: removes an avatar stored before processing that cannot be
    /// processed, if it is still the user's; 409 when it changed meanwhile.
    private func clearLegacyAvatar(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(ClearLegacyAvatarInput.self)
        var previous: [String] = []
        let key = input.avatarKey
        let isStill: (StoredProfile) -> Bool = { $0.avatarKey == key && $0.avatarSmallKey == nil }
        let profile = try save(input.userId, handle: input.handle, in: command, only: isStill) { profile in
            previous = profile.avatarKeys
            profile.avatarKey = nil
        }
        return try .ok(SetAvatarOutput(previousAvatarKeys: previous, profile: profile))
    }

    /// `{}` → ``LegacyAvatars``: up to 20 avatars stored before avatars were processed (one file, no small square).
    private func legacyAvatars(_ query: CommandContext) throws -> CommandResult {
        let rows = try query.db.execute(
            "SELECT user_id::text AS user_id, avatar_key FROM profiles WHERE avatar_key IS NOT NULL AND avatar_small_key IS NULL LIMIT 20"
        )
        return try .ok(
            LegacyAvatars(
                items: rows.compactMap { row in
                    guard let id = row["user_id"].flatMap({ Int64($0) }), let key = row["avatar_key"] else { return nil }
                    return LegacyAvatar(userId: UserID(id), avatarKey: key)
                }
            )
        )
    }

    /// 409: the avatar is no longer the one a job meant to change.
    static let avatarChanged = HTTPError.conflict("The avatar changed meanwhile.", code: "avatar_changed")

    /// `{"user_id"}` from `user.deleted` → `{"avatar_keys"}`: deletes the profile and leaves a tombstone. Repeated, it
    /// answers the same keys again, so that a handler that failed to delete the blobs can try again.
    private func delete(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        let rows = try command.db.execute(
            """
            WITH gone AS (DELETE FROM profiles WHERE user_id = $1::bigint RETURNING avatar_key, avatar_small_key)
            INSERT INTO profiles_deleted_users (user_id, avatar_key, avatar_small_key)
            VALUES ($1::bigint, (SELECT avatar_key FROM gone), (SELECT avatar_small_key FROM gone))
            ON CONFLICT (user_id) DO UPDATE
                SET avatar_key = COALESCE(EXCLUDED.avatar_key, profiles_deleted_users.avatar_key),
                    avatar_small_key = COALESCE(EXCLUDED.avatar_small_key, profiles_deleted_users.avatar_small_key)
            RETURNING avatar_key, avatar_small_key
            """,
            [.int(input.userId.value)]
        )
        let keys = [rows.first?["avatar_key"], rows.first?["avatar_small_key"]].compactMap { $0 }
        return try .ok(DeleteOutput(avatarKeys: keys))
    }

    /// Reads the row (locked) or the defaults, applies `change`, writes the row if it is new or changed, and raises
    /// `user.profile_updated` if what others see changed. Returns the profile with its avatar URL.
    private func save(
        _ userID: UserID,
        handle: String,
        choosingDisplayName: Bool = false,
        in command: CommandContext,
        only condition: (StoredProfile) -> Bool = { _ in true },
        _ change: (inout StoredProfile) -> Void
    ) throws -> StoredProfile {
        let id = DatabaseValue.int(userID.value)
        guard try command.db.execute("SELECT 1 FROM profiles_deleted_users WHERE user_id = $1", [id]).isEmpty else {
            throw HTTPError.notFound("The user does not exist.", code: "user_not_found")
        }
        let row = try command.db.execute(
            "SELECT \(StoredProfile.columns) FROM profiles WHERE user_id = $1 FOR UPDATE",
            [id]
        ).first
        let before = StoredProfile(userId: userID, row: row)
        guard condition(before) else { throw Self.avatarChanged }
        var after = before
        change(&after)
        let values: [DatabaseValue] = [
            id, after.displayName.map(DatabaseValue.text) ?? .null, .text(after.bio),
            after.avatarKey.map(DatabaseValue.text) ?? .null, .bool(choosingDisplayName),
            after.avatarSmallKey.map(DatabaseValue.text) ?? .null,
        ]
        if row == nil {
            // A row even without a visible change, so that this edit wins over a late `user.registered`. ON CONFLICT:
            // when `profiles.create` inserted the row after this transaction's snapshot, PostgreSQL then reports a
            // serialization failure (40001), which the host retries (the retry sees the row), instead of a unique
            // violation, which would end the request with a 500.
            try command.db.execute(
                """
                INSERT INTO profiles (user_id, display_name, bio, avatar_key, display_name_chosen, avatar_small_key)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (user_id) DO NOTHING
                """,
                values
            )
        } else if after.looksDifferent(from: before) || choosingDisplayName {
            try command.db.execute(
                """
                UPDATE profiles SET display_name = $2, bio = $3, avatar_key = $4, avatar_small_key = $6,
                    display_name_chosen = display_name_chosen OR $5, updated_at = now()
                WHERE user_id = $1
                """,
                values
            )
        }
        let profile = try after.withAvatarURL(command.host)
        if after.looksDifferent(from: before) {
            try command.raise(ProfilesEvent.profileUpdated, payload: ProfileUpdated(profile, handle: handle))
        }
        return profile
    }
}
