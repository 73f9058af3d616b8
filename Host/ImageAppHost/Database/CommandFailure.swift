/// A refusal recorded with `command_fail`.
struct CommandFailure: Sendable, Equatable {
    var status: Int32
    var code: String
    var message: String
    /// A JSON object (validated), `{}` when none was given.
    var details: String = "{}"

    /// The product's error shape.
    var json: String {
        "{\"error\":{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message)),\"details\":\(details)}}"
    }
}
