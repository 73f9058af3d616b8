/// A configuration value: what the TOML parser produces and the plugin settings API serves.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    /// Keys in sorted order (the TOML library does not keep file order).
    case table([String: ConfigValue])

    /// A word for error messages ("a string", "an integer", ...).
    public var typeDescription: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value at a dotted path inside a table (`"smtp.port"`).
    public func value(atPath path: String) -> ConfigValue? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .table(let table) = current, let next = table[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// JSON text for the value (tables with sorted keys), for `config_json`.
    public var jsonText: String {
        switch self {
        case .string(let s): return JSONText.quote(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .table(let table):
            return "{" + table.keys.sorted().map { JSONText.quote($0) + ":" + table[$0]!.jsonText }.joined(separator: ",")
                + "}"
        }
    }
}
