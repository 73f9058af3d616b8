public import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A setting that lists query names, such as `count_queries = ["posts.profile_counts"]`: queries of other plugins
/// that this one asks if they are registered.
public enum QueryNameList {
    /// Reads setting `key`: an array of names in `plugins.conf`, or comma-separated text from the environment
    /// (`""` for none); `defaults` when it is not set. Duplicates are dropped.
    ///
    /// - Throws: ``PluginError`` naming the setting when it is not a list of query names
    ///   (`"<plugin>.<name>"`, at most 128 of `a-z 0-9 . - _`), so that the host refuses to load the plugin.
    public static func setting(_ key: String, host: PluginHost, defaults: [String]) throws(PluginError) -> [String] {
        let value: Value?
        do {
            let section = try JSONDecoder().decode([String: Value].self, from: Data(try host.settingsJSON().utf8))
            value = section[key]
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError(status: .type, message: "setting '\(key)' must be an array of query names")
        }
        let names: [String]
        switch value {
        case nil: return defaults
        case .list(let list): names = list
        case .text(let text):
            names = text.split(separator: ",").map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
                .filter { !$0.isEmpty }
        case .other: throw PluginError(status: .type, message: "setting '\(key)' must be an array of query names")
        }
        var seen: Set<String> = []
        var result: [String] = []
        for name in names {
            guard isQueryName(name) else {
                throw PluginError(
                    status: .invalidArgument,
                    message: "setting '\(key)' lists '\(name)', which is not a query name "
                        + "(\"<plugin>.<name>\", at most 128 of a-z, 0-9, '.', '-' and '_')"
                )
            }
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    /// 3–128 of `a-z 0-9 . - _`, with a dot that is neither first nor last.
    public static func isQueryName(_ name: String) -> Bool {
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

    /// A settings value: a list from the file, text from the environment, or anything else (refused when it is the
    /// key asked for).
    private enum Value: Decodable {
        case list([String])
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let list = try? container.decode([String].self) {
                self = .list(list)
            } else {
                self = .other
            }
        }
    }
}
