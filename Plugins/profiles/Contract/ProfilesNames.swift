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
