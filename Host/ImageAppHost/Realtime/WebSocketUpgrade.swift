import Hummingbird
import Synchronization

/// One connection's WebSocket upgrade attempt, shared by the upgrader, the request it dispatches and the HTTP side.
///
/// The upgrader runs the upgrade request through the host's ordinary responder (routes, middleware, the plugin's
/// handler) before it accepts anything. A handler that opens an `IA_STREAM_WEBSOCKET` stream leaves it here
/// (``accept(_:)``) and the upgrade goes ahead; any other answer — 401, 403, a 426, an SSE response — is kept as the
/// refusal (``refuse(_:)``) and written by the HTTP side as the response to that same request, so a client learns why
/// (a bare upgrader would send an empty 400).
final class WebSocketUpgrade: Sendable {
    private struct State {
        var accepted: ClientStream?
        var refusal: Response?
    }

    private let state = Mutex(State())

    /// Records the stream a handler opened for this upgrade (the exchange's response becomes 101).
    func accept(_ stream: ClientStream) {
        state.withLock { $0.accepted = stream }
    }

    /// Whether a handler accepted the upgrade.
    var isAccepted: Bool { state.withLock { $0.accepted != nil } }

    /// The accepted stream, once.
    func takeAccepted() -> ClientStream? {
        state.withLock { state in
            defer { state.accepted = nil }
            return state.accepted
        }
    }

    /// Keeps the response to send instead of upgrading.
    func refuse(_ response: Response) {
        state.withLock { $0.refusal = response }
    }

    /// The refusal, once: the answer to the connection's first request.
    func takeRefusal() -> Response? {
        state.withLock { state in
            defer { state.refusal = nil }
            return state.refusal
        }
    }
}
