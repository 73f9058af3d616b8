import CImageAppPlugin

extension PluginABI {
    /// The Swift toolchain that compiled this plugin, as `swift-X.Y.Z` (the descriptor's `toolchain`).
    ///
    /// Linux has no stable Swift ABI, so the host refuses a plugin from another Swift release (major.minor). The
    /// version comes from the compiler itself (`IA_SWIFT_COMPILER_VERSION`, Swift's `__swift__`), so no list of
    /// releases needs extending when a toolchain ships.
    public static var toolchain: String {
        let version = Int(IA_SWIFT_COMPILER_VERSION)
        return "swift-\(version / 10000).\(version / 100 % 100).\(version % 100)"
    }
}
