#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An HTTP response a handler returns (or passes to ``Responder/complete(_:)``).
///
/// The host sets `Content-Length` and `Transfer-Encoding` itself; do not add them.
public struct Response: Sendable {
    /// The HTTP status; 200 by default.
    public var status: Int
    /// Header fields in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]
    /// A file range to send instead of ``body``, streamed from disk by the host (``file(descriptor:offset:length:status:headers:)``).
    public var file: FileRange?

    /// A range of an open file as a response body.
    ///
    /// Ownership: the host takes the descriptor when the response is sent (and closes it, whatever happens); a
    /// response that is never sent leaves the descriptor to you.
    public struct FileRange: Sendable {
        /// An open, readable file descriptor.
        public var descriptor: Int32
        /// The first byte to send.
        public var offset: UInt64
        /// How many bytes to send; `Content-Length`.
        public var length: UInt64
    }

    /// A response whose body is `length` bytes of the open file `descriptor` from `offset`, streamed from disk as the
    /// client reads it (never whole in memory; on hosts before ABI 1.10 the SDK reads it into memory). The host takes
    /// the descriptor when the response is sent.
    public static func file(
        descriptor: Int32,
        offset: UInt64 = 0,
        length: UInt64,
        status: Int = 200,
        headers: [(name: String, value: String)] = []
    ) -> Response {
        var response = Response(status: status, headers: headers)
        response.file = FileRange(descriptor: descriptor, offset: offset, length: length)
        return response
    }

    /// Creates a response.
    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response: `value` encoded with snake_case keys and ISO 8601 (RFC 3339, UTC) dates.
    ///
    /// - Throws: The encoder's error, for example for a non-finite `Double`; thrown from a handler, it becomes a 500.
    public static func json(_ value: some Encodable, status: Int = 200) throws -> Response {
        let body = try JSONCoding.makeEncoder().encode(value)
        return Response(status: status, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    /// A JSON response whose body is `json`, already encoded, such as a command's result from
    /// ``PluginHost/dispatchCommand(_:json:)``. It is sent as it is, without checking.
    public static func json(raw json: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// A plain-text response in UTF-8.
    public static func text(_ text: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// 204 No Content.
    public static var noContent: Response {
        Response(status: 204)
    }

    /// The error response for `error`: its status and the JSON error body.
    public static func error(_ error: HTTPError) -> Response {
        error.response
    }

    /// The value of the first header named `name` (case-insensitive), or `nil`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
