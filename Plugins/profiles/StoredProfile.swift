import ImageAppPlugin

/// A profile as this plugin keeps it: what `profiles.get` answers and the commands hand back. A user without a row
/// (the `user.registered` event not handled yet) has the defaults: no display name, an empty bio, no avatar.
struct StoredProfile: Codable, Hashable, Sendable {
    var userId: UserID
    var displayName: String?
    var bio: String
    /// The blob key of the avatar, such as `avatars/42/<sha256>.png`.
    var avatarKey: String?
    /// The avatar's public URL; filled by ``withAvatarURL(_:)``.
    var avatarUrl: String?

    /// The defaults for `userId`.
    init(userId: UserID) {
        self.userId = userId
        self.displayName = nil
        self.bio = ""
        self.avatarKey = nil
        self.avatarUrl = nil
    }

    /// The profile in `row` (columns `display_name`, `bio`, `avatar_key`), or the defaults when there is none.
    init(userId: UserID, row: Rows.Row?) {
        self.init(userId: userId)
        guard let row else { return }
        displayName = row["display_name"]
        bio = row["bio"] ?? ""
        avatarKey = row["avatar_key"]
    }

    /// Whether what others see differs from `other` (the user ID aside).
    func looksDifferent(from other: StoredProfile) -> Bool {
        displayName != other.displayName || bio != other.bio || avatarKey != other.avatarKey
    }

    /// The profile with ``avatarUrl`` set from ``avatarKey`` by the blob store.
    ///
    /// - Throws: ``PluginError`` when the host cannot make the URL (no blob store).
    func withAvatarURL(_ host: PluginHost) throws(PluginError) -> StoredProfile {
        var profile = self
        profile.avatarUrl = try avatarKey.map { key throws(PluginError) in try host.blobURL(key) }
        return profile
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userId = try container.decode(UserID.self, forKey: .userId)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        bio = try container.decodeIfPresent(String.self, forKey: .bio) ?? ""
        avatarKey = try container.decodeIfPresent(String.self, forKey: .avatarKey)
        avatarUrl = try container.decodeIfPresent(String.self, forKey: .avatarUrl)
    }

    // Written out so that absent values are `null` rather than missing keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(bio, forKey: .bio)
        try container.encode(avatarKey, forKey: .avatarKey)
        try container.encode(avatarUrl, forKey: .avatarUrl)
    }

    private enum CodingKeys: String, CodingKey {
        case userId, displayName, bio, avatarKey, avatarUrl
    }
}
