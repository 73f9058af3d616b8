/// `{"user_id"}`: the payload of ``AuthQuery/account`` and of any query or command about one user.
public struct UserRef: Codable, Hashable, Sendable {
    /// The user.
    public var userId: UserID

    /// A reference to `userId`.
    public init(userId: UserID) {
        self.userId = userId
    }
}

/// `{"handle"}`: the payload of ``AuthQuery/accountByHandle``.
public struct HandleRef: Codable, Hashable, Sendable {
    /// The handle, in any case.
    public var handle: String

    /// A reference to `handle`.
    public init(handle: String) {
        self.handle = handle
    }
}

/// The payload of ``AuthEvent/userRegistered``: `{"user_id", "handle", "display_name"}`.
public struct UserRegistered: Codable, Hashable, Sendable {
    /// The new account.
    public var userId: UserID
    /// Its handle.
    public var handle: String
    /// The display name given at registration; `null` when none was.
    public var displayName: String?

    /// The payload for a new account.
    public init(userId: UserID, handle: String, displayName: String?) {
        self.userId = userId
        self.handle = handle
        self.displayName = displayName
    }

    private enum CodingKeys: String, CodingKey {
        case userId, handle, displayName
    }

    // Written out so that a missing display name reads `"display_name": null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(handle, forKey: .handle)
        try container.encode(displayName, forKey: .displayName)
    }
}

/// The payload of ``AuthEvent/userDeleted``, ``AuthEvent/userBanned``, ``AuthEvent/userUnbanned`` and
/// ``AuthEvent/userEmailVerified``: `{"user_id", "handle"}`.
public struct UserEvent: Codable, Hashable, Sendable {
    /// The user.
    public var userId: UserID
    /// Their handle (after a deletion, the handle they had).
    public var handle: String

    /// The payload about `userId`.
    public init(userId: UserID, handle: String) {
        self.userId = userId
        self.handle = handle
    }
}

/// The payload of ``AuthEvent/userRoleChanged``: `{"user_id", "handle", "role"}`.
public struct RoleChanged: Codable, Hashable, Sendable {
    /// The user.
    public var userId: UserID
    /// Their handle.
    public var handle: String
    /// The new role, `user` or `admin`.
    public var role: String

    /// The payload for `userId`'s new `role`.
    public init(userId: UserID, handle: String, role: String) {
        self.userId = userId
        self.handle = handle
        self.role = role
    }
}

/// The payload of ``AuthEvent/sessionsEnded``: `{"user_id", "token_hashes"}`.
public struct SessionsEnded: Codable, Hashable, Sendable {
    /// Whose sessions ended.
    public var userId: UserID
    /// The base64url SHA-256 of each ended session's token: the keys of cached sessions.
    public var tokenHashes: [String]

    /// The payload for `userId`'s ended sessions.
    public init(userId: UserID, tokenHashes: [String]) {
        self.userId = userId
        self.tokenHashes = tokenHashes
    }
}

/// The payload of ``AuthCommand/deleteAccount``: `{"user_id", "password"}`.
public struct DeleteAccountInput: Codable, Sendable {
    /// The account to delete.
    public var userId: UserID
    /// Its password, as the user typed it: `auth` checks it.
    public var password: String

    /// The request to delete `userId`'s account.
    public init(userId: UserID, password: String) {
        self.userId = userId
        self.password = password
    }
}

/// The result of ``AuthCommand/deleteAccount``.
public struct DeletedAccount: Codable, Sendable {
    /// Always `true`.
    public var deleted: Bool
    /// The handle the account had.
    public var handle: String
    /// The ended sessions' token hashes (as in ``SessionsEnded``).
    public var tokenHashes: [String]
    /// `Set-Cookie` values that remove the session cookies, for the plugin that answers the request: it need not know
    /// their names or attributes.
    public var clearCookies: [String]

    /// The result of a deletion.
    public init(deleted: Bool, handle: String, tokenHashes: [String], clearCookies: [String]) {
        self.deleted = deleted
        self.handle = handle
        self.tokenHashes = tokenHashes
        self.clearCookies = clearCookies
    }
}

/// The payload of ``AuthQuery/publicAccounts``: `{"user_ids"}`, `{"handles"}` or both.
public struct AccountsLookup: Codable, Hashable, Sendable {
    /// The most ids, and the most handles, in one lookup.
    public static let maxCount = 200

    /// Accounts by id.
    public var userIds: [UserID]?
    /// Accounts by handle, in any case.
    public var handles: [String]?

    /// A lookup of `userIds` and `handles`.
    public init(userIds: [UserID]? = nil, handles: [String]? = nil) {
        self.userIds = userIds
        self.handles = handles
    }
}

/// The result of ``AuthQuery/publicAccounts``: `{"items": [account]}`.
public struct PublicAccountList: Codable, Hashable, Sendable {
    /// The accounts found, banned ones included (each says so).
    public var items: [PublicAccount]

    /// A list of `items`.
    public init(items: [PublicAccount]) {
        self.items = items
    }
}
