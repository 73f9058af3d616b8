import CImageAppPlugin

/// Options for a route (`IA_ROUTE_*`).
public struct RouteFlags: OptionSet, Hashable, Sendable {
    /// The raw `IA_ROUTE_*` bits.
    public var rawValue: UInt32

    /// Wraps raw `IA_ROUTE_*` bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The handler never blocks, so the host may run it on an event loop (`IA_ROUTE_NONBLOCKING`).
    public static var nonblocking: Self { Self(rawValue: IA_ROUTE_NONBLOCKING) }
    /// The host answers 401 unless middleware set a principal (`IA_ROUTE_REQUIRE_USER`).
    public static var requireUser: Self { Self(rawValue: IA_ROUTE_REQUIRE_USER) }
    /// The host answers 401 or 403 unless the principal is an admin (`IA_ROUTE_REQUIRE_ADMIN`).
    public static var requireAdmin: Self { Self(rawValue: IA_ROUTE_REQUIRE_ADMIN) }
    /// The route is left out of the OpenAPI document (`IA_ROUTE_HIDDEN`).
    public static var hidden: Self { Self(rawValue: IA_ROUTE_HIDDEN) }
}
