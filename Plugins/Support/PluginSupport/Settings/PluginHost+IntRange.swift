public import ImageAppPlugin

extension PluginHost {
    /// The integer setting `key`, or `nil` when it is not set.
    ///
    /// - Throws: ``PluginError`` "setting 'KEY' must be from MIN to MAX, got VALUE" for a value outside `range` (the
    ///   host then refuses to load the plugin with that sentence), or the host's error for a value that is no integer.
    public func intSetting(_ key: String, in range: ClosedRange<Int>) throws(PluginError) -> Int? {
        guard let value = try intSetting(key) else { return nil }
        guard range.contains(value) else {
            throw PluginError(
                status: .invalidArgument,
                message: "setting '\(key)' must be from \(range.lowerBound) to \(range.upperBound), got \(value)"
            )
        }
        return value
    }
}
