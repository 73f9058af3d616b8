public import AuthContract

/// A profile as `profiles` keeps it: what ``ProfilesQuery/get`` answers and the commands hand back. A user without a
/// row (the `user.registered` event not handled yet) has the defaults: no display name, an empty bio, no avatar.
public struct StoredProfile: Codable, Hashable, Sendable {
    /// Whose profile it is.
    public var userId: UserID
    /// 1–50 characters on one line, or `nil` when not set.
    public var displayName: String?
    /// At most 500 characters; may be empty.
    public var bio: String
    /// The blob key of the avatar's large square, such as `avatars/42/<random>/large.webp`; for an avatar stored
    /// before avatars were processed, the file as uploaded (`avatars/42/<sha256>.png`).
    public var avatarKey: String?
    /// The blob key of the avatar's small square; `nil` without an avatar or for one stored before avatars were
    /// processed.
    public var avatarSmallKey: String?
    /// The large square's public URL (absolute, or a path on this server), when there is an avatar: the user
    /// summary's `avatar_url`.
    public var avatarUrl: String?
    /// The small square's public URL, for small places (a post's author, a comment); the same as ``avatarUrl`` for an
    /// avatar stored before avatars were processed.
    public var avatarSmallUrl: String?

    /// The defaults for `userId`.
    public init(userId: UserID) {
        self.userId = userId
        self.displayName = nil
        self.bio = ""
        self.avatarKey = nil
        self.avatarSmallKey = nil
        self.avatarUrl = nil
        self.avatarSmallUrl = nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userId = try container.decode(UserID.self, forKey: .userId)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        bio = try container.decodeIfPresent(String.self, forKey: .bio) ?? ""
        avatarKey = try container.decodeIfPresent(String.self, forKey: .avatarKey)
        avatarSmallKey = try container.decodeIfPresent(String.self, forKey: .avatarSmallKey)
        avatarUrl = try container.decodeIfPresent(String.self, forKey: .avatarUrl)
        avatarSmallUrl = try container.decodeIfPresent(String.self, forKey: .avatarSmallUrl)
    }

    // Written out so that absent values are `null` rather than missing keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(bio, forKey: .bio)
        try container.encode(avatarKey, forKey: .avatarKey)
        try container.encode(avatarSmallKey, forKey: .avatarSmallKey)
        try container.encode(avatarUrl, forKey: .avatarUrl)
        try container.encode(avatarSmallUrl, forKey: .avatarSmallUrl)
    }

    private enum CodingKeys: String, CodingKey {
        case userId, displayName, bio, avatarKey, avatarSmallKey, avatarUrl, avatarSmallUrl
    }
}
