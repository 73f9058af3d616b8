import PluginCrypto

/// What a device cookie says (OWASP's "device cookies"): the account a browser or API client signed in to, and a
/// random nonce that names that device, signed with the plugin's key so that no one can make one up.
///
/// Text form: `v1.<user id>.<nonce>.<mac>`, the nonce 16 random bytes and the mac the HMAC-SHA-256 of the version, the
/// id and the nonce, both in base64url. Nothing is stored: the signature is the proof that this server issued it.
struct DeviceCookie: Hashable, Sendable {
    /// The account it was issued for, as text.
    var userID: String
    /// The device's random name (base64url).
    var nonce: String

    /// A new device of `userID`, with a fresh nonce.
    static func generate(for userID: String) -> DeviceCookie {
        DeviceCookie(userID: userID, nonce: Base64URL.encode(SecureRandom.bytes(16)))
    }

    /// The cookie's value, signed with `key`.
    func text(key: [UInt8]) -> String {
        "v1.\(userID).\(nonce).\(Base64URL.encode(code(key)))"
    }

    /// The parts of a presented value and the signature it claims, or `nil` unless it has the shape of one (so junk
    /// costs no HMAC). The signature is not checked here: see ``isSigned(with:key:)``.
    static func parse(_ text: some StringProtocol) -> (cookie: DeviceCookie, signature: [UInt8])? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1",
            (1...19).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            parts[2].utf8.count == 22, Base64URL.decode(parts[2])?.count == 16,
            parts[3].utf8.count == 43, let signature = Base64URL.decode(parts[3]), signature.count == 32
        else { return nil }
        return (DeviceCookie(userID: String(parts[1]), nonce: String(parts[2])), signature)
    }

    /// Whether `signature` is this cookie's under `key`, compared in constant time.
    func isSigned(with signature: [UInt8], key: [UInt8]) -> Bool {
        ConstantTime.equals(signature, code(key))
    }

    /// The key of this device's own login budget.
    var limitKey: String { "device:\(userID):\(nonce)" }

    private func code(_ key: [UInt8]) -> [UInt8] {
        HMACSHA256.code(Array("image-app device v1\u{0}\(userID)\u{0}\(nonce)".utf8), key: key)
    }
}
