import PluginCrypto

/// A bearer secret (session token, email verification or password reset token): 32 random bytes shown to the
/// client once as base64url text and stored only as their SHA-256, so a copy of the database opens nothing.
struct SecretToken: Sendable {
    /// What the client holds.
    let text: String
    /// What the server stores and looks up.
    let hash: [UInt8]

    /// A new random token.
    static func generate() -> SecretToken {
        let bytes = SecureRandom.bytes(32)
        return SecretToken(text: Base64URL.encode(bytes), hash: SHA256Digest.hash(bytes))
    }

    /// A token a client presented; `nil` unless it is 32 bytes of canonical base64url, so junk never reaches the
    /// database.
    static func parse(_ text: some StringProtocol) -> SecretToken? {
        guard text.utf8.count == 43, let bytes = Base64URL.decode(text), bytes.count == 32 else { return nil }
        return SecretToken(text: String(text), hash: SHA256Digest.hash(bytes))
    }

    /// The hash as base64url text: how it travels in JSON payloads and Redis keys.
    var hashText: String { Base64URL.encode(hash) }

    /// The CSRF token bound to this session token: derived, so it needs no storage, and one-way, so it reveals
    /// nothing about the session token.
    var csrfToken: String {
        Base64URL.encode(SHA256Digest.hash(Array("image-app csrf v1\u{0}".utf8) + Array(text.utf8)))
    }
}
