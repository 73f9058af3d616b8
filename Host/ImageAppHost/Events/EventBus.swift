import CImageAppPlugin
import Foundation
import Logging
import Synchronization

/// Events: the handlers plugins registered.
///
/// A command's events go to the `ia_outbox` table in its transaction. After commit the relay
/// (``OutboxRelay``) publishes unpublished rows to a Redis stream (and to in-process handlers)
/// and marks them published; it also polls, so events of a process that died between commit and
/// publish go out when any host runs again. Worker handlers read the stream through one consumer
/// group each (``StreamConsumer``), so every group sees every event once in the normal case (at
/// least once in general).
///
/// A value: filled while plugins run `init`, then copied into the frozen registry that the
/// relay and consumers are built from.
struct EventBus: Sendable {
    /// `@unchecked Sendable`: `userData` and `function` are the plugin's, which the ABI requires
    /// to be callable from any thread for the life of the process; the rest is immutable.
    struct Handler: @unchecked Sendable {
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

    mutating func add(_ handler: Handler) -> Result<Void, RegistrationError> {
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
