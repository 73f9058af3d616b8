import CImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PluginHost {
    /// Runs command `name` (of any plugin) with `payload` encoded as JSON (snake_case keys, ISO 8601 dates) and
    /// waits for it; returns its JSON result, or `nil` when it set none.
    ///
    /// Call it from a worker thread only: a blocking route's handler (never a ``RouteFlags/nonblocking`` one, which
    /// runs on an event loop), a command-line command, an event handler or a job. It blocks while the command runs
    /// and is retried. A command dispatched from inside another command runs and commits in a transaction of its
    /// own.
    ///
    /// - Throws: ``HTTPError``, ready for a route handler to rethrow:
    ///   - the command's refusal as it made it, such as 409 `handle_taken`;
    ///   - 503 `unavailable` with `Retry-After: 1` when there is no database or transient failures outlasted the
    ///     host's retries;
    ///   - 500 `internal_error` for anything else (no such command, a failed statement, a handler error, a host
    ///     without ABI 1.1), whose details are logged here and never put in the error.
    public func dispatchCommand(_ name: String, payload: some Encodable) throws(HTTPError) -> String? {
        try dispatch(name, json: try encode(payload, for: name), isQuery: false)
    }

    /// Runs command `name` with a payload that is already JSON text (`{}` by default); see
    /// ``dispatchCommand(_:payload:)``.
    public func dispatchCommand(_ name: String, json: String = "{}") throws(HTTPError) -> String? {
        try dispatch(name, json: json, isQuery: false)
    }

    /// Runs query `name` (of any plugin) with `payload` encoded as JSON and waits for it; returns its JSON result, or
    /// `nil` when it set none. Threads and errors are as for ``dispatchCommand(_:payload:)``.
    public func dispatchQuery(_ name: String, payload: some Encodable) throws(HTTPError) -> String? {
        try dispatch(name, json: try encode(payload, for: name), isQuery: true)
    }

    /// Runs query `name` with a payload that is already JSON text (`{}` by default); see
    /// ``dispatchQuery(_:payload:)``.
    public func dispatchQuery(_ name: String, json: String = "{}") throws(HTTPError) -> String? {
        try dispatch(name, json: json, isQuery: true)
    }

    /// Runs query `name` like ``dispatchQuery(_:payload:)``, but answers `nil` instead of failing when no plugin has
    /// registered a query of that name.
    ///
    /// For optional collaborations between plugins, where the other plugin may be disabled or not installed: a profile
    /// asks `posts.profile_counts` for its post count, and shows none when there is no posts plugin.
    ///
    /// ```swift
    /// if let counts = try host.dispatchQueryIfRegistered("posts.profile_counts", payload: ["user_id": id]) { … }
    /// ```
    ///
    /// - Returns: `nil` when the host has no query `name` (it answered `IA_ERR_NOT_FOUND`); otherwise the query's
    ///   JSON result, or the text `null` when the query set none.
    /// - Throws: ``HTTPError`` as ``dispatchQuery(_:payload:)`` does, for every other failure.
    public func dispatchQueryIfRegistered(_ name: String, payload: some Encodable) throws(HTTPError) -> String? {
        try dispatchQueryIfRegistered(name, json: try encode(payload, for: name))
    }

    /// Runs query `name` with a payload that is already JSON text (`{}` by default), answering `nil` when no plugin
    /// has registered it; see ``dispatchQueryIfRegistered(_:payload:)``.
    public func dispatchQueryIfRegistered(_ name: String, json: String = "{}") throws(HTTPError) -> String? {
        switch try dispatch(name, json: json, isQuery: true, missingIsNil: true) {
        case .result(let result): result ?? "null"
        case .notRegistered: nil
        }
    }

    /// Encodes a payload; an encoding failure is logged and becomes a 500.
    private func encode(_ payload: some Encodable, for name: String) throws(HTTPError) -> String {
        do {
            return try JSONCoding.encode(payload)
        } catch {
            log(.error, "cannot encode the payload for '\(name)': \(String(reflecting: error))")
            throw .internalError
        }
    }

    /// Calls `dispatch_command` or `dispatch_query` and maps the outcome; a missing handler is a 500.
    private func dispatch(_ name: String, json: String, isQuery: Bool) throws(HTTPError) -> String? {
        switch try dispatch(name, json: json, isQuery: isQuery, missingIsNil: false) {
        case .result(let result): result
        case .notRegistered: nil  // Not produced when `missingIsNil` is false.
        }
    }

    /// What a dispatch produced: the handler's result (`nil` for none), or no handler of that name.
    private enum DispatchOutcome {
        case result(String?)
        case notRegistered
    }

    /// Calls `dispatch_command` or `dispatch_query`, always frees the result buffer, and maps the outcome.
    ///
    /// - Parameter missingIsNil: Answer ``DispatchOutcome/notRegistered`` for `IA_ERR_NOT_FOUND` (no handler of that
    ///   name) instead of logging it and throwing a 500.
    private func dispatch(
        _ name: String,
        json: String,
        isQuery: Bool,
        missingIsNil: Bool
    ) throws(HTTPError) -> DispatchOutcome {
        let kind = isQuery ? "query" : "command"
        let slot = isQuery ? \ia_host_api.dispatch_query : \ia_host_api.dispatch_command
        guard has(slot), has(\.buffer_view), has(\.buffer_free), let dispatch = api.pointee[keyPath: slot] else {
            let (major, minor) = abiVersion
            log(
                .error,
                "cannot dispatch \(kind) '\(name)': this host implements plugin ABI \(major).\(minor), "
                    + "and commands and queries need 1.1"
            )
            throw .internalError
        }
        var buffer: OpaquePointer?
        var error = ia_error.empty()
        let status = PluginStatus(
            rawValue: name.withIAStr { name in json.withIAStr { json in dispatch(handle, name, json, &buffer, &error) } }
        )
        defer { api.pointee.buffer_free?(buffer) }
        let result = buffer.flatMap(text)

        switch status {
        case .ok:
            return .result(result)
        case .notFound where missingIsNil:
            return .notRegistered
        case .rejected:
            throw refusal(result, status: error.code, message: error.messageString)
        case .unavailable:
            log(.warning, "\(kind) '\(name)' is unavailable: \(error.messageString)")
            throw .unavailable()
        default:
            let sqlState = error.sqlStateString
            log(
                .error,
                "\(kind) '\(name)' failed: \(status): \(error.messageString)"
                    + (sqlState.isEmpty ? "" : " (SQLSTATE \(sqlState))")
            )
            throw .internalError
        }
    }

    /// The bytes of a host buffer as text.
    private func text(_ buffer: OpaquePointer) -> String? {
        var view = ia_str()
        guard api.pointee.buffer_view?(buffer, &view) == IA_OK else { return nil }
        return view.string
    }

    /// The ``HTTPError`` for a refusal: `{"error":{"code","message","details"}}` and `error->code` as its status.
    private func refusal(_ json: String?, status: Int32, message: String) -> HTTPError {
        let httpStatus = (400...599).contains(status) ? Int(status) : 400
        guard let json, let body = try? JSONDecoder().decode(RefusalBody.self, from: Data(json.utf8)) else {
            return HTTPError(status: httpStatus, code: "rejected", message: message)
        }
        return HTTPError(
            status: httpStatus,
            code: body.error.code,
            message: body.error.message,
            details: body.error.details
        )
    }
}

/// The product's error shape, as the host writes a refusal.
private struct RefusalBody: Decodable {
    struct Content: Decodable {
        var code: String
        var message: String
        var details: [String: String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(String.self, forKey: .code)
            message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
            // Details of other shapes (numbers, nested objects) are dropped rather than failing the whole refusal.
            details = (try? container.decodeIfPresent([String: String].self, forKey: .details)) ?? [:]
        }

        private enum CodingKeys: String, CodingKey {
            case code, message, details
        }
    }

    var error: Content
}
