/// A user's ID: 64-bit and positive, written in JSON as a **string** (JavaScript loses precision above 2^53).
///
/// Decoding also takes a JSON number, so that an event or a result from a plugin that writes numbers still works.
struct UserID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ID.
    let value: Int64

    /// Wraps an ID.
    init(_ value: Int64) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }

    /// The decimal text.
    var description: String { String(value) }
}
