import Foundation
import ImageAppPlugin

/// The `[plugins.realtime]` settings.
struct RealtimeSettings: Sendable {
    /// Origins (`scheme://host[:port]`, lower case) besides the site's own that may open a stream with the session
    /// cookie.
    var allowedOrigins: Set<String>

    init(host: PluginHost) throws {
        let section = try JSONSerialization.jsonObject(with: Data(try host.settingsJSON().utf8)) as? [String: Any]
        switch section?["allowed_origins"] {
        case nil: allowedOrigins = []
        case let list as [String]: allowedOrigins = Set(list.map { $0.lowercased() })
        case let text as String:
            allowedOrigins = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        default:
            throw PluginError(status: .invalidArgument, message: "setting 'allowed_origins' must be a list of strings")
        }
    }
}
