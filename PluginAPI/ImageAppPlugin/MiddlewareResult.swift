/// What a middleware decided about a request.
public enum MiddlewareResult: Sendable {
    /// Go on with the next middleware, then the handler (`IA_OK`).
    case next
    /// Answer with this response and stop the chain (`IA_DONE`).
    case respond(Response)
    /// Run this middleware again on a worker thread (`IA_WOULD_BLOCK`, ABI 1.7): return it only when
    /// ``Request/canBlock`` is `false`, before setting anything.
    case wouldBlock
    /// The middleware started something asynchronous (ABI 1.11, such as ``PluginHost/redisAsync(_:completion:)``) and
    /// will call ``Request/resume(_:)`` exactly once, from any thread (`IA_PENDING`).
    case pending
}
