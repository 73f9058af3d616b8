import Foundation
import ImageAppPlugin
import PluginCrypto

/// The one HTML page of the app: the stylesheet, the import map that turns module names into content-hashed URLs,
/// preload links for every shared module (no import waterfall) and the entry module. The client router renders each page
/// from the URL; every page route answers this same document.
struct AppShell: Sendable {
    let html: [UInt8]
    let etag: String
    /// The Content-Security-Policy: scripts from this origin plus the one inline script, the import map, by its hash;
    /// no `unsafe-inline` anywhere.
    let contentSecurityPolicy: String

    init(catalog: AssetCatalog, settings: WebSettings) throws {
        let modules = catalog.assets.filter { $0.name.hasSuffix(".js") }
        guard let entry = catalog.url(of: "app.js"), let stylesheet = catalog.url(of: "app.css") else {
            throw PluginError(status: .invalidArgument, message: "web: assets_dir has no app.js or app.css")
        }
        let mapping = modules.map { "\"/assets/\($0.name)\":\"/assets/\($0.hashedName)\"" }.joined(separator: ",")
        let importMap = "{\"imports\":{\(mapping)}}"
        let scriptHash = Data(SHA256Digest.hash(importMap)).base64EncodedString()
        // Everything but the pages is preloaded (the whole shared graph in parallel, no import waterfall); a page's
        // module loads when it is opened, which app.js starts at once for the first page. What a first load fetches
        // then stays within the budget however many pages the app grows.
        let preloads = modules.filter { $0.name != "app.js" && !$0.name.hasPrefix("pages/") }
            .map { "<link rel=\"modulepreload\" href=\"/assets/\($0.hashedName)\">" }
        let icon = catalog.url(of: "icon.svg").map { "<link rel=\"icon\" href=\"\($0)\" type=\"image/svg+xml\">" } ?? ""
        let site = Self.escape(settings.siteName)
        let page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="application-name" content="\(site)">
            <title>\(site)</title>
            \(icon)
            <link rel="stylesheet" href="\(stylesheet)">
            <script type="importmap">\(importMap)</script>
            \(preloads.joined(separator: "\n"))
            <script type="module" src="\(entry)"></script>
            </head>
            <body>
            <div id="app" data-site-name="\(site)"><noscript><p class="noscript">\(site) needs JavaScript.</p></noscript></div>
            </body>
            </html>

            """
        html = Array(page.utf8)
        etag = "\"\(Base64URL.encode(SHA256Digest.hash(html).prefix(9)))\""
        let images = (["'self'", "data:", "blob:"] + settings.imageSources.split(separator: " ").map(String.init)).joined(separator: " ")
        contentSecurityPolicy = [
            "default-src 'self'",
            "script-src 'self' 'sha256-\(scriptHash)'",
            "style-src 'self'",
            "img-src \(images)",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    /// `&`, `<`, `>` and `"` as entities, for the site name (an operator's setting, but still text).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
