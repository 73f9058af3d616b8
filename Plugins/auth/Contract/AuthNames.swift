/// The events `auth` raises (`"<noun>.<past-tense verb>"`); their payloads are the types named in each comment.
public enum AuthEvent {
    /// ``UserRegistered``: an account was created (by registration or `create-admin`).
    public static let userRegistered = "user.registered"
    /// ``UserEvent``: an account was deleted; remove the user's data from your own tables.
    public static let userDeleted = "user.deleted"
    /// ``UserEvent``: an admin banned the user (their sessions are gone).
    public static let userBanned = "user.banned"
    /// ``UserEvent``: an admin lifted the ban.
    public static let userUnbanned = "user.unbanned"
    /// ``UserEvent``: the user confirmed their email address.
    public static let userEmailVerified = "user.email_verified"
    /// ``RoleChanged``: an admin promoted or demoted the user.
    public static let userRoleChanged = "user.role_changed"
    /// ``SessionsEnded``: sessions ended (logout, password change, ban, deletion); evict cached copies.
    public static let sessionsEnded = "auth.sessions_ended"
    /// Every event about a user, for `eventHandler(events:)`.
    public static let anyUserEvent = "user.*"
}

/// The queries `auth` answers for other plugins.
public enum AuthQuery {
    /// ``UserRef`` → ``Account``; 404 `user_not_found`.
    public static let account = "auth.account"
    /// ``HandleRef`` (any case) → ``PublicAccount``; 404 `user_not_found`.
    public static let accountByHandle = "auth.account_by_handle"
    /// ``AccountsLookup`` → ``PublicAccountList``: many accounts at once, by ids or by handles (any case); unknown
    /// ones are left out. At most ``AccountsLookup/maxCount`` of each.
    public static let publicAccounts = "auth.public_accounts"
}

/// The commands `auth` runs for other plugins.
public enum AuthCommand {
    /// ``DeleteAccountInput`` → ``DeletedAccount``; 403 `invalid_password`, 404 `user_not_found`, 429. Raises
    /// ``AuthEvent/userDeleted``.
    public static let deleteAccount = "auth.delete_account"
}

/// The request attributes `auth`'s middleware sets.
public enum AuthAttribute {
    /// The current session's id.
    public static let sessionID = "auth.session_id"
    /// `bearer`, `query` (`?access_token=` on a route in the `query_token_routes` setting) or `cookie`.
    public static let method = "auth.method"
    /// The base64url SHA-256 of the session's token: the key ``SessionsEnded/tokenHashes`` lists when it ends.
    public static let tokenHash = "auth.token_hash"
}
