public import AuthContract

/// The payload of ``FollowsQuery/relationship``: `{"viewer_id", "user_id"}`.
public struct RelationshipInput: Codable, Hashable, Sendable {
    /// Who looks.
    public var viewerId: UserID
    /// At whose profile.
    public var userId: UserID

    public init(viewerId: UserID, userId: UserID) {
        self.viewerId = viewerId
        self.userId = userId
    }
}

/// The result of ``FollowsQuery/relationship`` and the `relationship` of a profile: `{"following", "followed_by"}`.
public struct Relationship: Codable, Hashable, Sendable {
    /// The viewer follows the user.
    public var following: Bool
    /// The user follows the viewer.
    public var followedBy: Bool

    public init(following: Bool, followedBy: Bool) {
        self.following = following
        self.followedBy = followedBy
    }
}

/// The payload of ``FollowsQuery/followerIDs``: `{"user_id", "after_id", "limit"}`.
public struct FollowersSlice: Codable, Hashable, Sendable {
    /// Whose followers.
    public var userId: UserID
    /// Followers with a larger id than this; `nil` from the start.
    public var afterId: UserID?
    /// At most this many (1 to ``FollowsLimits/followersPerSlice``).
    public var limit: Int

    public init(userId: UserID, afterId: UserID?, limit: Int) {
        self.userId = userId
        self.afterId = afterId
        self.limit = limit
    }
}

/// The result of ``FollowsQuery/followerIDs``: `{"user_ids"}`, ascending; fewer than asked means the end.
public struct FollowerIDs: Codable, Hashable, Sendable {
    public var userIds: [UserID]

    public init(userIds: [UserID]) {
        self.userIds = userIds
    }
}

/// The result of ``FollowsQuery/followees``: `{"items": [{"user_id", "followers_count", "followed_at"}]}`.
public struct Followees: Codable, Hashable, Sendable {
    /// One followed account.
    public struct Item: Codable, Hashable, Sendable {
        /// The account followed.
        public var userId: UserID
        /// How many follow it.
        public var followersCount: Int64
        /// RFC 3339: when the follow began.
        public var followedAt: String

        public init(userId: UserID, followersCount: Int64, followedAt: String) {
            self.userId = userId
            self.followersCount = followersCount
            self.followedAt = followedAt
        }
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}
