import CImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Request {
    /// Calls `body` with the request body in host memory, without copying it (already size-checked by the host).
    public func withBody<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var data: UnsafeRawPointer?
        var count = 0
        guard api.pointee.request_body?(handle, &data, &count) == IA_OK else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// A copy of the request body.
    public var body: [UInt8] {
        withBody { Array($0) }
    }

    /// The request body as UTF-8 text (invalid sequences repaired).
    public var bodyString: String {
        withBody { String(decoding: $0, as: UTF8.self) }
    }

    /// Decodes the JSON body as `type`, converting snake_case keys to camelCase and reading ISO 8601 dates.
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` when the body is empty, is not JSON, or does not have the expected
    ///   shape (a missing field, a wrong type); `details` then names the field. Checks of the *values* (ranges,
    ///   lengths) are the handler's, with ``HTTPError/unprocessable(fields:message:)``.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(HTTPError) -> T {
        try JSONCoding.decode(T.self, from: withBody { Data($0) }, subject: "request body", rootName: "body")
    }
}
