import ImageAppPlugin

/// How a client holds its session: a cookie (browsers) or a bearer token in the response body (API clients).
enum SessionMode: String, Decodable, Sendable {
    case cookie
    case token

    /// The mode a login or registration asked for in its `session` field; otherwise `cookie` for a request that a
    /// browser sent (it carries `Origin` or `Sec-Fetch-Site`, which scripts cannot forge or remove) and `token` for
    /// everything else.
    static func choose(_ requested: SessionMode?, for request: Request) -> SessionMode {
        if let requested { return requested }
        return request.header("Origin") != nil || request.header("Sec-Fetch-Site") != nil ? .cookie : .token
    }
}
