import CImageAppPlugin

/// Options for a middleware (`IA_MIDDLEWARE_*`).
public struct MiddlewareFlags: OptionSet, Hashable, Sendable {
    /// The raw `IA_MIDDLEWARE_*` bits.
    public var rawValue: UInt32

    /// Wraps raw `IA_MIDDLEWARE_*` bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The middleware never blocks, which lets nonblocking routes run inline (`IA_MIDDLEWARE_NONBLOCKING`).
    public static var nonblocking: Self { Self(rawValue: IA_MIDDLEWARE_NONBLOCKING) }

    /// The middleware reads the request body (``Request/body``), so the host reads the body before it runs. Without
    /// it (on hosts since ABI 1.10) the middleware runs before the body is read and sees it empty, which lets the
    /// host refuse a caller a route's ``RouteFlags/requireUser`` turns away without taking in their upload. An
    /// SDK-side option: the registrar sets `IA_MIDDLEWARE_BEFORE_BODY` on middleware without it.
    public static var readsBody: Self { Self(rawValue: 1 << 31) }
}
