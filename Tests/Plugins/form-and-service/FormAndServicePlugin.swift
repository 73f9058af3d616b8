import CImageAppPlugin
import ImageAppPlugin

#if canImport(Glibc)
import Glibc
#endif

/// test-form-and-service: the two capabilities of ABI 1.13, as the `posts` plugin uses them.
///
/// | route or command | what it is |
/// |---|---|
/// | `POST /api/v1/test/form-or-body` | a form-or-body route: reports what the handler got (parts or a body) |
/// | `POST /api/v1/test/form-or-body/private` | the same with `requireUser`: the fixture's middleware (before the body) makes the caller user `X-Test-User`, when sent |
/// | `POST /api/v1/test/service` | dispatches the service command `test-form-and-service.echo` with its JSON body |
/// | `POST /api/v1/test/service/in-transaction` | dispatches the data command `test-form-and-service.hold`, which dispatches `echo` while it holds its connection |
/// | `test-form-and-service.echo` | a service command: echoes `text`, tries the database and an event, refuses on request |
///
/// The setting `mode` registers something the host must refuse instead: `service-query` (`IA_COMMAND_NO_TRANSACTION`
/// on a query), `serializable-service` (with `IA_COMMAND_SERIALIZABLE`), `form-or-body-alone` (`IA_ROUTE_FORM_OR_BODY`
/// without `IA_ROUTE_MULTIPART`).
struct FormAndServicePlugin: Sendable {
    static let formSchema = #"""
        {"type":"object","properties":{"caption":{"type":"string"},"images":{"type":"array","items":{"type":"string","contentMediaType":"application/octet-stream"}}}}
        """#
    static let bodySchema = #"{"type":"object","required":["caption"],"properties":{"caption":{"type":"string"}}}"#

    static func initialize(_ registrar: PluginRegistrar) throws {
        if let mode = try registrar.host.setting("mode") {
            try registerRefused(mode, registrar)
            return
        }
        // A stand-in for `auth`: a principal before the body is read, so REQUIRE_USER can turn a caller away unread.
        try registrar.middleware(name: "test-form-and-service.user", order: 200, flags: .nonblocking) { request in
            if let id = request.header("X-Test-User").flatMap({ Int64($0) }) {
                try request.setPrincipal(Principal(userID: id, handle: "user\(id)"))
            }
            return .next
        }
        for (path, flags) in [("/api/v1/test/form-or-body", RouteFlags()), ("/api/v1/test/form-or-body/private", .requireUser)] {
            try registrar.multipartRoute(
                .post,
                path,
                flags: flags,
                summary: "Takes a form or a JSON body (test fixture)",
                tag: "tests",
                requestSchema: formSchema,
                limits: MultipartLimits(maxTotalBytes: 100_000),
                alsoAcceptsBody: bodySchema,
                handler: describe
            )
        }
        try registerService(registrar)
    }

    /// What the handler got: a form's parts or a plain body, and what the part slots said.
    struct Report: Encodable {
        var multipart: Bool
        var parts: [String]
        var texts: [String]
        var body: String
        var partCountStatus: Int32
        var partCount: Int
    }

    private static func describe(_ request: Request) throws -> Response {
        var count = 99
        let status = request.api.pointee.request_part_count?(request.handle, &count) ?? IA_ERR_UNSUPPORTED
        let parts = request.multipartParts
        return try .json(
            Report(
                multipart: request.isMultipart,
                parts: parts.map(\.name),
                texts: try parts.map { $0.filename == nil ? try $0.text() : "<\($0.size) bytes>" },
                body: request.bodyString,
                partCountStatus: status,
                partCount: count
            )
        )
    }

    /// Registrations a 1.13 host refuses, through the raw slots (the SDK cannot make them).
    private static func registerRefused(_ mode: String, _ registrar: PluginRegistrar) throws {
        let api = registrar.host.api
        let handle = registrar.host.handle
        let command: ia_command_fn = { _, _ in IA_OK }
        let handler: ia_handler_fn = { _, _ in IA_OK }
        var status = IA_OK
        switch mode {
        case "service-query", "serializable-service":
            var definition = ia_command_def()
            definition.struct_size = UInt32(MemoryLayout<ia_command_def>.stride)
            definition.flags = UInt32(IA_COMMAND_NO_TRANSACTION)
            definition.run = command
            let name = mode == "service-query" ? "test-form-and-service.bad-query" : "test-form-and-service.bad-command"
            status = name.withCString { text in
                definition.name = ia_str(data: text, len: strlen(text))
                if mode == "service-query" { return api.pointee.register_query?(handle, &definition) ?? IA_ERR_UNSUPPORTED }
                definition.flags |= UInt32(IA_COMMAND_SERIALIZABLE)
                return api.pointee.register_command?(handle, &definition) ?? IA_ERR_UNSUPPORTED
            }
        default:
            var route = ia_route_def()
            route.struct_size = UInt32(MemoryLayout<ia_route_def>.stride)
            route.flags = UInt32(IA_ROUTE_FORM_OR_BODY)
            route.handler = handler
            status = "POST".withCString { method in
                "/api/v1/test/form-or-body/bad".withCString { path in
                    route.method = ia_str(data: method, len: 4)
                    route.path = ia_str(data: path, len: strlen(path))
                    return api.pointee.register_route?(handle, &route) ?? IA_ERR_UNSUPPORTED
                }
            }
        }
        registrar.host.log(.info, "mode \(mode): status \(status)")
    }
}
