import CImageAppPlugin

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// How the SDK turns a Response, or a thrown error, into host calls. Shared by the route, pending-route and
// middleware trampolines and by Responder.

extension Request {
    /// Writes `response` through the host. Returns `false` if the host refused part of it; what was refused is
    /// logged on the request, and a refused status or body is replaced by a 500.
    func send(_ response: Response) -> Bool {
        // Slot by slot, never a copy of the whole table: an older host's table may be shorter than ours.
        guard let setStatus = api.pointee.response_set_status, let addHeader = api.pointee.response_add_header,
            let setBody = api.pointee.response_set_body
        else { return false }

        let statusResult = PluginStatus(rawValue: setStatus(handle, Int32(clamping: response.status)))
        // The host already answered (a pending route that timed out, or a client that went away): nothing to write.
        if statusResult == .state { return false }
        guard statusResult == .ok else {
            log(.error, "the host refused response status \(response.status): \(statusResult)")
            return sendInternalError(addingContentType: true)
        }
        for (name, value) in response.headers {
            let result = name.withIAStr { name in value.withIAStr { value in addHeader(handle, name, value) } }
            if PluginStatus(rawValue: result) != .ok {
                // A refused header (Content-Length, say) does not make the response wrong: skip it.
                log(.warning, "the host refused response header '\(name)': \(PluginStatus(rawValue: result))")
            }
        }
        let bodyResult: PluginStatus
        if let file = response.file {
            bodyResult = sendFile(file, setBody: setBody)
        } else {
            bodyResult = PluginStatus(rawValue: response.body.withUnsafeBytes { setBody(handle, $0.baseAddress, $0.count) })
        }
        guard bodyResult == .ok else {
            log(.error, "the host refused a response body of \(response.file?.length ?? UInt64(response.body.count)) bytes: \(bodyResult)")
            // Headers cannot be taken back; add a Content-Type only if the response did not have one.
            return sendInternalError(addingContentType: response.header("Content-Type") == nil)
        }
        return true
    }

    /// Hands a file body to the host (ABI 1.10), or on an older host reads it into memory; the descriptor is closed
    /// either way.
    private func sendFile(
        _ file: Response.FileRange,
        setBody: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> ia_status
    ) -> PluginStatus {
        if api.has(\.response_send_file), let sendFile = api.pointee.response_send_file {
            return PluginStatus(rawValue: sendFile(handle, file.descriptor, file.offset, file.length))
        }
        defer { close(file.descriptor) }
        guard file.length <= UInt64(Int.max) else { return .invalidArgument }
        var bytes = [UInt8](repeating: 0, count: Int(file.length))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                pread(file.descriptor, $0.baseAddress! + done, $0.count - done, off_t(file.offset) + off_t(done))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return .internal }
            done += count
        }
        return PluginStatus(rawValue: bytes.withUnsafeBytes { setBody(handle, $0.baseAddress, $0.count) })
    }

    /// The response for an error thrown by a handler or middleware: an ``HTTPError`` renders itself; anything else
    /// is logged here (never sent to the client) and becomes a 500 `internal_error`.
    func response(for error: any Error) -> Response {
        if let error = error as? HTTPError {
            return error.response
        }
        log(.error, "unhandled error: \(String(reflecting: error))")
        return HTTPError.internalError.response
    }

    /// Falls back to the generic 500 after the host refused part of a response. Always returns `false`.
    private func sendInternalError(addingContentType: Bool) -> Bool {
        let fallback = HTTPError.internalError.response
        _ = api.pointee.response_set_status?(handle, Int32(fallback.status))
        if addingContentType {
            _ = "Content-Type".withIAStr { name in
                "application/json".withIAStr { value in api.pointee.response_add_header?(handle, name, value) }
            }
        }
        _ = fallback.body.withUnsafeBytes { api.pointee.response_set_body?(handle, $0.baseAddress, $0.count) }
        return false
    }
}

extension Request {
    /// Adds a response header now, before the handler answers: for middleware that must say something on whatever
    /// response follows (a refreshed cookie, say). Headers are additive; the handler's own come after.
    ///
    /// - Throws: ``PluginError`` when the host refuses it (`Content-Length` and other headers the host owns, an
    ///   invalid name or value).
    public func addResponseHeader(_ name: String, _ value: String) throws(PluginError) {
        let raw = name.withIAStr { name in
            value.withIAStr { value in api.pointee.response_add_header?(handle, name, value) ?? IA_ERR_UNSUPPORTED }
        }
        let status = PluginStatus(rawValue: raw)
        guard status == .ok else {
            throw PluginError(status: status, message: "the host refused response header '\(name)': \(status)")
        }
    }
}
