import CImageAppPlugin

/// The Swift toolchain the host was built with. Swift has no stable ABI on Linux, so Swift
/// plugins must come from the same toolchain release (major.minor) as the host.
enum Toolchain {
    /// The compiler's major and minor version, from `IA_SWIFT_COMPILER_VERSION` (MMmmpp): no
    /// list of releases to extend when a new one ships.
    static let release: Release = Release(major: Int(IA_SWIFT_COMPILER_VERSION) / 10000, minor: Int(IA_SWIFT_COMPILER_VERSION) / 100 % 100)

    /// `swift-X.Y`, as the host reports itself (`ia_host_info.toolchain`, messages).
    static var current: String { "swift-\(release.major).\(release.minor)" }

    /// A Swift release: what must match between the host and a Swift plugin.
    struct Release: Equatable, Sendable {
        var major: Int
        var minor: Int
    }

    /// The release of a `swift-X.Y[.Z][-suffix]` string (`swift-6.6-or-later` gives 6.6), or nil
    /// when the text does not start that way.
    static func release(of text: String) -> Release? {
        guard text.hasPrefix("swift-") else { return nil }
        let numbers = text.dropFirst("swift-".count).split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard numbers.count >= 2, let major = Int(numbers[0]) else { return nil }
        let minorDigits = numbers[1].prefix { $0.isASCII && $0.isNumber }
        guard !minorDigits.isEmpty, let minor = Int(minorDigits) else { return nil }
        return Release(major: major, minor: minor)
    }

    /// Whether a plugin built with `text` can run in this host: same major and minor.
    static func isCompatible(_ text: String) -> Bool {
        release(of: text) == release
    }
}

/// The host's own version.
public enum HostVersion {
    public static let current = "0.1.0"
}
