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
    ///   - handler: Turns the request into a response.
    /// - Throws: ``PluginRegistrationError`` when the host refuses the route (a host before ABI 1.8 does not know
    ///   multipart routes).
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
        handler: @escaping @Sendable (Request) throws -> Response
    ) throws(PluginRegistrationError) {
        guard host.has(\.request_part_count) else {
            throw PluginRegistrationError(kind: .route, name: "\(method) \(path)", status: .unsupported)
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
            metadata,
            box.retainedForever(),
            Self.synchronousHandler
        )
    }
}
