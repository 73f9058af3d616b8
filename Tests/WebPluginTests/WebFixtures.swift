import Foundation
import ImageAppTesting

/// The repository's folder (this file is `Tests/WebPluginTests/WebFixtures.swift`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The web app's source files: the tests serve them from here rather than from the copy the build puts next to
/// `image-app`, so an edited module is tested without a rebuild.
let sourceAssets = repositoryRoot + "/Plugins/web/Assets"

/// A host with every product plugin (storage-fs, auth, profiles, ratelimit, realtime, media, posts, likes, comments,
/// follows, feed, trending, notifications and web) on a fresh database, as a site runs them, but with fast scrypt,
/// generous request limits (the browser tests sign up many accounts from one address) and plain-HTTP cookies (the
/// browser reaches the host at http://127.0.0.1). `web` holds extra `[plugins.web]` lines; `webEnabled: false` leaves
/// the web plugin out.
func withWebApp(
    web: String = "",
    webEnabled: Bool = true,
    assets: String = sourceAssets,
    _ body: (AccountsHost) async throws -> Void
) async throws {
    try await withPosts(
        auth: """
            signup_per_ip_limit = 100000
            login_per_ip_limit = 100000
            login_failures_per_account_limit = 1000
            cookie_secure = false
            link_pages = false
            """,
        plugins: { resources in
            """
            [plugins.ratelimit]
            enabled = true
            redis_prefix = "\(resources.namespace):rl"
            anonymous_limit = 100000
            user_limit = 100000
            uploads_limit = 10000

            [plugins.realtime]
            enabled = true

            [plugins.likes]
            enabled = true
            flush_interval_ms = 200
            redis_prefix = "\(resources.namespace):likes"

            [plugins.comments]
            enabled = true

            [plugins.follows]
            enabled = true

            [plugins.feed]
            enabled = true
            redis_prefix = "\(resources.namespace):feed"

            [plugins.trending]
            enabled = true
            interval_ms = 1000
            redis_prefix = "\(resources.namespace):trending"

            [plugins.notifications]
            enabled = true

            [plugins.web]
            enabled = \(webEnabled)
            assets_dir = "\(assets)"
            \(web)
            """
        },
        body
    )
}

/// The parts of the page shell the tests look at.
struct ShellDocument {
    let html: String

    /// The text of the one inline script, the import map.
    var importMapText: String? {
        guard let start = html.range(of: "<script type=\"importmap\">"),
            let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// Module name → URL, from the import map.
    var imports: [String: String] {
        guard let text = importMapText,
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return [:] }
        return object["imports"] as? [String: String] ?? [:]
    }

    /// The values of `attribute` on tags that contain `marker` (such as `rel="modulepreload"`).
    func attributes(_ attribute: String, onTagsWith marker: String) -> [String] {
        html.components(separatedBy: "<").dropFirst().compactMap { tag -> String? in
            let tag = String(tag.prefix { $0 != ">" })
            guard tag.contains(marker), let start = tag.range(of: " \(attribute)=\"") else { return nil }
            return String(tag[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    var stylesheets: [String] { attributes("href", onTagsWith: "rel=\"stylesheet\"") }
    var modulePreloads: [String] { attributes("href", onTagsWith: "rel=\"modulepreload\"") }
    var scripts: [String] { attributes("src", onTagsWith: "script") }
    var icons: [String] { attributes("href", onTagsWith: "rel=\"icon\"") }

    /// Every `/assets/` URL the shell names, once each.
    var assetURLs: [String] {
        var seen = Set<String>()
        return (stylesheets + icons + scripts + modulePreloads + imports.values.sorted()).filter { seen.insert($0).inserted }
    }
}
