/// What a command or query handler hands back to its dispatcher: a JSON result, or none.
///
/// A handler *refuses* by throwing an ``HTTPError`` instead (see ``PluginRegistrar/dataCommand(_:serializable:_:)``).
public struct CommandResult: Hashable, Sendable {
    /// The JSON text handed back, or `nil` for none (the dispatcher then gets `nil`).
    public var json: String?

    /// Wraps JSON text (not checked), or `nil` for no result.
    public init(json: String?) {
        self.json = json
    }

    /// No result.
    public static var none: CommandResult {
        CommandResult(json: nil)
    }

    /// `value` encoded as JSON with snake_case keys and ISO 8601 dates, as ``Response/json(_:status:)`` does.
    ///
    /// - Throws: The encoder's error; thrown out of a handler, it is logged and the command fails as internal.
    public static func ok(_ value: some Encodable) throws -> CommandResult {
        CommandResult(json: try JSONCoding.encode(value))
    }

    /// JSON text that is already encoded (not checked).
    public static func okJSON(_ json: String) -> CommandResult {
        CommandResult(json: json)
    }
}
