import CImageAppPlugin

/// Limits of a multipart route; `nil` takes the host's `[host]` setting of the same name.
public struct MultipartLimits: Sendable, Hashable {
    /// Most parts in one body (`host.multipart_max_parts`).
    public var maxParts: Int?
    /// Largest part body in bytes (`host.multipart_max_part_bytes`).
    public var maxPartBytes: Int?
    /// Largest request body in bytes, framing included (`host.multipart_max_total_bytes`).
    public var maxTotalBytes: Int?

    /// Limits for a multipart route; leave one out for the host's setting.
    public init(maxParts: Int? = nil, maxPartBytes: Int? = nil, maxTotalBytes: Int? = nil) {
        self.maxParts = maxParts
        self.maxPartBytes = maxPartBytes
        self.maxTotalBytes = maxTotalBytes
    }
}

extension PluginRegistrar {
    /// Registers a route that takes a `multipart/form-data` body (`IA_ROUTE_MULTIPART`, ABI 1.8): the host reads the
    /// form as it arrives and the handler gets its parts through ``Request/multipartParts``.
    ///
    /// Before the handler runs, the host answers 415 `unsupported_media_type` when the request is not
    /// `multipart/form-data`, 400 `invalid_multipart` when the body is not well-formed, and 413 `payload_too_large`
    /// (`details.limit` is `parts`, `part_bytes` or `total_bytes`) when it passes a limit. Large parts are spooled to
    /// files the host removes when the request completes. The handler runs as for
    /// ``route(_:_:flags:summary:description:tag:requestSchema:requestContentType:responseSchema:successStatus:maxBodyBytes:handler:)``.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - path: As for `route`.
    ///   - flags: Route options.
    ///   - summary: One line for the OpenAPI document.
    ///   - description: Longer OpenAPI text.
    ///   - tag: The OpenAPI tag.
    ///   - requestSchema: JSON Schema (as JSON text) of the form's fields; documented as `multipart/form-data`.
    ///   - responseSchema: JSON Schema (as JSON text) of the success body.
    ///   - successStatus: The documented success status.
    ///   - limits: The route's limits; those left out are the host's.
    ///   - metadata: Facts about the route for middleware (ABI 1.11), such as `["rate_limit": "uploads"]`.
    ///   - alsoAcceptsBody: `nil` (the default) for a route that takes only forms. Otherwise the route also takes a
    ///     plain body (`IA_ROUTE_FORM_OR_BODY`, ABI 1.13), and this is the JSON Schema (as JSON text; `""` for none)
    ///     the OpenAPI document gives it as `application/json` beside the form. A request whose `Content-Type` is
    ///     `multipart/form-data` is then read as a form, as above; any other is read whole into ``Request/body``
    ///     within the host's `body_limit_bytes` (413 beyond) and has no parts. The handler tells them apart with
    ///     ``Request/isMultipart``.
    ///   - handler: Turns the request into a response.
    /// - Throws: ``PluginRegistrationError`` when the host refuses the route (a host before ABI 1.8 does not know
    ///   multipart routes; one before ABI 1.13 does not know `alsoAcceptsBody`, and the route is refused there rather
    ///   than registered as a form-only route).
    ///
    /// One route for a JSON body or a form with files:
    ///
    /// ```swift
    /// try registrar.multipartRoute(.post, "/api/v1/notes", flags: .requireUser, requestSchema: formSchema,
    ///                              alsoAcceptsBody: jsonSchema) { request in
    ///     if request.isMultipart {
    ///         let files = request.multipartParts(named: "images")   // and text fields as parts
    ///         ...
    ///     } else {
    ///         let input = try request.decode(NoteInput.self)        // 400 invalid_json for a bad body
    ///         ...
    ///     }
    /// }
    /// ```
    public func multipartRoute(
        _ method: HTTPMethod,
        _ path: String,
        flags: RouteFlags = [],
        summary: String = "",
        description: String = "",
        tag: String = "",
        requestSchema: String = "",
        responseSchema: String = "",
        successStatus: Int = 200,
        limits: MultipartLimits = MultipartLimits(),
        metadata: [String: String] = [:],
        alsoAcceptsBody bodySchema: String? = nil,
        handler: @escaping @Sendable (Request) throws -> Response
    ) throws(PluginRegistrationError) {
        guard host.has(\.request_part_count) else {
            throw PluginRegistrationError(kind: .route, name: "\(method) \(path)", status: .unsupported)
        }
        // No slot tells a 1.13 host apart, its version does; an older host would refuse or (before 1.8) ignore the flag.
        if bodySchema != nil, !host.implements(minor: 13) {
            let (major, minor) = host.abiVersion
            throw PluginRegistrationError(
                kind: .route,
                name: "\(method) \(path)",
                status: .unsupported,
                reason: "a route that takes a form or a plain body needs plugin ABI 1.13, and this host implements \(major).\(minor)"
            )
        }
        let box = CallbackBox(handler, api: host.api)
        let documentation = [summary, description, tag, requestSchema, responseSchema, "multipart/form-data"]
        let maxBodyBytes = UInt64(clamping: limits.maxTotalBytes ?? 0)
        try register(
            method,
            path,
            flags,
            documentation,
            successStatus,
            maxBodyBytes,
            limits,
            bodySchema,
            metadata,
            box.retainedForever(),
            Self.synchronousHandler
        )
    }
}
