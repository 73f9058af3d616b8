/// A statement parameter. Values always travel separately from the SQL text (there is no way
/// to splice them into it), as text, except bytes, which travel in binary.
public enum PostgresValue: Sendable, Equatable {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case bytes([UInt8])

    /// The text form libpq sends, or nil for NULL and bytes.
    var textForm: String? {
        switch self {
        case .null, .bytes: nil
        case .text(let text): text
        case .int(let number): String(number)
        case .double(let number):
            number.isNaN ? "NaN" : number.isInfinite ? (number > 0 ? "Infinity" : "-Infinity") : String(number)
        case .bool(let flag): flag ? "t" : "f"
        }
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
}
