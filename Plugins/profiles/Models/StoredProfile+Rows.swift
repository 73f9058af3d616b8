import AuthContract
import ImageAppPlugin
import ProfilesContract

extension StoredProfile {
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
}
