/// A statement parameter (`$1`, `$2`, …) for ``Database/execute(_:_:)``; values never become part of the SQL text.
///
/// Text is what PostgreSQL converts to the parameter's type, so numbers and booleans travel as text: write
/// `[42, true, "name", nil]` with literals, or ``int(_:)`` and ``bool(_:)`` for variables. Give PostgreSQL a cast
/// (`$1::int8`) where it cannot infer the type from the statement.
public enum DatabaseValue: Hashable, Sendable {
    /// SQL `NULL` (`IA_DB_NULL`).
    case null
    /// UTF-8 text that PostgreSQL converts to the parameter's type, such as `"42"` or `"t"` (`IA_DB_TEXT`).
    case text(String)
    /// Raw bytes sent in binary, for a `bytea` parameter (`IA_DB_BYTES`).
    case bytes([UInt8])

    /// An integer, sent as its decimal text.
    public static func int(_ value: some BinaryInteger) -> DatabaseValue {
        .text(String(value))
    }

    /// A boolean, sent as `true` or `false`.
    public static func bool(_ value: Bool) -> DatabaseValue {
        .text(value ? "true" : "false")
    }
}

extension DatabaseValue: ExpressibleByStringLiteral {
    /// A string literal is sent as text.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension DatabaseValue: ExpressibleByIntegerLiteral {
    /// An integer literal is sent as its decimal text.
    public init(integerLiteral value: Int64) {
        self = .int(value)
    }
}

extension DatabaseValue: ExpressibleByBooleanLiteral {
    /// A boolean literal is sent as `true` or `false`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension DatabaseValue: ExpressibleByNilLiteral {
    /// `nil` is ``null``.
    public init(nilLiteral: ()) {
        self = .null
    }
}
