import Dispatch
public import ImageAppPlugin

#if canImport(Glibc)
import Glibc
#endif

/// test-pending: a middleware that answers `pending` (ABI 1.11) on routes whose metadata says `pending = yes`, and
/// resumes the request `?ms=N` milliseconds later from another thread (`?ms=0`: before it has even returned), with
/// `?outcome=next|respond|fail`. Non-blocking, so the chain goes on on the event loop.
///
/// | route | metadata |
/// |---|---|
/// | `GET /api/v1/test/pending` | `pending = yes`: answers `{"resumed":true}` once the middleware let it through |
/// | `GET /api/v1/test/pending/plain` | none: the middleware lets it through at once |
struct PendingPlugin: Sendable {
    static func initialize(_ registrar: PluginRegistrar) throws {
        try registrar.middleware(name: "test-pending", order: 300, flags: .nonblocking) { request in
            guard request.routeMetadata("pending") == "yes" else { return .next }
            let milliseconds = Int(request.query("ms") ?? "0") ?? 0
            let outcome: MiddlewareResult =
                switch request.query("outcome") {
                case "respond": .respond(.text("answered by the middleware", status: 202))
                case "fail": .wouldBlock  // not an outcome: the SDK answers 500
                default: .next
                }
            let suspended = request.suspended()
            if milliseconds == 0 {
                // Resumed before the middleware returns: the host must keep the resumption for it.
                suspended.resume(outcome)
            } else {
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { suspended.resume(outcome) }
            }
            return .pending
        }
        try registrar.route(.get, "/api/v1/test/pending", flags: [.nonblocking, .hidden], metadata: ["pending": "yes"]) { _ in
            Response.json(raw: #"{"resumed":true}"#)
        }
        try registrar.route(.get, "/api/v1/test/pending/plain", flags: [.nonblocking, .hidden]) { _ in
            Response.json(raw: #"{"plain":true}"#)
        }
    }
}

@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "test-pending", version: "1.0.0", minimumABIMinor: 11, initialize: PendingPlugin.initialize)
}
