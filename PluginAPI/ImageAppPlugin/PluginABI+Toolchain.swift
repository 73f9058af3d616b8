extension PluginABI {
    /// The Swift toolchain that compiled this plugin, as `swift-X.Y.Z` (the descriptor's `toolchain`).
    ///
    /// Swift has no runtime query for this, and Linux has no stable Swift ABI, so the host compares it with its own
    /// toolchain. The ladder is newest first so the first match is the exact version; extend it when a toolchain ships.
    public static var toolchain: String {
        #if compiler(>=6.6)
        // Newer than this ladder: say so rather than claim a version it is not.
        return "swift-6.6-or-later"
        #elseif compiler(>=6.5.5)
        return "swift-6.5.5"
        #elseif compiler(>=6.5.4)
        return "swift-6.5.4"
        #elseif compiler(>=6.5.3)
        return "swift-6.5.3"
        #elseif compiler(>=6.5.2)
        return "swift-6.5.2"
        #elseif compiler(>=6.5.1)
        return "swift-6.5.1"
        #elseif compiler(>=6.5.0)
        return "swift-6.5.0"
        #elseif compiler(>=6.4.5)
        return "swift-6.4.5"
        #elseif compiler(>=6.4.4)
        return "swift-6.4.4"
        #elseif compiler(>=6.4.3)
        return "swift-6.4.3"
        #elseif compiler(>=6.4.2)
        return "swift-6.4.2"
        #elseif compiler(>=6.4.1)
        return "swift-6.4.1"
        #elseif compiler(>=6.4.0)
        return "swift-6.4.0"
        #elseif compiler(>=6.3.5)
        return "swift-6.3.5"
        #elseif compiler(>=6.3.4)
        return "swift-6.3.4"
        #elseif compiler(>=6.3.3)
        return "swift-6.3.3"
        #elseif compiler(>=6.3.2)
        return "swift-6.3.2"
        #elseif compiler(>=6.3.1)
        return "swift-6.3.1"
        #elseif compiler(>=6.3.0)
        return "swift-6.3.0"
        #elseif compiler(>=6.2.5)
        return "swift-6.2.5"
        #elseif compiler(>=6.2.4)
        return "swift-6.2.4"
        #elseif compiler(>=6.2.3)
        return "swift-6.2.3"
        #elseif compiler(>=6.2.2)
        return "swift-6.2.2"
        #elseif compiler(>=6.2.1)
        return "swift-6.2.1"
        #elseif compiler(>=6.2.0)
        return "swift-6.2.0"
        #elseif compiler(>=6.1.3)
        return "swift-6.1.3"
        #elseif compiler(>=6.1.2)
        return "swift-6.1.2"
        #elseif compiler(>=6.1.1)
        return "swift-6.1.1"
        #elseif compiler(>=6.1.0)
        return "swift-6.1.0"
        #elseif compiler(>=6.0.3)
        return "swift-6.0.3"
        #elseif compiler(>=6.0.2)
        return "swift-6.0.2"
        #elseif compiler(>=6.0.1)
        return "swift-6.0.1"
        #elseif compiler(>=6.0.0)
        return "swift-6.0.0"
        #else
        return "swift-5-or-earlier"
        #endif
    }
}
