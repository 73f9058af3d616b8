import CImageAppPlugin

/// Registers a plugin's routes, middleware and commands with the host. It is handed to `initialize` and is only valid
/// while `initialize` runs.
///
/// Each registration throws ``PluginRegistrationError`` when the host refuses it; let it propagate out of
/// `initialize` (the host refuses to load the plugin either way).
public struct PluginRegistrar {
    /// The host, for settings, logging and metrics during `initialize`.
    public let host: PluginHost

    init(host: PluginHost) {
        self.host = host
    }

    /// Registers a route whose handler answers synchronously.
    ///
    /// The handler runs on a host worker thread (or an event loop with ``RouteFlags/nonblocking``), possibly on many
    /// threads at once. A thrown ``HTTPError`` is sent as that error; any other error is logged and answered with 500.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - path: Literal segments and `{name}` parameters, such as `/api/v1/users/{handle}`; a last segment
    ///     `{name...}` captures the rest of the path.
    ///   - flags: Route options.
    ///   - summary: One line for the OpenAPI document.
    ///   - description: Longer OpenAPI text.
    ///   - tag: The OpenAPI tag.
    ///   - requestSchema: JSON Schema (as JSON text) of the request body.
    ///   - requestContentType: The body's media type for the OpenAPI document, such as `multipart/form-data` (then
    ///     `requestSchema` describes the form's fields); empty for `application/json`. Needs ABI 1.7; older hosts
    ///     ignore it.
    ///   - responseSchema: JSON Schema (as JSON text) of the success body.
    ///   - successStatus: The documented success status.
    ///   - maxBodyBytes: This route's body limit; `0` for the host's `body_limit`.
    ///   - handler: Turns the request into a response.
    /// - Throws: ``PluginRegistrationError`` when the host refuses the route, for example a clash with another one.
    public func route(
        _ method: HTTPMethod,
        _ path: String,
        flags: RouteFlags = [],
        summary: String = "",
        description: String = "",
        tag: String = "",
        requestSchema: String = "",
        requestContentType: String = "",
        responseSchema: String = "",
        successStatus: Int = 200,
        maxBodyBytes: UInt64 = 0,
        metadata: [String: String] = [:],
        handler: @escaping @Sendable (Request) throws -> Response
    ) throws(PluginRegistrationError) {
        let box = CallbackBox(handler, api: host.api)
        let documentation = [summary, description, tag, requestSchema, responseSchema, requestContentType]
        try register(
            method,
            path,
            flags,
            documentation,
            successStatus,
            maxBodyBytes,
            nil,
            nil,
            metadata,
            box.retainedForever(),
            Self.synchronousHandler
        )
    }

    /// The C handler of every synchronous route: runs the boxed Swift handler and sends what it returns.
    static let synchronousHandler: ia_handler_fn = { userData, requestHandle in
        guard let userData, let requestHandle else { return IA_ERR_INVALID_ARGUMENT }
        let box = CallbackBox<@Sendable (Request) throws -> Response>.from(userData)
        guard let api = box.api else { return IA_ERR_INTERNAL }
        let request = Request(api: api, handle: requestHandle)
        let response: Response
        do {
            response = try box.callback(request)
        } catch is WouldBlock where !request.canBlock {
            return IA_WOULD_BLOCK
        } catch {
            response = request.response(for: error)
        }
        // A refused response has become a 500 already; IA_ERR_INTERNAL makes sure the host sends one.
        return request.send(response) ? IA_OK : IA_ERR_INTERNAL
    }

    /// Registers a route whose handler may finish the response later, from any thread, through a ``Responder``;
    /// the host's worker thread is released as soon as the handler returns.
    ///
    /// Read everything needed from the ``Request`` before handing the ``Responder`` to other work: the request is
    /// invalid once the response is completed. A synchronously thrown error completes the response with that error
    /// (unless it was already completed). Parameters are as for
    /// ``route(_:_:flags:summary:description:tag:requestSchema:requestContentType:responseSchema:successStatus:maxBodyBytes:handler:)``.
    ///
    /// - Throws: ``PluginRegistrationError`` when the host refuses the route.
    public func pendingRoute(
        _ method: HTTPMethod,
        _ path: String,
        flags: RouteFlags = [],
        summary: String = "",
        description: String = "",
        tag: String = "",
        requestSchema: String = "",
        requestContentType: String = "",
        responseSchema: String = "",
        successStatus: Int = 200,
        maxBodyBytes: UInt64 = 0,
        metadata: [String: String] = [:],
        handler: @escaping @Sendable (Request, Responder) throws -> Void
    ) throws(PluginRegistrationError) {
        let box = CallbackBox(handler, api: host.api)
        let documentation = [summary, description, tag, requestSchema, responseSchema, requestContentType]
        try register(method, path, flags, documentation, successStatus, maxBodyBytes, nil, nil, metadata, box.retainedForever()) {
            userData,
            requestHandle in
            guard let userData, let requestHandle else { return IA_ERR_INVALID_ARGUMENT }
            let box = CallbackBox<@Sendable (Request, Responder) throws -> Void>.from(userData)
            guard let api = box.api else { return IA_ERR_INTERNAL }
            let request = Request(api: api, handle: requestHandle)
            let responder = Responder(api: api, handle: requestHandle)
            do {
                try box.callback(request, responder)
            } catch {
                responder.fail(error)
            }
            // Even when already completed: the request is the responder's now, and IA_OK would make the host
            // finish a request that may already be freed.
            return IA_PENDING
        }
    }

    /// Fills an `ia_route_def` and calls `register_route`; `multipart` makes it an `IA_ROUTE_MULTIPART` route, and
    /// `bodySchema` (only with `multipart`) an `IA_ROUTE_FORM_OR_BODY` one whose plain body it documents.
    func register(
        _ method: HTTPMethod,
        _ path: String,
        _ flags: RouteFlags,
        _ documentation: [String],
        _ successStatus: Int,
        _ maxBodyBytes: UInt64,
        _ multipart: MultipartLimits?,
        _ bodySchema: String?,
        _ metadata: [String: String],
        _ userData: UnsafeMutableRawPointer,
        _ trampoline: ia_handler_fn
    ) throws(PluginRegistrationError) {
        let texts = [method.rawValue, path] + documentation + [Self.json(metadata), bodySchema ?? ""]
        let status = withIAStrs(texts) { views in
            var route = ia_route_def()
            route.struct_size = PluginABI.structSize(of: ia_route_def.self)
            route.flags = flags.rawValue
            route.method = views[0]
            route.path = views[1]
            route.handler = trampoline
            route.user_data = userData
            route.max_body_bytes = maxBodyBytes
            route.success_status = Int32(clamping: successStatus)
            route.summary = views[2]
            route.description = views[3]
            route.tag = views[4]
            route.request_schema = views[5]
            route.response_schema = views[6]
            route.request_content_type = views[7]
            route.metadata = views[8]  // ABI 1.11; an older host does not read that far
            if let multipart {
                route.flags |= UInt32(IA_ROUTE_MULTIPART)
                route.multipart_max_parts = UInt32(clamping: multipart.maxParts ?? 0)
                route.multipart_max_part_bytes = UInt64(clamping: multipart.maxPartBytes ?? 0)
                if bodySchema != nil {
                    // ABI 1.13; the caller has checked that the host knows the flag.
                    route.flags |= UInt32(IA_ROUTE_FORM_OR_BODY)
                    route.body_schema = views[9]
                }
            }
            return host.api.pointee.register_route?(host.handle, &route) ?? IA_ERR_UNSUPPORTED
        }
        // On refusal the box stays allocated: a few bytes, and the plugin is not loaded anyway.
        try PluginRegistrationError.check(status, kind: .route, name: "\(method) \(path)")
    }
}

extension PluginRegistrar {
    /// `metadata` as the JSON object text `ia_route_def.metadata` takes; empty for none.
    static func json(_ metadata: [String: String]) -> String {
        guard !metadata.isEmpty else { return "" }
        let members = metadata.keys.sorted().map { "\(JSONText.quote($0)):\(JSONText.quote(metadata[$0]!))" }
        return "{" + members.joined(separator: ",") + "}"
    }
}

// Registration is `[init only]`: the registrar must not outlive `initialize` or travel to other threads.
@available(*, unavailable)
extension PluginRegistrar: Sendable {}
