import CImageAppPlugin

extension Request {
    /// Whether the host lets middleware answer ``MiddlewareResult/pending`` (ABI 1.11).
    public var canResume: Bool { api.has(\.request_resume) }

    /// The request, to hand to the asynchronous work a middleware starts before it returns
    /// ``MiddlewareResult/pending``; that work calls ``SuspendedRequest/resume(_:)`` once it knows the outcome.
    public func suspended() -> SuspendedRequest {
        SuspendedRequest(request: self)
    }

    fileprivate func resume(_ result: MiddlewareResult) {
        guard canResume, let resume = api.pointee.request_resume else { return }
        switch result {
        case .next:
            _ = resume(handle, IA_OK)
        case .respond(let response):
            _ = resume(handle, send(response) ? IA_DONE : IA_ERR_INTERNAL)
        case .pending, .wouldBlock:
            log(.error, "resume(\(result)) is not an outcome; answering 500")
            _ = resume(handle, IA_ERR_INTERNAL)
        }
    }

    /// The matched route's metadata value for `key` (ABI 1.11: `metadata:` when the route was registered), or `nil`.
    public func routeMetadata(_ key: String) -> String? {
        guard api.has(\.request_route_metadata), let slot = api.pointee.request_route_metadata else { return nil }
        var value = ia_str()
        let status = key.withIAStr { slot(handle, $0, &value) }
        return status == IA_OK ? value.string : nil
    }
}

/// A request whose middleware answers ``MiddlewareResult/pending`` (ABI 1.11), carried by the asynchronous work that
/// will decide it, such as a ``PluginHost/redisAsync(_:completion:)`` completion.
///
/// `@unchecked Sendable`: from the moment the middleware returns `.pending` until ``resume(_:)``, the work holding
/// this is the request's only user, on whichever thread it runs; the host synchronises the hand-over.
public struct SuspendedRequest: @unchecked Sendable {
    /// The request: read it and add response headers before resuming, never after.
    public let request: Request

    /// Goes on with the request: ``MiddlewareResult/next`` runs the next step, ``MiddlewareResult/respond(_:)``
    /// answers and stops the chain. Call exactly once, from any thread. Does nothing when the host has answered
    /// already (its request timeout).
    public func resume(_ result: MiddlewareResult) {
        request.resume(result)
    }
}
