#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PluginHost {
    /// Runs command `name` and decodes its JSON result as `T` (snake_case keys); see
    /// ``dispatchCommand(_:payload:)`` for threads and errors.
    ///
    /// - Throws: ``HTTPError``: the command's refusal, 503, or 500 when it fails or its result is not a `T` (the
    ///   mismatch is logged here, never sent: it is the plugins' bug, not the client's).
    public func dispatchCommand<T: Decodable>(_ name: String, payload: some Encodable, as type: T.Type) throws(HTTPError) -> T {
        try decodeResult(try dispatchCommand(name, payload: payload), of: name, as: type)
    }

    /// Runs command `name` with a payload already written as JSON text, and decodes its result as `T`; for hot paths
    /// whose payload is cheaper to write by hand than to encode. See ``dispatchCommand(_:payload:as:)``.
    public func dispatchCommand<T: Decodable>(_ name: String, json: String, as type: T.Type) throws(HTTPError) -> T {
        try decodeResult(try dispatchCommand(name, json: json), of: name, as: type)
    }

    /// Runs query `name` and decodes its JSON result as `T`; see ``dispatchCommand(_:payload:as:)``.
    public func dispatchQuery<T: Decodable>(_ name: String, payload: some Encodable, as type: T.Type) throws(HTTPError) -> T {
        try decodeResult(try dispatchQuery(name, payload: payload), of: name, as: type)
    }

    private func decodeResult<T: Decodable>(_ json: String?, of name: String, as type: T.Type) throws(HTTPError) -> T {
        do {
            return try JSONCoding.decode(type, from: Data((json ?? "null").utf8), subject: "result", rootName: "result")
        } catch {
            log(.error, "the result of '\(name)' is not a \(T.self): \(error)")
            throw .internalError
        }
    }
}
