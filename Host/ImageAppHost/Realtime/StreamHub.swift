import CImageAppPlugin
import Logging
import NIOCore
import Synchronization

/// The process's open streams and their channels (ABI 1.12).
///
/// Channels cross instances through Redis pub/sub: the hub keeps **one** subscription per channel per process on its
/// own ``RedisSubscriber`` connection, counted over the local streams subscribed to it (`SUBSCRIBE` for the first,
/// `UNSUBSCRIBE` after the last), and fans each message out to those streams, encoded once. Publishing goes through
/// ``ChannelPublisher``'s thread, so no caller waits for Redis. A channel that no process subscribes to costs Redis one
/// `PUBLISH` and no process any work. Without Redis, channels stay inside the process.
///
/// Wire format on Redis (`<namespace>:rt:<channel>`): `m<event>\n<data>` for a message, `c<reason>` to close every
/// stream subscribed to the channel.
final class StreamHub: Sendable {
    struct Settings: Sendable {
        var heartbeat: TimeAmount
        var writeTimeout: TimeAmount
        var queueLimit: Int

        init(_ host: HostSettings) {
            heartbeat = .nanoseconds(Int64(host.streamHeartbeatSeconds * 1e9))
            writeTimeout = .nanoseconds(Int64(host.streamWriteTimeoutSeconds * 1e9))
            queueLimit = host.streamQueueMessages
        }
    }

    let settings: Settings
    let metrics = StreamMetrics()
    private let redis: RedisURL?
    private let prefix: String
    private let logger: Logger
    private let state = Mutex(State())
    private let subscriber = Mutex<RedisSubscriber?>(nil)
    private let publisher: ChannelPublisher?

    private struct State {
        var channels: [String: Set<UInt64>] = [:]
        var shuttingDown = false
    }

    init(settings: HostSettings, logger: Logger) {
        self.settings = Settings(settings)
        self.redis = settings.redisURL.flatMap { try? RedisURL($0) }
        self.prefix = settings.redisNamespace + ":rt:"
        self.logger = logger
        self.publisher = redis.map { ChannelPublisher(url: $0, logger: logger) }
    }

    // MARK: Streams

    /// Opens a stream on `channel`; nil once the process is shutting down.
    func open(kind: ClientStream.Kind, channel: any Channel, onClose: ClientStream.CloseCallback?) -> ClientStream? {
        guard !state.withLock({ $0.shuttingDown }) else { return nil }
        let stream = ClientStream(id: StreamHandles.shared.makeID(), kind: kind, channel: channel, hub: self, onClose: onClose)
        StreamHandles.shared.insert(stream)
        metrics.opened(kind)
        channel.closeFuture.whenComplete { [weak stream] _ in stream?.close(reason: "client_gone", abrupt: true) }
        return stream
    }

    /// Called once by a stream that ends: forgets it and releases its channels.
    func ended(_ stream: ClientStream, channels: Set<String>) {
        StreamHandles.shared.remove(stream)
        metrics.closed(stream.kind)
        for channel in channels { release(channel, stream: stream.id) }
    }

    /// Closes every stream and refuses new ones: graceful shutdown.
    func closeAll(reason: String) {
        state.withLock { $0.shuttingDown = true }
        for stream in StreamHandles.shared.all(of: self) { stream.close(reason: reason) }
    }

    // MARK: Channels

    func subscribe(_ stream: ClientStream, to channel: String) -> ia_status {
        guard stream.addChannel(channel) else { return stream.isClosing ? IA_ERR_STATE : IA_OK }
        // Redis commands are queued under the lock, so SUBSCRIBE and UNSUBSCRIBE of one channel reach the
        // subscriber in the order of the counts that decided them (queuing never blocks).
        state.withLock { state in
            state.channels[channel, default: []].insert(stream.id)
            if state.channels[channel]?.count == 1 { liveSubscriber()?.subscribe([prefix + channel]) }
        }
        // Closed meanwhile: its release may have run before the insert above.
        if stream.isClosing { release(channel, stream: stream.id) }
        return IA_OK
    }

    func unsubscribe(_ stream: ClientStream, from channel: String) -> ia_status {
        guard stream.removeChannel(channel) else { return stream.isClosing ? IA_ERR_STATE : IA_ERR_NOT_FOUND }
        release(channel, stream: stream.id)
        return IA_OK
    }

    private func release(_ channel: String, stream id: UInt64) {
        state.withLock { state in
            guard var ids = state.channels[channel], ids.remove(id) != nil else { return }
            state.channels[channel] = ids.isEmpty ? nil : ids
            if ids.isEmpty { subscriber.withLock { $0 }?.unsubscribe([prefix + channel]) }
        }
    }

    /// The subscriber connection, started on first use; nil without Redis.
    private func liveSubscriber() -> RedisSubscriber? {
        guard let redis else { return nil }
        return subscriber.withLock { live in
            if live == nil {
                let made = RedisSubscriber(url: redis, clientName: "image-app-streams", logger: logger) { [weak self] message in
                    self?.received(message)
                }
                made.start()
                live = made
            }
            return live
        }
    }

    /// How many channels this process is subscribed to (for tests and metrics).
    var channelCount: Int { state.withLock { $0.channels.count } }

    /// Publishes a message (`close` nil) or a close order on `channel`; false when the publish queue is full.
    func publish(channel: String, event: String, data: [UInt8]) -> Bool {
        var payload: [UInt8] = [UInt8(ascii: "m")]
        payload += Array(event.utf8)
        payload.append(UInt8(ascii: "\n"))
        payload += data
        return send(channel, payload)
    }

    func publishClose(channel: String, reason: String) -> Bool {
        send(channel, [UInt8(ascii: "c")] + Array(reason.utf8))
    }

    private func send(_ channel: String, _ payload: [UInt8]) -> Bool {
        guard let publisher else {
            deliver(channel: channel, payload: payload)
            return true
        }
        return publisher.enqueue(channel: Array((prefix + channel).utf8), payload: payload)
    }

    /// A message from Redis (the subscriber thread).
    private func received(_ message: RedisSubscriber.Message) {
        guard message.channel.hasPrefix(prefix) else { return }
        deliver(channel: String(message.channel.dropFirst(prefix.count)), payload: message.payload)
    }

    /// Fans a message out to this process's streams on `channel`: each gets it once; a full queue closes only that one.
    private func deliver(channel: String, payload: [UInt8]) {
        guard let kind = payload.first else { return }
        let ids = state.withLock { $0.channels[channel] } ?? []
        guard !ids.isEmpty else { return }
        let streams = ids.compactMap { StreamHandles.shared.stream(id: $0) }
        let body = payload.dropFirst()
        switch kind {
        case UInt8(ascii: "m"):
            let split = body.firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let event = String(decoding: body[..<split], as: UTF8.self)
            let data = split < body.endIndex ? body[body.index(after: split)...] : []
            // Encoded once per kind of stream that listens.
            var frames: [ClientStream.Kind: ByteBuffer] = [:]
            for stream in streams {
                let frame = frames[stream.kind] ?? stream.encode(event: event, data: data)
                frames[stream.kind] = frame
                _ = stream.enqueue(frame)
            }
        case UInt8(ascii: "c"):
            let reason = String(decoding: body, as: UTF8.self)
            for stream in streams { stream.close(reason: reason.isEmpty ? "closed" : reason) }
        default:
            return
        }
    }

    /// Stops the subscriber and publisher threads (blocking).
    func stop() {
        subscriber.withLock { live -> RedisSubscriber? in
            defer { live = nil }
            return live
        }?.stop()
        publisher?.stop()
    }
}

/// Server-sent events framing (WHATWG HTML §9.2).
enum SSEFrame {
    /// `event: <event>` (when not empty), one `data:` line per line of `data`, and the blank line.
    static func encode(event: String, data: some Collection<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(event.utf8.count + data.count + 16)
        if !event.isEmpty {
            buffer.writeString("event: ")
            buffer.writeString(event)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        var line = data.startIndex
        repeat {
            var end = line
            while end != data.endIndex, data[end] != UInt8(ascii: "\n"), data[end] != UInt8(ascii: "\r") { end = data.index(after: end) }
            buffer.writeString("data: ")
            buffer.writeBytes(data[line..<end])
            buffer.writeInteger(UInt8(ascii: "\n"))
            guard end != data.endIndex else { break }
            // \r\n counts as one break.
            var next = data.index(after: end)
            if data[end] == UInt8(ascii: "\r"), next != data.endIndex, data[next] == UInt8(ascii: "\n") { next = data.index(after: next) }
            line = next
            if line == data.endIndex { break }
        } while true
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }
}
