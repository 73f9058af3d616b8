import ImageAppPlugin
import PluginCrypto

extension AuthPlugin {
    /// The command behind the plugin's signing keys.
    func registerKeyData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("auth.signing_key", signingKey)
    }

    /// `{"name"}` → `{"key"}` (base64url): the secret key called `name`, made of 32 bytes from the CSPRNG the first time
    /// it is asked for. Instances racing to make it all end up with the one that committed first.
    private func signingKey(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var name: String }
        struct Output: Encodable { var key: String }
        let input = try command.decodePayload(Input.self)
        try command.db.execute(
            "INSERT INTO auth_signing_keys (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            [.text(input.name), .bytes(SecureRandom.bytes(32))]
        )
        guard
            let secret = try command.db.execute("SELECT secret FROM auth_signing_keys WHERE name = $1", [.text(input.name)])
                .first?.bytes("secret")
        else {
            throw DatabaseError(status: .internal, message: "signing key \(input.name) is missing after its insert")
        }
        return try .ok(Output(key: Base64URL.encode(secret)))
    }
}
