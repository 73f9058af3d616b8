import ImageAppPlugin
import RealtimeContract

/// realtime: `GET /api/v1/stream`, a WebSocket or server-sent event stream of the caller's own realtime messages
/// (PRODUCT.md "Realtime message"), across instances.
///
/// The host owns the connections and the channels (ABI 1.12); this plugin decides who may listen to what. A stream is
/// subscribed to its owner's user channel (``RealtimePush/userChannel(_:)``) and to its session's channel
/// (``RealtimePush/sessionChannel(_:)``), never to a channel a request names. When `auth` ends sessions (logout,
/// revocation, password change, ban, deletion) the session channels are closed in every instance, and a ban or a
/// deletion closes the user's channel too. Other plugins push with ``RealtimePush/push(_:to:type:data:)``.
///
/// No tables, no migrations. Settings: `allowed_origins` (extra browser origins allowed to open a stream with the
/// session cookie; the site's own origin always is).
struct RealtimePlugin: Sendable {
    let host: PluginHost
    let settings: RealtimeSettings

    static func initialize(_ registrar: PluginRegistrar) throws {
        let plugin = RealtimePlugin(host: registrar.host, settings: try RealtimeSettings(host: registrar.host))
        try plugin.registerStreamRoute(registrar)
        try plugin.registerRevocation(registrar)
        try registrar.query(RealtimeQuery.available) { _ in .okJSON("{\"available\":true}") }
    }
}
