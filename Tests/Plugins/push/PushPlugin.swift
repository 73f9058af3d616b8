public import ImageAppPlugin
import RealtimeContract

/// test-push: what tests and the realtime benchmark need around `realtime`, without accounts.
///
/// | route | what it does |
/// |---|---|
/// | `POST /api/v1/test/push/{user_id}?type=T` | pushes the JSON body as `data` to the user's streams (`RealtimePush`) |
/// | `GET /api/v1/test/stream/{user_id}` | an unauthenticated SSE stream, or WebSocket, on the user's channel (benchmarks only) |
/// | `POST /api/v1/test/close/{user_id}` | closes the user's channel everywhere |
struct PushPlugin: Sendable {
    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        try registrar.route(.post, "/api/v1/test/push/{user_id}", flags: [.hidden, .nonblocking]) { request in
            guard let user = request.parameter("user_id").flatMap({ Int64($0) }) else {
                throw HTTPError(status: 400, code: "bad_user", message: "user_id")
            }
            let body = request.bodyString
            try RealtimePush.push(host, to: user, type: request.query("type") ?? "test", json: body.isEmpty ? "{}" : body)
            return .noContent
        }
        try registrar.route(.get, "/api/v1/test/stream/{user_id}", flags: [.hidden, .nonblocking]) { request in
            guard let user = request.parameter("user_id").flatMap({ Int64($0) }) else {
                throw HTTPError(status: 400, code: "bad_user", message: "user_id")
            }
            let stream = try request.openStream(request.wantsWebSocket ? .webSocket : .serverSentEvents)
            try stream.subscribe(RealtimePush.userChannel(user))
            return .stream
        }
        try registrar.route(.post, "/api/v1/test/close/{user_id}", flags: [.hidden, .nonblocking]) { request in
            guard let user = request.parameter("user_id").flatMap({ Int64($0) }) else {
                throw HTTPError(status: 400, code: "bad_user", message: "user_id")
            }
            try host.closeChannel(RealtimePush.userChannel(user), reason: "test")
            return .noContent
        }
    }
}

@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "test-push", version: "1.0.0", minimumABIMinor: 12, initialize: PushPlugin.initialize)
}
