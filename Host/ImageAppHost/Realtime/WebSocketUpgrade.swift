import Hummingbird
import NIOCore
import Synchronization

/// One connection's WebSocket upgrade attempt, shared by the upgrader, the request it dispatches and the HTTP side.
///
/// The upgrader runs the upgrade request through the host's ordinary responder (routes, middleware, the plugin's
/// handler) before it accepts anything. A handler that opens an `IA_STREAM_WEBSOCKET` stream leaves it here
/// (``accept(_:)``) and the upgrade goes ahead; any other answer — 401, 403, a 426, an SSE response — is kept as the
/// refusal (``refuse(_:on:)``); the upgrade handler's swallowed request is replayed into the HTTP handlers
/// (``UpgradeReplay``) and ``HostResponder`` answers it with that refusal instead of dispatching it again, so a client
/// learns why (a bare upgrader would send an empty 400).
final class WebSocketUpgrade: Sendable {
    private let accepted = Mutex<ClientStream?>(nil)
    /// Refusals by connection, until the replayed request asks for its own (``takeRefusal(for:)``) or the connection
    /// closes. A table rather than a wrapper around each connection's responder: that would cost every connection.
    private static let refusals = Mutex<[ObjectIdentifier: Response]>([:])

    /// Records the stream a handler opened for this upgrade (the exchange's response becomes 101).
    func accept(_ stream: ClientStream) {
        accepted.withLock { $0 = stream }
    }

    /// Whether a handler accepted the upgrade.
    var isAccepted: Bool { accepted.withLock { $0 != nil } }

    /// The accepted stream, once.
    func takeAccepted() -> ClientStream? {
        accepted.withLock { accepted in
            defer { accepted = nil }
            return accepted
        }
    }

    /// Keeps the response to send on `channel` instead of upgrading.
    static func refuse(_ response: Response, on channel: any Channel) {
        let key = ObjectIdentifier(channel)
        refusals.withLock { $0[key] = response }
        channel.closeFuture.whenComplete { _ in _ = refusals.withLock { $0.removeValue(forKey: key) } }
    }

    /// The refusal kept for `channel`, once: the answer to its first request.
    static func takeRefusal(for channel: any Channel) -> Response? {
        refusals.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
