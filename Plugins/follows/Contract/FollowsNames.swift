/// The events `follows` raises, through the outbox (delivered if and only if the change committed).
public enum FollowsEvent {
    /// ``FollowEvent``: someone followed someone (not raised again for a repeated `PUT`).
    public static let created = "follow.created"
    /// ``FollowEvent``: someone stopped following someone (by `DELETE`). An account's deletion removes its follows
    /// in both directions without this event: `user.deleted` says it.
    public static let deleted = "follow.deleted"
}

/// The queries `follows` answers for other plugins.
public enum FollowsQuery {
    /// `{"user_id"}` → `{"followers": n, "following": n}`: the counts `profiles` shows (listed in its
    /// `count_queries`).
    public static let profileCounts = "follows.profile_counts"
    /// ``RelationshipInput`` → ``Relationship``: how the viewer and the user relate (listed in profiles'
    /// `relationship_query`).
    public static let relationship = "follows.relationship"
    /// ``FollowersSlice`` → ``FollowerIDs``: a user's followers by ascending follower id, after a given id — for
    /// fan-out, which walks all of them in batches. At most ``FollowsLimits/followersPerSlice`` a call.
    public static let followerIDs = "follows.follower_ids"
    /// ``UserRef`` → ``Followees``: everyone the user follows (at most ``FollowsLimits/maxFollowing``), each with
    /// their follower count, newest follow first — for rebuilding a home feed and pulling large accounts' posts.
    public static let followees = "follows.followees"
}

/// Limits other plugins share.
public enum FollowsLimits {
    /// The most accounts one user may follow (the `max_following` setting's default).
    public static let maxFollowing = 7_500
    /// The most follower ids one ``FollowsQuery/followerIDs`` call answers.
    public static let followersPerSlice = 10_000
}
