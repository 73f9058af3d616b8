import CImageAppPlugin

// Shared plumbing for the host calls of ABI 1.4 and 1.5 (blobs, Redis, the cache): slot checks, status checks and
// host buffers, which are always freed.

extension PluginHost {
    /// The ``PluginError`` for a host whose table lacks the slots of `feature`, which arrived in ABI `1.minor`.
    func unsupported(_ feature: String, since minor: Int) -> PluginError {
        let (hostMajor, hostMinor) = abiVersion
        return PluginError(
            status: .unsupported,
            message: "\(feature) needs plugin ABI 1.\(minor), and this host implements \(hostMajor).\(hostMinor)"
        )
    }

    /// Throws a ``PluginError`` saying `what` failed unless `raw` is `IA_OK`; the host's message is appended.
    func check(_ raw: ia_status, _ error: ia_error, _ what: @autoclosure () -> String) throws(PluginError) {
        let status = PluginStatus(rawValue: raw)
        guard status != .ok else { return }
        let detail = error.messageString
        throw PluginError(status: status, message: "\(what()): \(status)" + (detail.isEmpty ? "" : ": \(detail)"))
    }

    /// Calls a slot that fills a host buffer, always frees that buffer, and returns a copy of its bytes; `nil` for
    /// `IA_ERR_NOT_FOUND` when `missingIsNil`.
    func bufferCall(
        _ what: @autoclosure () -> String,
        missingIsNil: Bool = false,
        _ call: (inout OpaquePointer?, inout ia_error) -> ia_status
    ) throws(PluginError) -> [UInt8]? {
        var buffer: OpaquePointer?
        var error = ia_error.empty()
        let raw = call(&buffer, &error)
        defer { if let buffer { api.pointee.buffer_free?(buffer) } }
        if missingIsNil, PluginStatus(rawValue: raw) == .notFound { return nil }
        try check(raw, error, what())
        var view = ia_str()
        guard let buffer, api.pointee.buffer_view?(buffer, &view) == IA_OK else {
            throw PluginError(status: .internal, message: "\(what()): the host returned no buffer")
        }
        return view.bytes
    }
}
