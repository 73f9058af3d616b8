import AuthContract
import ProfilesContract

/// The body of `GET /api/v1/users/{handle}`: what anyone may see of a user.
struct PublicProfileView: Encodable, Sendable {
    var id: UserID
    var handle: String
    var displayName: String?
    var bio: String
    /// The avatar's large square (the user summary's field).
    var avatarURL: String?
    /// Its small square: an addition to the shared shape, for small places.
    var avatarSmallURL: String?
    var createdAt: String
    var counts: [String: Int64]

    init(account: PublicAccount, profile: StoredProfile, counts: [String: Int64]) {
        id = account.id
        handle = account.handle
        displayName = profile.displayName
        bio = profile.bio
        avatarURL = profile.avatarUrl
        avatarSmallURL = profile.avatarSmallUrl
        createdAt = account.createdAt
        self.counts = counts
    }

    // Written out so that absent values are `null` rather than missing keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(handle, forKey: .handle)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(bio, forKey: .bio)
        try container.encode(avatarURL, forKey: .avatarURL)
        try container.encode(avatarSmallURL, forKey: .avatarSmallURL)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(counts, forKey: .counts)
    }

    private enum CodingKeys: String, CodingKey {
        case id, handle, displayName, bio, avatarURL, avatarSmallURL, createdAt, counts
    }

    /// The `id` of an encoded profile body, without decoding the rest. The body's only `"id":"` is the top-level
    /// key (`counts` has none, and a quote inside a string value is escaped), wherever the encoder put it.
    static func id(in body: [UInt8]) -> UserID? {
        let key = Array("\"id\":\"".utf8)
        guard let start = body.indices.first(where: { body[$0...].starts(with: key) }) else { return nil }
        let digits = body[(start + key.count)...].prefix { (0x30...0x39).contains($0) }
        return Int64(String(decoding: digits, as: UTF8.self)).map(UserID.init)
    }
}
