/// An HTTP request method.
///
/// A struct rather than an enum so that a method this SDK does not list still round-trips.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token, upper case, such as `GET`.
    public var rawValue: String

    /// Wraps a method token; it is upper-cased.
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    /// `GET`.
    public static var get: Self { Self(rawValue: "GET") }
    /// `HEAD`.
    public static var head: Self { Self(rawValue: "HEAD") }
    /// `POST`.
    public static var post: Self { Self(rawValue: "POST") }
    /// `PUT`.
    public static var put: Self { Self(rawValue: "PUT") }
    /// `PATCH`.
    public static var patch: Self { Self(rawValue: "PATCH") }
    /// `DELETE`.
    public static var delete: Self { Self(rawValue: "DELETE") }
    /// `OPTIONS`.
    public static var options: Self { Self(rawValue: "OPTIONS") }

    /// Whether the method is safe (RFC 9110 §9.2.1: GET, HEAD, OPTIONS, TRACE): it changes nothing, so CSRF
    /// defences leave it alone.
    public var isSafe: Bool {
        ["GET", "HEAD", "OPTIONS", "TRACE"].contains(rawValue)
    }

    /// The method token.
    public var description: String { rawValue }
}
