import AuthContract
import ProfilesContract

/// The body of `GET /api/v1/me` (and of `PATCH /api/v1/me` and `PUT /api/v1/me/avatar`): the caller's public profile
/// plus what only they see (email, verification, role).
struct MeView: Encodable, Sendable {
    var profile: PublicProfileView
    var email: String?
    var emailVerified: Bool
    var role: String

    init(account: Account, profile: StoredProfile, counts: [String: Int64]) {
        self.profile = PublicProfileView(account: account.publicAccount, profile: profile, counts: counts)
        email = account.email
        emailVerified = account.emailVerified
        role = account.role
    }

    // The public fields, then the private ones in the same object; absent values are `null`, not missing keys.
    func encode(to encoder: any Encoder) throws {
        try profile.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try container.encode(emailVerified, forKey: .emailVerified)
        try container.encode(role, forKey: .role)
    }

    private enum CodingKeys: String, CodingKey {
        case email, emailVerified, role
    }
}
