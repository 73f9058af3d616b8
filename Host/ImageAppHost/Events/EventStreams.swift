/// Where events travel in Redis.
///
/// Every event goes to the main stream (`host.events_stream`, `ia:events`) and, with the same entry id, to the stream
/// of its *family* — the part of its type before the first dot: `like.created` to `ia:events:family:like`. A worker
/// handler for `like.created` or `like.*` reads only that family's stream, so an event costs the handlers that may
/// want it a read, not every handler of every plugin (with all plugins, a like was read about 25 times and wanted
/// twice). Only `*` handlers read the main stream, which also stays whole for operators.
struct EventStreams: Sendable, Equatable {
    /// The main stream: every event.
    let main: String

    /// Events that failed `max_attempts` deliveries, of every stream.
    var dead: String { main + ":dead" }

    /// A hash: family → the id of the first event published to its stream (see ``StreamConsumer``'s legacy drain).
    var since: String { main + ":family-since" }

    /// The stream of `family`'s events.
    func family(_ family: String) -> String { main + ":family:" + family }

    /// The family of an event type: the part before the first dot (the whole type without one).
    static func family(ofType type: String) -> String {
        String(type.prefix { $0 != "." })
    }

    /// The stream a handler for `eventType` (an exact type, `prefix.*` or `*`) reads.
    func stream(forHandlerOf eventType: String) -> String {
        eventType == "*" ? main : family(Self.family(ofType: eventType))
    }
}
