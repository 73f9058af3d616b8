import ImageAppPlugin

extension ExampleSwiftPlugin {
    /// `GET /api/v1/examples/swift/whoami`: the principal an authentication middleware set, or `null`.
    func registerWhoAmI(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/examples/swift/whoami",
            flags: .nonblocking,
            summary: "Shows the authenticated caller",
            description: "Returns the principal set by authentication middleware, or `null` for an anonymous request.",
            tag: "examples",
            responseSchema: """
                {"type":"object","required":["principal"],"properties":{"principal":{"oneOf":[{"type":"null"},\
                {"type":"object","required":["user_id","handle","role"],"properties":{"user_id":{"type":"string"},\
                "handle":{"type":"string"},"role":{"type":"string","enum":["user","admin"]}}}]}}}
                """,
            handler: whoAmI
        )
        try registrar.route(
            .get,
            "/api/v1/examples/swift/admin",
            flags: [.nonblocking, .requireAdmin],
            summary: "An admin-only route",
            description: "The host answers 401 without a principal and 403 for a non-admin, before the handler runs.",
            tag: "examples",
            responseSchema: #"{"type":"object","required":["admin"],"properties":{"admin":{"type":"string"}}}"#,
            handler: { request in try .json(["admin": request.principal?.handle ?? ""]) }
        )
    }

    private func whoAmI(_ request: Request) throws -> Response {
        try .json(WhoAmIOutput(principal: request.principal.map(PrincipalOutput.init)))
    }
}

private struct WhoAmIOutput: Encodable {
    var principal: PrincipalOutput?

    private enum CodingKeys: String, CodingKey {
        case principal
    }

    // Written out so that an anonymous request gives `"principal": null` rather than `{}`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(principal, forKey: .principal)
    }
}

private struct PrincipalOutput: Encodable {
    /// A string: API IDs are 64-bit and JavaScript loses precision above 2^53.
    var userID: String
    var handle: String
    var role: String

    init(_ principal: Principal) {
        userID = String(principal.userID)
        handle = principal.handle
        role = principal.role
    }
}
