/// A user's ID: 64-bit and positive, written in JSON as a **string** (docs/API.md, "IDs": JavaScript loses
/// precision above 2^53).
///
/// Decoding also takes a JSON number, so that an event or a result from a plugin that writes numbers still works.
/// `auth` has always written strings into its events, so rows already in the outbox decode either way.
public struct UserID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The ID.
    public let value: Int64

    /// Wraps an ID.
    public init(_ value: Int64) {
        self.value = value
    }

    /// The ID in `text` (decimal digits, as the database and JSON write it); `nil` for anything else or a value that
    /// is not positive.
    public init?(_ text: some StringProtocol) {
        guard let value = Int64(text), value > 0 else { return nil }
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value: Int64?
        if let text = try? container.decode(String.self) {
            value = Int64(text)
        } else {
            value = try container.decode(Int64.self)
        }
        guard let value, value > 0 else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a user ID must be a positive 64-bit integer"
            )
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }

    public static func < (lhs: UserID, rhs: UserID) -> Bool { lhs.value < rhs.value }

    /// The decimal text.
    public var description: String { String(value) }
}
