/// An account as ``AuthQuery/account`` answers it, and as `auth`'s own routes show it to its owner and to admins.
public struct Account: Codable, Hashable, Sendable {
    /// The user's ID.
    public var id: UserID
    /// 3–30 of `[A-Za-z0-9_]`, unique case-insensitively.
    public var handle: String
    /// The email address.
    public var email: String
    /// `user` or `admin`.
    public var role: String
    /// Whether the email address is confirmed.
    public var emailVerified: Bool
    /// RFC 3339.
    public var createdAt: String
    /// Whether an admin banned the account.
    public var banned: Bool
    /// The ban's reason, when banned with one.
    public var banReason: String?
    /// RFC 3339, when banned.
    public var bannedAt: String?

    /// An account with every field given.
    public init(
        id: UserID,
        handle: String,
        email: String,
        role: String,
        emailVerified: Bool,
        createdAt: String,
        banned: Bool,
        banReason: String? = nil,
        bannedAt: String? = nil
    ) {
        self.id = id
        self.handle = handle
        self.email = email
        self.role = role
        self.emailVerified = emailVerified
        self.createdAt = createdAt
        self.banned = banned
        self.banReason = banReason
        self.bannedAt = bannedAt
    }

    /// What anyone may know of the account.
    public var publicAccount: PublicAccount {
        PublicAccount(id: id, handle: handle, role: role, createdAt: createdAt, banned: banned)
    }
}

/// The public part of an account, as ``AuthQuery/accountByHandle`` answers it.
public struct PublicAccount: Codable, Hashable, Sendable {
    /// The user's ID.
    public var id: UserID
    /// The handle, in the case the user chose.
    public var handle: String
    /// `user` or `admin`.
    public var role: String
    /// RFC 3339.
    public var createdAt: String
    /// Whether an admin banned the account (its public profile is hidden then).
    public var banned: Bool

    /// The public part of an account.
    public init(id: UserID, handle: String, role: String, createdAt: String, banned: Bool) {
        self.id = id
        self.handle = handle
        self.role = role
        self.createdAt = createdAt
        self.banned = banned
    }
}
