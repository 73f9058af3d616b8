import Foundation
import ImageAppPlugin

/// `[plugins.web]` settings.
struct WebSettings: Sendable {
    /// Where the app's files are (`assets_dir`); by default the resource folder SwiftPM builds next to the plugin.
    let assetsDirectory: String
    /// The site's name in titles and the header (`site_name`).
    let siteName: String
    /// Extra image sources for the Content-Security-Policy (`image_sources`, space-separated), for a storage backend
    /// that serves media from another origin such as a CDN.
    let imageSources: String
    /// Whether the app serves `/verify-email` and `/reset-password`, the pages auth's mail links open
    /// (`link_pages`, default true; auth's own `link_pages` must then be false).
    let linkPages: Bool

    init(_ host: PluginHost) throws {
        assetsDirectory = try host.setting("assets_dir") ?? Self.bundledAssets()
        siteName = try host.setting("site_name") ?? "Image App"
        imageSources = try host.setting("image_sources") ?? ""
        linkPages = try host.boolSetting("link_pages") ?? true
        guard !siteName.isEmpty, siteName.count <= 64 else {
            throw PluginError(status: .invalidArgument, message: "setting 'site_name' must be 1 to 64 characters")
        }
        guard imageSources.allSatisfy({ !"'\";,".contains($0) && !$0.isNewline }) else {
            throw PluginError(status: .invalidArgument, message: "setting 'image_sources' must be space-separated origins")
        }
    }

    /// `image-app_WebPlugin.resources/Assets` next to the `image-app` executable: where SwiftPM copies the target's
    /// resources, beside the plugins (the default `plugin_dir`). An install elsewhere sets `assets_dir`.
    static func bundledAssets() -> String {
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.deletingLastPathComponent().appendingPathComponent("image-app_WebPlugin.resources/Assets").path
    }
}
