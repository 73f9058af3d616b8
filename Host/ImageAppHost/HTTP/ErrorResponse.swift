import HTTPTypes
import Hummingbird
import NIOCore

/// Responses in the product's error shape: `{"error": {"code", "message", "details"}}`.
enum ErrorResponse {
    static func make(
        _ status: HTTPResponse.Status,
        code: String,
        message: String,
        details: [String: String] = [:],
        headers: HTTPFields = [:]
    ) -> Response {
        let detailsJSON = "{" + details.keys.sorted().map { JSONText.quote($0) + ":" + JSONText.quote(details[$0]!) }.joined(separator: ",") + "}"
        let body = "{\"error\":{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message)),\"details\":\(detailsJSON)}}"
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static var notFound: Response { make(.notFound, code: "not_found", message: "No route matches this path.") }

    static func methodNotAllowed(_ allowed: [String]) -> Response {
        make(
            .methodNotAllowed,
            code: "method_not_allowed",
            message: "This path does not accept this method.",
            details: ["allowed": allowed.joined(separator: ", ")],
            headers: [.allow: allowed.joined(separator: ", ")]
        )
    }

    static func payloadTooLarge(limit: Int) -> Response {
        make(
            .contentTooLarge,
            code: "payload_too_large",
            message: "The request body is larger than this route accepts.",
            details: ["limit_bytes": String(limit)]
        )
    }

    static var internalError: Response {
        make(.internalServerError, code: "internal_error", message: "An internal error occurred.")
    }

    static var timeout: Response {
        make(.gatewayTimeout, code: "timeout", message: "The request took too long to handle.")
    }

    static var busy: Response {
        make(.serviceUnavailable, code: "server_busy", message: "The server is busy; try again shortly.", headers: [.retryAfter: "1"])
    }

    static var unauthorized: Response {
        make(.unauthorized, code: "unauthorized", message: "Authentication is required.")
    }

    static var forbidden: Response {
        make(.forbidden, code: "forbidden", message: "You are not allowed to do this.")
    }
}
