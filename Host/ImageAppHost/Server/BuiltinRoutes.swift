import HTTPTypes
import Hummingbird
import NIOCore

/// The host's own routes: health, readiness, metrics and the OpenAPI document.
enum BuiltinRoutes {
    static func register(
        in registry: PluginRegistry,
        openAPI: @escaping @Sendable () -> String,
        ready: @escaping @Sendable () async -> [String: String],
        beforeMetrics: @escaping @Sendable () async -> Void
    ) {
        func add(_ path: String, summary: String, _ handler: @escaping @Sendable (Request, HostRequestContext) async -> Response) {
            var metadata = RouteMetadata()
            metadata.summary = summary
            metadata.tag = "host"
            let target = RouteTarget(owner: "host", kind: .builtin(handler), flags: 0, maxBodyBytes: 0, metadata: metadata)
            _ = registry.addRoute(method: "GET", path: path, target: target)
        }
        add("/healthz", summary: "Liveness: the process is up.") { _, _ in
            json(.ok, "{\"status\":\"ok\"}")
        }
        add("/readyz", summary: "Readiness: every dependency is reachable.") { _, _ in
            // Each check reports "ok" or what is wrong; any failure makes the node not ready.
            let checks = await ready()
            let isReady = checks.values.allSatisfy { $0 == "ok" }
            let body =
                "{\"status\":\(isReady ? "\"ready\"" : "\"not_ready\""),\"checks\":"
                + ConfigValue.table(checks.mapValues { .string($0) }).jsonText + "}"
            return json(isReady ? .ok : .serviceUnavailable, body)
        }
        let metrics = registry.metrics
        add("/metrics", summary: "Prometheus metrics (text format).") { _, _ in
            await beforeMetrics()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render()))
            )
        }
        add("/api/v1/openapi.json", summary: "This API's OpenAPI 3.1 document.") { _, _ in
            json(.ok, openAPI())
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
