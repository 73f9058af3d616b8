import CImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event as delivered to a handler registered with
/// ``PluginRegistrar/eventHandler(_:events:inProcess:maxAttempts:_:)``: a Swift copy of the host's `ia_event`,
/// made before the handler runs, so it may be kept and sent to other threads.
///
/// Worker handlers get events **at least once**: the same event may come again (a crash between handling and
/// acknowledging, a delivery reclaimed from a dead process). Make the handler idempotent with ``id``, for example by
/// recording it under a unique key in the same command as the effect:
///
/// ```sql
/// INSERT INTO mailer_sent (event_id) VALUES ($1) ON CONFLICT DO NOTHING
/// ```
public struct Event: Hashable, Sendable {
    /// Unique across events and time-sortable (decimal text): the key for making a handler idempotent.
    public var id: String
    /// The event type, such as `user.deleted`.
    public var type: String
    /// The JSON payload the raising command gave (`null` when it gave none); see ``decodePayload(_:)``.
    public var payload: String
    /// When the raising command ran (the time of its transaction): RFC 3339 in UTC with microseconds, such as
    /// `2025-01-31T12:00:00.123456Z`, as the host wrote it (Foundation's `Date.ISO8601FormatStyle` with
    /// `includingFractionalSeconds: true` parses it).
    public var occurredAt: String
    /// The plugin whose command raised the event.
    public var source: String
    /// 1 on the first delivery to this handler, 2 on the first retry, and so on (always 1 for in-process handlers,
    /// which are not retried).
    public var attempt: UInt32

    /// Creates an event, for example to test a handler without a host.
    public init(id: String, type: String, payload: String, occurredAt: String, source: String, attempt: UInt32 = 1) {
        self.id = id
        self.type = type
        self.payload = payload
        self.occurredAt = occurredAt
        self.source = source
        self.attempt = attempt
    }

    /// Copies the host's event; its views live only during the handler call.
    init(_ event: ia_event) {
        self.init(
            id: event.id.string,
            type: event.type.string,
            payload: event.payload.string,
            occurredAt: event.occurred_at.string,
            source: event.source.string,
            attempt: event.attempt
        )
    }

    /// Decodes the payload as `type`, converting snake_case keys to camelCase and reading ISO 8601 dates (the
    /// convention ``CommandContext/raise(_:payload:)`` encodes with).
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` when the payload is not JSON of the expected shape. Thrown out of a
    ///   worker handler, it fails the delivery like any error: the host retries it, and it ends up in the dead-letter
    ///   stream, since the payload will not change.
    public func decodePayload<T: Decodable>(_ type: T.Type = T.self) throws(HTTPError) -> T {
        try JSONCoding.decode(T.self, from: Data(payload.utf8), subject: "event payload", rootName: "payload")
    }
}
