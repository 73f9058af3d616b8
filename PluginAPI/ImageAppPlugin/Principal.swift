/// The authenticated caller of a request, set by authentication middleware.
public struct Principal: Hashable, Sendable {
    /// The user's ID.
    public var userID: Int64
    /// The user's handle.
    public var handle: String
    /// The user's role: `"user"` or `"admin"`.
    public var role: String

    /// Creates a principal.
    public init(userID: Int64, handle: String, role: String = "user") {
        self.userID = userID
        self.handle = handle
        self.role = role
    }

    /// Whether the role is `admin`.
    public var isAdmin: Bool { role == "admin" }
}
