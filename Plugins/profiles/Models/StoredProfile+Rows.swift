import AuthContract
import ImageAppPlugin
import ProfilesContract

extension StoredProfile {
    /// The columns ``init(userId:row:)`` reads.
    static let columns = "display_name, bio, avatar_key, avatar_small_key"

    /// The profile in `row` (``columns``), or the defaults when there is none.
    init(userId: UserID, row: Rows.Row?) {
        self.init(userId: userId)
        guard let row else { return }
        displayName = row["display_name"]
        bio = row["bio"] ?? ""
        avatarKey = row["avatar_key"]
        avatarSmallKey = row["avatar_small_key"]
    }

    /// The avatar's blobs: none, one (stored before avatars were processed) or two squares.
    var avatarKeys: [String] {
        [avatarKey, avatarSmallKey].compactMap { $0 }
    }

    /// Whether what others see differs from `other` (the user ID aside).
    func looksDifferent(from other: StoredProfile) -> Bool {
        displayName != other.displayName || bio != other.bio || avatarKeys != other.avatarKeys
    }

    /// The profile with ``avatarUrl`` and ``avatarSmallUrl`` set from the keys by the blob store; without a small
    /// key (an avatar stored as uploaded, before avatars were processed), the one file serves both.
    ///
    /// - Throws: ``PluginError`` when the host cannot make the URL (no blob store).
    func withAvatarURL(_ host: PluginHost) throws(PluginError) -> StoredProfile {
        var profile = self
        profile.avatarUrl = try avatarKey.map { key throws(PluginError) in try host.blobURL(key) }
        profile.avatarSmallUrl = try avatarSmallKey.map { key throws(PluginError) in try host.blobURL(key) } ?? profile.avatarUrl
        return profile
    }
}
