import ImageAppPlugin

/// How a client holds its session: a cookie (browsers) or a bearer token in the response body (API clients).
enum SessionMode: String, Decodable, Sendable {
    case cookie
    case token

    /// The mode a login or registration asked for in its `session` field; otherwise `cookie` for a request that a
    /// browser sent (it carries `Origin` or `Sec-Fetch-Site`, which scripts cannot forge or remove) and `token` for
    /// everything else.
    static func choose(_ requested: SessionMode?, for request: Request) throws(HTTPError) -> SessionMode {
        let mode = requested ?? (request.header("Origin") != nil || request.header("Sec-Fetch-Site") != nil ? .cookie : .token)
        // Login CSRF: a cross-site form can post text/plain or form data, but not application/json without a CORS
        // preflight, so a session cookie is only handed out in answer to JSON.
        if mode == .cookie {
            guard request.mediaType == "application/json" else {
                throw HTTPError(
                    status: 415,
                    code: "unsupported_media_type",
                    message: "A cookie session is only opened for an application/json request."
                )
            }
        }
        return mode
    }
}
