/// What a middleware decided about a request.
public enum MiddlewareResult: Sendable {
    /// Go on with the next middleware, then the handler (`IA_OK`).
    case next
    /// Answer with this response and stop the chain (`IA_DONE`).
    case respond(Response)
}
