import CImageAppPlugin

extension Request {
    /// Whether the current middleware or handler may block (it runs on a worker thread).
    ///
    /// `false` only on the non-blocking fast path: a ``RouteFlags/nonblocking`` route whose middleware are all
    /// ``MiddlewareFlags/nonblocking``, run on an event loop. There, a step that finds it must block after all
    /// (a cache miss) returns ``MiddlewareResult/wouldBlock`` or throws ``WouldBlock`` and is run again on a worker
    /// thread. A host older than ABI 1.7 has no fast-path re-run, so this is `true` there: register steps as
    /// non-blocking only when ``PluginHost/supportsWouldBlock`` says so.
    public var canBlock: Bool {
        guard api.has(\.request_can_block), let canBlock = api.pointee.request_can_block else { return true }
        return canBlock(handle) != 0
    }
}

extension PluginHost {
    /// Whether the host re-runs a non-blocking step that answers ``WouldBlock`` on a worker thread (ABI 1.7).
    public var supportsWouldBlock: Bool {
        has(\.request_can_block)
    }
}

/// Thrown by a ``RouteFlags/nonblocking`` route handler that finds it must block after all, before it has answered:
/// the host calls it again on a worker thread, where ``Request/canBlock`` is `true` (ABI 1.7).
public struct WouldBlock: Error, Sendable {
    public init() {}
}
