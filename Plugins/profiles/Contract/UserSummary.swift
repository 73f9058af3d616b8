public import AuthContract

/// The user summary embedded wherever a person appears (PRODUCT.md, "Resource shapes"): `{"id", "handle",
/// "display_name", "avatar_url"}`, as ``ProfilesQuery/summaries`` answers it.
public struct UserSummary: Codable, Hashable, Sendable {
    /// The user.
    public var id: UserID
    /// Their handle, in the case they chose.
    public var handle: String
    /// `nil` when not set.
    public var displayName: String?
    /// Absolute, or a path on this server; `nil` when there is no avatar.
    public var avatarUrl: String?

    /// A summary with every field given.
    public init(id: UserID, handle: String, displayName: String?, avatarUrl: String?) {
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.avatarUrl = avatarUrl
    }

    // Written out so that absent values are `null` rather than missing keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(handle, forKey: .handle)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(avatarUrl, forKey: .avatarUrl)
    }

    private enum CodingKeys: String, CodingKey {
        case id, handle, displayName, avatarUrl
    }
}

/// The payload of ``ProfilesQuery/summaries``: `{"user_ids"}`, at most ``maxCount``.
public struct UserIDs: Codable, Hashable, Sendable {
    /// The most ids in one query.
    public static let maxCount = 200

    /// The users.
    public var userIds: [UserID]

    /// A payload for `userIds`.
    public init(userIds: [UserID]) {
        self.userIds = userIds
    }
}

/// The result of ``ProfilesQuery/summaries``: `{"items": [user summary]}`.
public struct UserSummaryList: Codable, Hashable, Sendable {
    /// One summary per user asked about who exists and is not banned, in the order asked.
    public var items: [UserSummary]

    /// A list of `items`.
    public init(items: [UserSummary]) {
        self.items = items
    }
}
