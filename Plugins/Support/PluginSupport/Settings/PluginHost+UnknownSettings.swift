public import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PluginHost {
    /// Logs a warning for each key of the plugin's settings section that is not in `known` (a typo in
    /// `plugins.conf` would otherwise pass silently). `enabled` and `library`, the host's own keys, are always known.
    public func warnAboutUnknownSettings(known: Set<String>) {
        guard let json = try? settingsJSON(),
            let section = try? JSONDecoder().decode([String: IgnoredValue].self, from: Data(json.utf8))
        else { return }
        let all = known.union(["enabled", "library"])
        for key in section.keys.sorted() where !all.contains(key) {
            log(.warning, "ignoring unknown setting '\(key)' (known: \(all.sorted().joined(separator: ", ")))")
        }
    }
}

/// Any JSON value, read only for its key.
private struct IgnoredValue: Decodable {
    init(from decoder: any Decoder) throws {}
}
