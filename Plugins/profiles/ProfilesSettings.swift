import ImageAppPlugin
import PluginSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `[plugins.profiles]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `avatar_max_bytes` | `8388608` (8 MiB) | the largest avatar file accepted, 1 byte to 64 MiB |
/// | `count_queries` | `["posts.profile_counts", "follows.profile_counts"]` | queries whose integers fill `counts` |
///
/// From the environment, `IMAGEAPP_PLUGIN_PROFILES__COUNT_QUERIES` is a comma-separated list (empty for none).
struct ProfilesSettings: Sendable {
    /// The default of `avatar_max_bytes`.
    static let defaultAvatarMaxBytes = 8 * 1024 * 1024
    /// The largest `avatar_max_bytes` allowed: the whole upload is held in memory while it is checked.
    static let avatarMaxBytesLimit = 64 * 1024 * 1024
    /// The default of `count_queries`: the plugins expected to own posts and follows.
    static let defaultCountQueries = ["posts.profile_counts", "follows.profile_counts"]
    /// Room for the multipart framing around the avatar (boundaries, part headers, small extra fields), added to
    /// `avatar_max_bytes` for the route's body limit.
    static let multipartOverheadBytes = 64 * 1024

    /// The largest avatar file accepted, in bytes.
    var avatarMaxBytes: Int
    /// Queries dispatched with `{"user_id"}` for a profile's `counts`, in order (later ones win a shared key).
    var countQueries: [String]
    /// Prefix of the plugin's own Redis keys.
    var redisPrefix: String

    /// The body limit of `PUT /api/v1/me/avatar`.
    var avatarBodyLimit: UInt64 {
        UInt64(avatarMaxBytes + Self.multipartOverheadBytes)
    }

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load the
    ///   plugin with that sentence.
    init(host: PluginHost) throws(PluginError) {
        let maxBytes = try host.intSetting("avatar_max_bytes") ?? Self.defaultAvatarMaxBytes
        guard (1...Self.avatarMaxBytesLimit).contains(maxBytes) else {
            throw PluginError(
                status: .invalidArgument,
                message: "setting 'avatar_max_bytes' must be from 1 to \(Self.avatarMaxBytesLimit), got \(maxBytes)"
            )
        }
        avatarMaxBytes = maxBytes
        redisPrefix = try host.setting("redis_prefix") ?? "profiles"

        let section = try Self.section(host)
        countQueries = try Self.countQueries(from: section.countQueries)
        for key in section.keys.sorted() where !Self.knownKeys.contains(key) {
            let known = Self.knownKeys.sorted().joined(separator: ", ")
            host.log(.warning, "ignoring unknown setting '\(key)' (known: \(known))")
        }
    }

    /// Keys of the section this plugin reads, plus the host's own.
    private static let knownKeys: Set<String> = ["avatar_max_bytes", "count_queries", "redis_prefix", "enabled", "library"]

    /// The parts of the section read here as JSON, since `count_queries` is an array.
    private static func section(_ host: PluginHost) throws(PluginError) -> Section {
        let json = try host.settingsJSON()
        do {
            return try JSONDecoder().decode(Section.self, from: Data(json.utf8))
        } catch {
            throw PluginError(status: .type, message: "setting 'count_queries' must be an array of query names")
        }
    }

    /// Checks the query names: the host's command-name rule, `"<plugin>.<name>"`; duplicates are dropped.
    private static func countQueries(from value: CountQueriesValue?) throws(PluginError) -> [String] {
        let names: [String]
        switch value {
        case nil: return defaultCountQueries
        case .list(let list): names = list
        case .text(let text):
            // From the environment: "posts.profile_counts, follows.profile_counts", or "" for none.
            names = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        var seen: Set<String> = []
        var result: [String] = []
        for name in names {
            guard isQueryName(name) else {
                throw PluginError(
                    status: .invalidArgument,
                    message: "setting 'count_queries' lists '\(name)', which is not a query name "
                        + "(\"<plugin>.<name>\", at most 128 of a-z, 0-9, '.', '-' and '_')"
                )
            }
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    /// 3–128 of `a-z 0-9 . - _`, with a dot that is neither first nor last.
    private static func isQueryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...128).contains(bytes.count), let dot = bytes.firstIndex(of: UInt8(ascii: ".")),
            dot > 0, bytes.last != UInt8(ascii: ".")
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

/// The settings section as the host hands it over: every key, and `count_queries` decoded.
private struct Section: Decodable {
    var keys: [String]
    var countQueries: CountQueriesValue?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        keys = container.allKeys.map(\.stringValue)
        countQueries = try container.decodeIfPresent(CountQueriesValue.self, forKey: AnyCodingKey("count_queries"))
    }
}

/// `count_queries` from the file (an array) or from the environment (text).
private enum CountQueriesValue: Decodable {
    case list([String])
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .list(try container.decode([String].self))
        }
    }
}
