/// What a command needs to open a session: the token's hash (never the token) and where it was opened from.
struct SessionGrant: Codable, Sendable {
    var tokenHash: String
    var userAgent: String
    var ip: String
}
