import CImageAppPlugin
import Hummingbird
import NIOCore
import Synchronization

/// One long-lived response (`stream_open`): a bounded queue of encoded frames that the connection's own writer
/// drains (the SSE response body, or ``WebSocketPeer/serve(_:peer:channel:)``), so senders on any thread never wait
/// for a socket and no worker thread is held.
///
/// A sender that finds the queue full closes the stream (`slow_consumer`) and the connection: a client that stops
/// reading costs at most `queueLimit` frames. A write that stays stuck longer than the write timeout closes it too
/// (`write_timeout`), found by the heartbeat tick, which otherwise queues a comment when nothing else was sent (SSE)
/// or sends a ping and closes a WebSocket whose previous ping went unanswered (`ping_timeout`).
final class ClientStream: Sendable {
    /// What kind of stream this is (the metrics label).
    enum Kind: String, Sendable {
        case serverSentEvents = "sse"
        case webSocket = "websocket"
    }

    let id: UInt64
    let kind: Kind
    /// The connection, closed when the stream is cut (slow consumer, write timeout).
    let channel: any Channel
    private let hub: StreamHub
    private let onClose: CloseCallback?
    private let state = Mutex(State())

    /// The plugin's close callback. `@unchecked Sendable`: the ABI makes the callback callable from any host thread
    /// and keeps `userData` valid until it has run.
    struct CloseCallback: @unchecked Sendable {
        let function: ia_stream_closed_fn
        let userData: UnsafeMutableRawPointer?
    }

    private struct State {
        var queue: [ByteBuffer] = []
        var head = 0
        var waiter: CheckedContinuation<ByteBuffer?, Never>?
        /// Set once: no more frames are accepted; the writer sends what is queued, then ends.
        var closing: String?
        /// When the writer handed the current frame to the connection (nil while it waits for one).
        var writingSince: NIODeadline?
        var channels: Set<String> = []
        var heartbeat: RepeatedTask?
        var pending: Int { queue.count - head }
    }

    init(id: UInt64, kind: Kind, channel: any Channel, hub: StreamHub, onClose: CloseCallback?) {
        self.id = id
        self.kind = kind
        self.channel = channel
        self.hub = hub
        self.onClose = onClose
    }

    /// The handle plugins hold: the stream's id (never 0) as a pointer-sized value, checked on every use.
    var handle: OpaquePointer { OpaquePointer(bitPattern: UInt(id))! }

    func belongs(to hub: StreamHub) -> Bool { self.hub === hub }

    /// The hub whose channels this stream subscribes to.
    var hubForChannels: StreamHub { hub }

    var isClosing: Bool { state.withLock { $0.closing != nil } }

    /// Why the stream ended; nil while it is open.
    var closeReason: String? { state.withLock { $0.closing } }

    /// One message in this stream's framing: an SSE event (`event:` and `data:` lines), or a WebSocket text frame's
    /// payload (`data` alone: the realtime message carries its type).
    func encode(event: String, data: some Collection<UInt8>) -> ByteBuffer {
        switch kind {
        case .serverSentEvents: SSEFrame.encode(event: event, data: data)
        case .webSocket: ByteBuffer(bytes: data)
        }
    }

    /// Counts a message the writer handed to the connection.
    func sentMessage() { hub.metrics.sent(kind) }

    // MARK: Senders (any thread)

    /// Queues an encoded frame; false when the stream is closing. Closes the stream when the queue is full.
    enum Outcome { case queued, closed, overflow }

    func enqueue(_ frame: ByteBuffer) -> Outcome {
        let (outcome, waiter): (Outcome, CheckedContinuation<ByteBuffer?, Never>?) = state.withLock { state in
            guard state.closing == nil else { return (.closed, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                state.writingSince = .now()
                return (.queued, waiter)
            }
            guard state.pending < hub.settings.queueLimit else { return (.overflow, nil) }
            if state.head > 64 && state.head * 2 > state.queue.count {
                state.queue.removeFirst(state.head)
                state.head = 0
            }
            state.queue.append(frame)
            return (.queued, nil)
        }
        waiter?.resume(returning: frame)
        if outcome == .overflow {
            hub.metrics.slowConsumer(kind)
            close(reason: "slow_consumer", abrupt: true)
        }
        return outcome
    }

    /// Ends the stream: no more frames; the plugin's callback runs now, exactly once. `abrupt` drops what is queued
    /// and closes the connection (a client that cannot keep up or is gone); otherwise the queue is sent first and the
    /// response ends cleanly. Returns false when it was already closing.
    @discardableResult
    func close(reason: String, abrupt: Bool = false) -> Bool {
        typealias Taken = (first: Bool, waiter: CheckedContinuation<ByteBuffer?, Never>?, heartbeat: RepeatedTask?, channels: Set<String>)
        let taken: Taken = state.withLock { state in
            guard state.closing == nil else { return (false, nil, nil, []) }
            state.closing = reason
            if abrupt {
                hub.metrics.dropped(kind, state.pending)
                state.queue.removeAll()
                state.head = 0
            }
            let taken: Taken = (true, state.waiter, state.heartbeat, state.channels)
            state.waiter = nil
            state.heartbeat = nil
            state.channels = []
            return taken
        }
        let (first, waiter, heartbeat, channels) = taken
        guard first else {
            if abrupt { closeConnection(reason: reason) }
            return false
        }
        waiter?.resume(returning: nil)
        heartbeat?.cancel()
        if abrupt { closeConnection(reason: reason) }
        hub.ended(self, channels: channels)
        if let onClose {
            CString.withView(reason) { onClose.function(onClose.userData, handle, $0) }
        }
        return true
    }

    /// Cuts the connection: a WebSocket gets its close frame first (it will not get far with a client that does not
    /// read, but one that is merely slow learns why).
    private func closeConnection(reason: String) {
        switch kind {
        case .serverSentEvents: channel.close(promise: nil)
        case .webSocket: WebSocketPeer.abort(channel, reason: reason)
        }
    }

    // MARK: Channels

    /// Records a channel; false when it already was (or the stream is closing).
    func addChannel(_ name: String) -> Bool {
        state.withLock { $0.closing == nil && $0.channels.insert(name).inserted }
    }

    /// Forgets a channel; false when it was not subscribed.
    func removeChannel(_ name: String) -> Bool {
        state.withLock { $0.channels.remove(name) != nil }
    }

    // MARK: The writer (the connection's response task)

    /// The next frame to write, waiting for one; nil once the stream is closing and its queue is sent.
    func next() async -> ByteBuffer? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ByteBuffer?, Never>) in
            let ready: ByteBuffer?? = state.withLock { state in
                state.writingSince = nil
                if state.pending > 0 {
                    let frame = state.queue[state.head]
                    state.queue[state.head] = ByteBuffer()
                    state.head += 1
                    if state.head == state.queue.count {
                        state.queue.removeAll(keepingCapacity: state.queue.capacity <= 16)
                        state.head = 0
                    }
                    state.writingSince = .now()
                    return .some(frame)
                }
                if state.closing != nil { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Starts the heartbeat on the connection's event loop: a comment when the SSE writer is idle or a WebSocket ping,
    /// and the write timeout.
    func startHeartbeat() {
        let settings = hub.settings
        let task = channel.eventLoop.scheduleRepeatedTask(initialDelay: settings.heartbeat, delay: settings.heartbeat) {
            [weak self] task in
            guard let self else { return task.cancel() }
            self.tick(writeTimeout: settings.writeTimeout)
        }
        let cancelled = state.withLock { state in
            guard state.closing == nil else { return true }
            state.heartbeat = task
            return false
        }
        if cancelled { task.cancel() }
    }

    private func tick(writeTimeout: TimeAmount) {
        let (stuck, idle) = state.withLock { state in
            (state.writingSince.map { $0 + writeTimeout < .now() } ?? false, state.waiter != nil)
        }
        if stuck {
            hub.metrics.slowConsumer(kind)
            close(reason: "write_timeout", abrupt: true)
            return
        }
        switch kind {
        case .serverSentEvents:
            if idle { _ = enqueue(ClientStream.heartbeatFrame) }
        case .webSocket:
            // The tick runs on the connection's event loop, where the peer lives.
            guard let peer = try? channel.pipeline.syncOperations.handler(type: WebSocketPeer.self) else { return }
            if !peer.ping() { close(reason: "ping_timeout", abrupt: true) }
        }
    }

    static let heartbeatFrame = ByteBuffer(string: ":\n\n")

    /// The response body: frames as they come, until the stream closes or the client goes.
    func responseBody() -> ResponseBody {
        ResponseBody { [self] writer in
            while let frame = await next() {
                do {
                    try await writer.write(frame)
                } catch {
                    close(reason: "client_gone", abrupt: true)
                    throw error
                }
                if frame != Self.heartbeatFrame { sentMessage() }
            }
            try await writer.finish(nil)
        }
    }
}
