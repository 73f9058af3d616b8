import AuthContract
import ProfilesContract

/// The JSON shapes that cross this plugin's commands, queries and events (snake_case on the wire).

/// The payload of `profiles.create`.
struct CreateInput: Codable, Sendable {
    var userId: UserID
    var displayName: String?
    /// For the `user.profile_updated` raised when the name fills in a row an earlier edit made.
    var handle: String?
}

/// The payload of `profiles.update`: for each field, absent (`nil`) or a value, where `display_name` and `bio` may
/// be `null`.
struct UpdateInput: Codable, Sendable {
    var userId: UserID
    var handle: String
    var displayName: String??
    var bio: String??

    init(userId: UserID, handle: String, update: ProfileUpdate) {
        self.userId = userId
        self.handle = handle
        self.displayName = update.displayName
        self.bio = update.bio.map { .some($0) }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userId = try container.decode(UserID.self, forKey: .userId)
        handle = try container.decode(String.self, forKey: .handle)
        displayName = try Self.field(.displayName, in: container)
        bio = try Self.field(.bio, in: container)
    }

    // Absent fields are left out and `null` ones written, so that the command can tell them apart.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(handle, forKey: .handle)
        if let displayName { try container.encode(displayName, forKey: .displayName) }
        if let bio { try container.encode(bio, forKey: .bio) }
    }

    /// Absent, `null` or a string.
    private static func field(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> String?? {
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .some(nil) }
        return .some(try container.decode(String.self, forKey: key))
    }

    private enum CodingKeys: String, CodingKey {
        case userId, handle, displayName, bio
    }
}

/// The payload of `profiles.set_avatar`: the blobs of the new avatar's two squares.
struct SetAvatarInput: Codable, Sendable {
    var userId: UserID
    var handle: String
    var avatarKey: String
    var avatarSmallKey: String
    /// For an avatar stored before processing: the command applies only while that is still the user's avatar.
    var replacing: String? = nil
}

/// The payload of `profiles.clear_legacy_avatar`.
struct ClearLegacyAvatarInput: Codable, Sendable {
    var userId: UserID
    var handle: String
    var avatarKey: String
}

/// One avatar stored before avatars were processed.
struct LegacyAvatar: Codable, Sendable {
    var userId: UserID
    var avatarKey: String
}

/// The result of `profiles.legacy_avatars`.
struct LegacyAvatars: Codable, Sendable {
    var items: [LegacyAvatar]
}

/// The result of `profiles.set_avatar`.
struct SetAvatarOutput: Codable, Sendable {
    /// The blobs of the avatar it replaced (none, one or two), to delete once the command has committed.
    var previousAvatarKeys: [String]
    var profile: StoredProfile
}

/// The result of `profiles.delete`.
struct DeleteOutput: Codable, Sendable {
    /// The blobs of the deleted avatar (none, one or two).
    var avatarKeys: [String]
}
