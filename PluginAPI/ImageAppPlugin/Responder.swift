import CImageAppPlugin
import Synchronization

/// Finishes the response of a route registered with `PluginRegistrar.pendingRoute`, later and from any thread.
///
/// Only the first ``complete(_:)`` or ``fail(_:)`` counts; later calls do nothing and return `false`. If the last
/// reference to an uncompleted responder goes away, it answers 500 so that the request is not left hanging until the
/// host's timeout.
///
/// The use of `@unchecked Sendable` is safe for this type because its pointers are immutable, `request_complete` is
/// `[any thread]`, and the response-writing calls (`[handler thread]`: "after a handler returns IA_PENDING, any ONE
/// thread at a time") are made only by the one caller that wins the atomic `completed` flag.
public final class Responder: @unchecked Sendable {
    private let api: UnsafePointer<ia_host_api>
    private let handle: OpaquePointer
    private let completed = Atomic<Bool>(false)

    init(api: UnsafePointer<ia_host_api>, handle: OpaquePointer) {
        self.api = api
        self.handle = handle
    }

    deinit {
        if claim() {
            let request = Request(api: api, handle: handle)
            request.log(.error, "a pending route's Responder was released without completing; answering 500")
            finish(request, with: HTTPError.internalError.response)
        }
    }

    /// Whether the response has been completed.
    public var isCompleted: Bool {
        completed.load(ordering: .acquiring)
    }

    /// Writes `response` and completes the request. Afterwards the request and every value read from it as a view
    /// are invalid.
    ///
    /// - Returns: `true` if this call completed the request, `false` if it had already been completed.
    @discardableResult
    public func complete(_ response: Response) -> Bool {
        guard claim() else { return false }
        finish(Request(api: api, handle: handle), with: response)
        return true
    }

    /// Completes the request with the response for `error`: an ``HTTPError`` renders itself; any other error is
    /// logged and answered with 500 `internal_error`.
    ///
    /// - Returns: `true` if this call completed the request, `false` if it had already been completed.
    @discardableResult
    public func fail(_ error: any Error) -> Bool {
        guard claim() else { return false }
        let request = Request(api: api, handle: handle)
        finish(request, with: request.response(for: error))
        return true
    }

    /// Wins the right to complete; true for exactly one caller.
    private func claim() -> Bool {
        completed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    private func finish(_ request: Request, with response: Response) {
        _ = request.send(response)
        // IA_ERR_STATE means the host already answered (timeout, client gone); it still freed the request.
        _ = api.pointee.request_complete?(handle)
    }
}
