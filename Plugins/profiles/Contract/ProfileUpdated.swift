public import AuthContract

/// The payload of ``ProfilesEvent/profileUpdated``: everything a plugin that copies author data (a feed, say) needs.
public struct ProfileUpdated: Codable, Hashable, Sendable {
    /// Whose profile changed.
    public var userId: UserID
    /// Their handle.
    public var handle: String
    /// The display name, `nil` when not set.
    public var displayName: String?
    /// The bio; may be empty.
    public var bio: String
    /// The avatar's public URL (its large square), `nil` when there is none.
    public var avatarUrl: String?
    /// The avatar's small square's public URL, `nil` when there is none (see ``StoredProfile/avatarSmallUrl``).
    public var avatarSmallUrl: String?

    /// The payload for `userId`'s profile as it is now.
    public init(
        userId: UserID,
        handle: String,
        displayName: String?,
        bio: String,
        avatarUrl: String?,
        avatarSmallUrl: String? = nil
    ) {
        self.userId = userId
        self.handle = handle
        self.displayName = displayName
        self.bio = bio
        self.avatarUrl = avatarUrl
        self.avatarSmallUrl = avatarSmallUrl
    }

    /// The payload for `profile` (its URLs set), whose user has `handle`.
    public init(_ profile: StoredProfile, handle: String) {
        self.init(
            userId: profile.userId,
            handle: handle,
            displayName: profile.displayName,
            bio: profile.bio,
            avatarUrl: profile.avatarUrl,
            avatarSmallUrl: profile.avatarSmallUrl
        )
    }

    // Written out so that absent values are `null` rather than missing keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(handle, forKey: .handle)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(bio, forKey: .bio)
        try container.encode(avatarUrl, forKey: .avatarUrl)
        try container.encode(avatarSmallUrl, forKey: .avatarSmallUrl)
    }

    private enum CodingKeys: String, CodingKey {
        case userId, handle, displayName, bio, avatarUrl, avatarSmallUrl
    }
}
