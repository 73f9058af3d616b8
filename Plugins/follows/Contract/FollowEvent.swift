public import AuthContract

/// The payload of ``FollowsEvent/created`` and ``FollowsEvent/deleted``: `{"follower_id", "followee_id"}`.
public struct FollowEvent: Codable, Hashable, Sendable {
    /// Who follows (or followed).
    public var followerId: UserID
    /// Whom.
    public var followeeId: UserID

    /// The follow of `followeeId` by `followerId`.
    public init(followerId: UserID, followeeId: UserID) {
        self.followerId = followerId
        self.followeeId = followeeId
    }
}
