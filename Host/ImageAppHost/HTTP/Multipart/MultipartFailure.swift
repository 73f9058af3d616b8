import Hummingbird

/// Why a multipart body was refused, and the answer the client gets.
enum MultipartFailure: Error, Equatable {
    /// The request is not `multipart/form-data`: 415.
    case unsupportedMediaType
    /// The body or its Content-Type is not well-formed multipart: 400 `invalid_multipart`.
    case malformed(String)
    /// A limit was passed: 413 `payload_too_large`, `details.limit` naming it.
    case tooLarge(limit: String, maximum: Int)
    /// A spooled part could not be written: 500 (logged by the caller).
    case storage(String)

    var response: Response {
        switch self {
        case .unsupportedMediaType:
            ErrorResponse.make(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                message: "This route takes a multipart/form-data body.",
                details: ["content_type": "must be multipart/form-data"]
            )
        case .malformed(let message):
            // `invalid_multipart`, like `invalid_json`: the code profiles answered before the host parsed forms.
            ErrorResponse.make(.badRequest, code: "invalid_multipart", message: message)
        case .tooLarge(let limit, let maximum):
            ErrorResponse.make(
                .contentTooLarge,
                code: "payload_too_large",
                message: Self.describe(limit, maximum),
                details: ["limit": limit, "maximum": String(maximum)]
            )
        case .storage:
            ErrorResponse.internalError
        }
    }

    private static func describe(_ limit: String, _ maximum: Int) -> String {
        switch limit {
        case "parts": "The form has more than \(maximum) parts."
        case "part_bytes": "A part of the form is larger than \(maximum) bytes."
        default: "The request body is larger than \(maximum) bytes."
        }
    }
}
