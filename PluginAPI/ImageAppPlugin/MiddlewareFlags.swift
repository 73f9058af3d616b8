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
}
