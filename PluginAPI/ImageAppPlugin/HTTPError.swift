/// An error that becomes an HTTP error response: thrown from a handler or middleware, it is sent to the client as
/// `{"error":{"code":"…","message":"…","details":{…}}}` with its status.
///
/// Any other error a handler throws becomes a 500 `internal_error` and is only logged, never sent.
public struct HTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status, 400–599.
    public var status: Int
    /// A stable snake_case code that clients can match on, such as `validation_failed`.
    public var code: String
    /// A human sentence for the client.
    public var message: String
    /// Extra facts; for validation failures, each offending field and what is wrong with it.
    public var details: [String: String]
    /// Extra response header fields, such as `Retry-After`; sent in name order after `Content-Type`.
    public var headers: [String: String]

    /// Creates an error response.
    public init(
        status: Int,
        code: String,
        message: String,
        details: [String: String] = [:],
        headers: [String: String] = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    /// A short form for logs: `422 validation_failed: The request failed validation.`
    public var description: String {
        "\(status) \(code): \(message)"
    }
}

extension HTTPError {
    /// 400: the request is malformed.
    public static func badRequest(
        _ message: String = "The request is malformed.",
        code: String = "bad_request",
        details: [String: String] = [:]
    ) -> HTTPError {
        HTTPError(status: 400, code: code, message: message, details: details)
    }

    /// 400 `invalid_json`: the body is not JSON, or not JSON of the expected shape.
    public static func invalidJSON(
        _ message: String = "The request body is not valid JSON.",
        details: [String: String] = [:]
    ) -> HTTPError {
        HTTPError(status: 400, code: "invalid_json", message: message, details: details)
    }

    /// 401: the request needs an authenticated user.
    public static func unauthorized(
        _ message: String = "Authentication is required.",
        code: String = "unauthorized"
    ) -> HTTPError {
        HTTPError(status: 401, code: code, message: message)
    }

    /// 403: the user may not do this.
    public static func forbidden(
        _ message: String = "You are not allowed to do this.",
        code: String = "forbidden"
    ) -> HTTPError {
        HTTPError(status: 403, code: code, message: message)
    }

    /// 404: there is no such resource.
    public static func notFound(
        _ message: String = "The resource was not found.",
        code: String = "not_found"
    ) -> HTTPError {
        HTTPError(status: 404, code: code, message: message)
    }

    /// 409: the request conflicts with the current state, such as a handle already taken.
    public static func conflict(
        _ message: String = "The request conflicts with the current state.",
        code: String = "conflict",
        details: [String: String] = [:]
    ) -> HTTPError {
        HTTPError(status: 409, code: code, message: message, details: details)
    }

    /// 422 `validation_failed`: well-formed input that breaks a rule.
    ///
    /// - Parameter fields: Each offending field (snake_case) and what is wrong with it.
    public static func unprocessable(
        fields: [String: String],
        message: String = "The request failed validation."
    ) -> HTTPError {
        HTTPError(status: 422, code: "validation_failed", message: message, details: fields)
    }

    /// 503 `unavailable` with `Retry-After`: a dependency such as the database is down, or a transient failure
    /// outlasted the host's retries. What ``PluginHost/dispatchCommand(_:json:)`` throws for `IA_ERR_UNAVAILABLE`.
    ///
    /// - Parameter retryAfterSeconds: The `Retry-After` value; `nil` leaves the header out.
    public static func unavailable(
        _ message: String = "The service is temporarily unavailable; try again later.",
        retryAfterSeconds: Int? = 1
    ) -> HTTPError {
        HTTPError(
            status: 503,
            code: "unavailable",
            message: message,
            headers: retryAfterSeconds.map { ["Retry-After": String($0)] } ?? [:]
        )
    }

    /// 500 `internal_error`, the only thing a client learns about an unexpected failure.
    public static var internalError: HTTPError {
        HTTPError(status: 500, code: "internal_error", message: "An internal error occurred.")
    }
}
