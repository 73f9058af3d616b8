public import CImageAppPlugin

/// The HTTP request a handler or middleware is running for.
///
/// A `Request` is only valid while its handler runs, or, for a pending route, until the response is completed: every
/// view it reads points into host memory that is freed then. Read what you need into Swift values before handing work
/// to another thread; the type is deliberately not `Sendable` so that the compiler stops it from escaping.
public struct Request {
    /// The host's function table, for calling slots this SDK does not wrap.
    public let api: UnsafePointer<ia_host_api>
    /// The host's `ia_request` handle.
    public let handle: OpaquePointer

    init(api: UnsafePointer<ia_host_api>, handle: OpaquePointer) {
        self.api = api
        self.handle = handle
    }

    /// The request method.
    public var method: HTTPMethod {
        HTTPMethod(rawValue: read { api.pointee.request_method?(handle, $0) } ?? "")
    }

    /// The path as sent, without the query string, still percent-encoded.
    public var path: String {
        read { api.pointee.request_path?(handle, $0) } ?? ""
    }

    /// The raw query string without `?`; empty when there is none.
    public var rawQuery: String {
        read { api.pointee.request_query?(handle, $0) } ?? ""
    }

    /// The first value of query parameter `name`, percent-decoded, or `nil` when it is absent.
    public func query(_ name: String) -> String? {
        name.withIAStr { name in read { api.pointee.request_query_param?(handle, name, $0) } }
    }

    /// Path parameter `name` of the matched route (`{name}` in its path), percent-decoded.
    public func parameter(_ name: String) -> String? {
        name.withIAStr { name in read { api.pointee.request_path_param?(handle, name, $0) } }
    }

    /// The first header named `name` (case-insensitive), or `nil`.
    public func header(_ name: String) -> String? {
        name.withIAStr { name in read { api.pointee.request_header?(handle, name, $0) } }
    }

    /// The body's media type: the `Content-Type` without its parameters, lower-cased (`multipart/form-data` for
    /// `multipart/form-data; boundary=x`), or `nil` without the header.
    public var mediaType: String? {
        guard let contentType = header("Content-Type") else { return nil }
        let type = contentType.prefix { $0 != ";" }.drop { $0 == " " || $0 == "\t" }
        return String(type.reversed().drop { $0 == " " || $0 == "\t" }.reversed()).lowercased()
    }

    /// All header fields in order.
    public var headers: [(name: String, value: String)] {
        let count = api.pointee.request_header_count?(handle) ?? 0
        return (0..<count).compactMap { index in
            var name = ia_str()
            var value = ia_str()
            guard api.pointee.request_header_at?(handle, index, &name, &value) == IA_OK else { return nil }
            return (name.string, value.string)
        }
    }

    /// The client address (IP text) the host trusts for this request.
    public var peer: String {
        read { api.pointee.request_peer?(handle, $0) } ?? ""
    }

    /// The request ID, also sent back in the `X-Request-Id` response header.
    public var id: String {
        read { api.pointee.request_id?(handle, $0) } ?? ""
    }

    /// Logs `message` at `level` with the request ID and the plugin's name attached.
    public func log(_ level: LogLevel, _ message: String) {
        message.withIAStr { api.pointee.request_log?(handle, level.rawValue, $0) }
    }

    /// Calls a host getter that fills an `ia_str`; `nil` unless it returned `IA_OK`.
    func read(_ getter: (UnsafeMutablePointer<ia_str>) -> ia_status?) -> String? {
        var view = ia_str()
        guard getter(&view) == IA_OK else { return nil }
        return view.string
    }
}

// Handlers run on many threads; a request belongs to one of them.
@available(*, unavailable)
extension Request: Sendable {}
