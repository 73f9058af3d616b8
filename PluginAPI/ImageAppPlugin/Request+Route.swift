import CImageAppPlugin

/// The route the router matched for a request (``Request/route``).
public struct MatchedRoute: Hashable, Sendable {
    /// The path pattern as registered, e.g. `/api/v1/users/{handle}`.
    public var pattern: String
    /// The route's flags.
    public var flags: RouteFlags
    /// The name of the plugin that registered it.
    public var owner: String

    /// Whether the route needs a signed-in caller (``RouteFlags/requireUser`` or ``RouteFlags/requireAdmin``).
    public var needsUser: Bool {
        !flags.isDisjoint(with: [.requireUser, .requireAdmin])
    }
}

extension Request {
    /// The route the router matched (ABI 1.9); `nil` on an older host.
    ///
    /// Middleware should decide on this, never on ``path``: the path is raw, while the router compares literals
    /// percent-decoded, so `/verify%2Demail` reaches the route `/verify-email`.
    public var route: MatchedRoute? {
        guard api.has(\.request_route), let slot = api.pointee.request_route else { return nil }
        var pattern = ia_str()
        var owner = ia_str()
        var flags: UInt32 = 0
        guard slot(handle, &pattern, &flags, &owner) == IA_OK else { return nil }
        return MatchedRoute(pattern: pattern.string, flags: RouteFlags(rawValue: flags), owner: owner.string)
    }
}
