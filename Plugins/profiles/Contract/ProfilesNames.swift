public import AuthContract

/// The events `profiles` raises.
public enum ProfilesEvent {
    /// ``ProfileUpdated``: something others see of a profile changed (display name, bio or avatar).
    public static let profileUpdated = "user.profile_updated"
}

/// The queries `profiles` answers for other plugins.
public enum ProfilesQuery {
    /// `UserRef` → ``StoredProfile`` (the defaults when the user has no profile row yet).
    public static let get = "profiles.get"
    /// ``UserIDs`` → ``UserSummaryList``: the summaries other plugins embed (a post's author, a comment's). Users who
    /// do not exist or are banned are left out, so that their content can be hidden with them.
    public static let summaries = "profiles.summaries"

    /// The name of the query through which `plugin` adds counts to profiles (list it in `count_queries`): it takes
    /// `{"user_id"}` and answers `{"<name>": integer, ...}`.
    public static func profileCounts(of plugin: String) -> String { "\(plugin).profile_counts" }
}

/// What `profiles` asks of other plugins, and how they tell it that something it shows changed.
public enum ProfilesCollaboration {
    /// The cache tag of everything cached about user `id`: their profile, and what shows their summary (posts).
    /// Profile and account changes invalidate it.
    public static func userTag(_ id: UserID) -> String { "user:\(id)" }

    /// The cache tag of the cached bodies that show user `id`'s `counts` (their profile and `/me`), without what
    /// merely shows their summary: a plugin whose count changed (a new follower) announces this one with
    /// PluginSupport's `GuardedCache.changed(tag:host:)`, so a follow does not drop the user's cached posts.
    public static func countsTag(_ id: UserID) -> String { "user-counts:\(id)" }

    /// The default of the `relationship_query` setting: `{"viewer_id", "user_id"}` → `{"following", "followed_by"}`,
    /// added to a profile as `relationship` for a signed-in viewer looking at someone else.
    public static let relationshipQuery = "follows.relationship"
}
