/// The Swift toolchain the host was built with. Swift has no stable ABI on Linux, so Swift
/// plugins must come from the same toolchain release (major.minor) as the host.
enum Toolchain {
    static var current: String {
        #if compiler(>=6.6)
        "swift-6.6"
        #elseif compiler(>=6.5)
        "swift-6.5"
        #elseif compiler(>=6.4)
        "swift-6.4"
        #elseif compiler(>=6.3)
        "swift-6.3"
        #elseif compiler(>=6.2)
        "swift-6.2"
        #else
        "swift-6.1"
        #endif
    }

    /// `swift-X.Y` of a `swift-X.Y[.Z][-suffix]` string (`swift-6.6-or-later` gives `swift-6.6`).
    static func release(of text: String) -> String {
        guard text.hasPrefix("swift-") else { return text }
        let numbers = text.dropFirst("swift-".count).split(whereSeparator: { !$0.isNumber }).prefix(2)
        return "swift-" + numbers.joined(separator: ".")
    }
}

/// The host's own version.
public enum HostVersion {
    public static let current = "0.1.0"
}
