import CImageAppPlugin
import Foundation
import Logging
import Synchronization

/// Events: handlers plugins registered, the outbox relay and the worker consumers.
///
/// A command's events go to the `ia_outbox` table in its transaction. After commit the relay
/// publishes unpublished rows to a Redis stream (and to in-process handlers) and marks them
/// published; it also polls, so events of a process that died between commit and publish go
/// out when any host runs again. Worker handlers read the stream through one consumer group
/// each, so every group sees every event once in the normal case (at least once in general).
///
/// `@unchecked Sendable`: handlers are registered on the lifecycle thread during `init`; the
/// relay and consumers start afterwards and only read them.
final class EventBus: @unchecked Sendable {
    struct Handler: @unchecked Sendable {
        // @unchecked: `userData` is the plugin's, usable from any thread per the ABI.
        let plugin: PluginContext
        let name: String
        let eventType: String
        let inProcess: Bool
        let maxAttempts: Int
        let function: ia_event_fn
        let userData: UnsafeMutableRawPointer?

        /// The Redis consumer group.
        var group: String { "\(plugin.name).\(name)" }

        func matches(_ type: String) -> Bool {
            if eventType == "*" { return true }
            if eventType.hasSuffix(".*") { return type.hasPrefix(eventType.dropLast()) }
            return type == eventType
        }
    }

    private(set) var handlers: [Handler] = []
    var logger = Logger(label: "image-app.events")
    private var relay: OutboxRelay?
    private var consumers: [StreamConsumer] = []

    func add(_ handler: Handler) -> Result<Void, RegistrationError> {
        guard PluginSection.isValidName(handler.name) else {
            return .failure(.invalid("event handler name '\(handler.name)' must be 1-64 characters of a-z, 0-9 and '-'"))
        }
        guard !handler.eventType.isEmpty else { return .failure(.invalid("event handler '\(handler.name)' has no event type")) }
        if handlers.contains(where: { $0.plugin === handler.plugin && $0.name == handler.name }) {
            return .failure(.conflict("plugin '\(handler.plugin.name)' registered event handler '\(handler.name)' twice"))
        }
        handlers.append(handler)
        return .success(())
    }

    /// Starts the relay (any role) and, for worker roles, one consumer per worker handler.
    func start(services: HostServices, settings: HostSettings, runWorkers: Bool) {
        guard let database = services.database else { return }
        let relay = OutboxRelay(
            database: database,
            redis: services.redis,
            stream: settings.eventsStream,
            inProcess: handlers.filter(\.inProcess),
            logger: logger
        )
        relay.start()
        self.relay = relay
        guard runWorkers, let redis = services.redis else {
            if runWorkers, handlers.contains(where: { !$0.inProcess }) {
                logger.error("worker event handlers are registered but host.redis_url is not set; they will not run")
            }
            return
        }
        for handler in handlers where !handler.inProcess {
            let consumer = StreamConsumer(
                handler: handler,
                redis: redis,
                stream: settings.eventsStream,
                maxAttempts: handler.maxAttempts > 0 ? handler.maxAttempts : settings.eventMaxAttempts,
                retryBase: settings.eventRetryBaseSeconds,
                logger: logger
            )
            consumer.start()
            consumers.append(consumer)
        }
    }

    /// Wakes the relay after a command committed events.
    func notifyCommitted() {
        relay?.wake()
    }

    func stop() {
        consumers.forEach { $0.stop() }
        relay?.stop()
        consumers.removeAll()
        relay = nil
    }
}

/// One event as it travels through the outbox and the stream.
struct EventRecord: Sendable, Equatable {
    var id: String
    var type: String
    var payload: String
    var source: String
    var occurredAt: String

    /// Calls a plugin handler with this event; returns nil on success or the failure message.
    func deliver(to handler: EventBus.Handler, attempt: Int) -> String? {
        let arena = CStringArena()
        var event = ia_event()
        event.struct_size = SizedStruct.size(of: ia_event.self)
        event.attempt = UInt32(attempt)
        event.id = arena.view(id)
        event.type = arena.view(type)
        event.payload = arena.view(payload)
        event.occurred_at = arena.view(occurredAt)
        event.source = arena.view(source)
        var error = ia_error()
        error.struct_size = SizedStruct.size(of: ia_error.self)
        let status = withExtendedLifetime(arena) { handler.function(handler.userData, &event, &error) }
        if status == IA_OK { return nil }
        let message = ErrorBuffer.message(of: &error)
        return message.isEmpty ? "status \(status)" : message
    }
}

/// Unique, time-sortable event IDs: milliseconds since 2024 in the high bits, then a per-process
/// random node and a counter — decimal text of a 63-bit number, like the product's other IDs.
enum EventID {
    private static let epochMilliseconds: UInt64 = 1_704_067_200_000
    private static let node = UInt64.random(in: 0..<1024)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        let now = UInt64(Date().timeIntervalSince1970 * 1000) &- epochMilliseconds
        let sequence = counter.wrappingAdd(1, ordering: .relaxed).oldValue & 0xFFF
        return String((now << 22) | (node << 12) | sequence)
    }
}
