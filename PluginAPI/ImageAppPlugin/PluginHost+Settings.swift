import CImageAppPlugin

extension PluginHost {
    /// The string setting `key` from this plugin's `plugins.conf` section, or `nil` when it is not set.
    ///
    /// `key` is a dotted path inside the section (`"smtp.host"`); an environment variable
    /// `IMAGEAPP_PLUGIN_<PLUGIN>__<KEY>` overrides the file. Thread-safe.
    ///
    /// - Throws: ``PluginError`` with status ``PluginStatus/type`` when the setting exists with another type.
    public func setting(_ key: String) throws(PluginError) -> String? {
        var value = ia_str()
        let status = key.withIAStr { api.pointee.config_string?(handle, $0, &value) ?? IA_ERR_UNSUPPORTED }
        return try settingResult(status, key: key, expected: "a string") ? value.string : nil
    }

    /// The integer setting `key`, or `nil` when it is not set. See ``setting(_:)``.
    ///
    /// - Throws: ``PluginError`` when the setting exists with another type or does not fit in `Int`.
    public func intSetting(_ key: String) throws(PluginError) -> Int? {
        var value: Int64 = 0
        let status = key.withIAStr { api.pointee.config_int?(handle, $0, &value) ?? IA_ERR_UNSUPPORTED }
        guard try settingResult(status, key: key, expected: "an integer") else { return nil }
        guard let int = Int(exactly: value) else {
            throw PluginError(status: .type, message: "setting '\(key)' is out of range: \(value)")
        }
        return int
    }

    /// The floating-point setting `key`, or `nil` when it is not set. See ``setting(_:)``.
    ///
    /// - Throws: ``PluginError`` with status ``PluginStatus/type`` when the setting exists with another type.
    public func doubleSetting(_ key: String) throws(PluginError) -> Double? {
        var value: Double = 0
        let status = key.withIAStr { api.pointee.config_double?(handle, $0, &value) ?? IA_ERR_UNSUPPORTED }
        return try settingResult(status, key: key, expected: "a number") ? value : nil
    }

    /// The boolean setting `key`, or `nil` when it is not set. See ``setting(_:)``.
    ///
    /// - Throws: ``PluginError`` with status ``PluginStatus/type`` when the setting exists with another type.
    public func boolSetting(_ key: String) throws(PluginError) -> Bool? {
        var value: Int32 = 0
        let status = key.withIAStr { api.pointee.config_bool?(handle, $0, &value) ?? IA_ERR_UNSUPPORTED }
        return try settingResult(status, key: key, expected: "a boolean") ? value != 0 : nil
    }

    /// This plugin's whole settings section (overrides applied) as JSON object text. Thread-safe.
    ///
    /// - Throws: ``PluginError`` when the host cannot provide it.
    public func settingsJSON() throws(PluginError) -> String {
        var value = ia_str()
        let status = PluginStatus(rawValue: api.pointee.config_json?(handle, &value) ?? IA_ERR_UNSUPPORTED)
        guard status == .ok else {
            throw PluginError(status: status, message: "the host could not provide the settings: \(status)")
        }
        return value.string
    }

    /// `true` when a value was read, `false` when the setting is absent; throws on every other status.
    private func settingResult(_ raw: ia_status, key: String, expected: String) throws(PluginError) -> Bool {
        let status = PluginStatus(rawValue: raw)
        switch status {
        case .ok: return true
        case .notFound: return false
        case .type: throw PluginError(status: status, message: "setting '\(key)' must be \(expected)")
        default: throw PluginError(status: status, message: "setting '\(key)' could not be read: \(status)")
        }
    }
}
