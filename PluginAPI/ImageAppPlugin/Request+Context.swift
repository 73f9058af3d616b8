import CImageAppPlugin

// What middleware tells handlers: the principal and string attributes.

extension Request {
    /// The authenticated caller set by middleware, or `nil` when the request is anonymous.
    public var principal: Principal? {
        var raw = ia_principal()
        raw.struct_size = PluginABI.structSize(of: ia_principal.self)
        guard api.pointee.request_principal?(handle, &raw) == IA_OK else { return nil }
        return Principal(userID: raw.user_id, handle: raw.handle.string, role: raw.role.string)
    }

    /// Sets the authenticated caller (the host copies it). Meant for authentication middleware.
    ///
    /// - Throws: ``PluginError`` when the host refuses it.
    public func setPrincipal(_ principal: Principal) throws(PluginError) {
        let status = withIAStrs([principal.handle, principal.role]) { views in
            var raw = ia_principal()
            raw.struct_size = PluginABI.structSize(of: ia_principal.self)
            raw.user_id = principal.userID
            raw.handle = views[0]
            raw.role = views[1]
            return PluginStatus(rawValue: api.pointee.request_set_principal?(handle, &raw) ?? IA_ERR_UNSUPPORTED)
        }
        guard status == .ok else {
            throw PluginError(status: status, message: "the host refused the principal: \(status)")
        }
    }

    /// The request attribute `key` set by a middleware of any plugin (such as `auth.session_id`), or `nil`.
    public func attribute(_ key: String) -> String? {
        key.withIAStr { key in read { api.pointee.request_attribute?(handle, key, $0) } }
    }

    /// Sets request attribute `key` to `value` (copied), for middleware to pass facts to later handlers.
    ///
    /// - Throws: ``PluginError`` when the host refuses it.
    public func setAttribute(_ key: String, _ value: String) throws(PluginError) {
        let raw = key.withIAStr { key in
            value.withIAStr { value in api.pointee.request_set_attribute?(handle, key, value) ?? IA_ERR_UNSUPPORTED }
        }
        let status = PluginStatus(rawValue: raw)
        guard status == .ok else {
            throw PluginError(status: status, message: "the host refused attribute '\(key)': \(status)")
        }
    }
}
