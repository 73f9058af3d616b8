import ImageAppPlugin

extension ExampleSwiftPlugin {
    /// The `example-swift-tag` middleware: marks every request with the attribute `example.seen = 1`
    /// and, only when the `trust_principal_header` setting is on, takes the caller from an
    /// `X-Example-Principal: ID:HANDLE:ROLE` header. That shows how an authentication middleware
    /// hands a principal to every plugin's handlers; a real one checks a session instead of
    /// believing a header, which is why the setting is off by default.
    func registerTagMiddleware(_ registrar: PluginRegistrar) throws {
        let trustHeader = trustPrincipalHeader
        try registrar.middleware(name: "example-swift-tag", order: 1000, flags: .nonblocking) { request in
            try request.setAttribute("example.seen", "1")
            if trustHeader, let principal = request.header("X-Example-Principal").flatMap(Self.parsePrincipal) {
                try request.setPrincipal(principal)
            }
            return .next
        }
    }

    /// `ID:HANDLE:ROLE`, e.g. `42:ada:admin`.
    static func parsePrincipal(_ text: String) -> Principal? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let id = Int64(parts[0]), !parts[1].isEmpty, parts[2] == "user" || parts[2] == "admin" else {
            return nil
        }
        return Principal(userID: id, handle: String(parts[1]), role: String(parts[2]))
    }
}
