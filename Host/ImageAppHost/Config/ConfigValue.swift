import TOMLKit

/// A configuration value, detached from the TOML parser so the rest of the host (and the plugin
/// settings API) works on plain Swift values.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    /// Keys in sorted order (the TOML library does not keep file order).
    case table([String: ConfigValue])

    /// Converts a parsed TOML value. Dates and times become their TOML text.
    init(toml value: any TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .int(Int64(value.int ?? 0))
        case .double: self = .double(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        case .array:
            self = .array((value.array ?? TOMLArray()).map { ConfigValue(toml: $0) })
        case .table:
            var result: [String: ConfigValue] = [:]
            if let table = value.table {
                for key in table.keys {
                    if let child = table[key] { result[key] = ConfigValue(toml: child) }
                }
            }
            self = .table(result)
        default:
            self = .string(value.tomlValue.debugDescription)
        }
    }

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
