import Foundation
import ImageAppPlugin
import PluginCrypto

/// The app's files, read once at start: each under its own name and under a content-hashed one
/// (`lib/api.js` → `lib/api.3fA9c0_k.js`), so a page can cache them for a year and still see a new release at once.
struct AssetCatalog: Sendable {
    /// One file of the app.
    struct Asset: Sendable {
        /// The path under the assets folder, such as `lib/api.js`.
        let name: String
        /// The content-hashed path, such as `lib/api.3fA9c0_k.js`.
        let hashedName: String
        let contentType: String
        let body: [UInt8]
        /// The strong validator: the hash itself.
        let etag: String
    }

    private let byName: [String: Asset]
    private let byHashedName: [String: Asset]

    /// The files by their own name, sorted (the shell lists them in this order).
    let assets: [Asset]
    var count: Int { assets.count }

    /// Reads every file under `directory` with a known type (others, such as notes, are not served).
    init(directory: String) throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw PluginError(status: .invalidArgument, message: "web: cannot read assets_dir \(directory)")
        }
        var assets: [Asset] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let contentType = Self.contentTypes[url.pathExtension]
            else { continue }
            let name = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            let body = Array(try Data(contentsOf: url))
            let hash = String(Base64URL.encode(SHA256Digest.hash(body).prefix(9)))
            let stem = (name as NSString).deletingPathExtension
            assets.append(
                Asset(
                    name: name,
                    hashedName: "\(stem).\(hash).\(url.pathExtension)",
                    contentType: contentType,
                    body: body,
                    etag: "\"\(hash)\""
                )
            )
        }
        guard !assets.isEmpty else {
            throw PluginError(status: .invalidArgument, message: "web: no assets in assets_dir \(directory)")
        }
        self.assets = assets.sorted { $0.name < $1.name }
        byName = Dictionary(assets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        byHashedName = Dictionary(assets.map { ($0.hashedName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The file at `path` under `/assets/`, and whether `path` was its hashed name (which never changes content).
    func lookup(_ path: String) -> (asset: Asset, immutable: Bool)? {
        if let asset = byHashedName[path] { return (asset, true) }
        if let asset = byName[path] { return (asset, false) }
        return nil
    }

    /// The URL path of `name` with its hash, for the shell; nil when there is no such file.
    func url(of name: String) -> String? {
        byName[name].map { "/assets/\($0.hashedName)" }
    }

    static let contentTypes: [String: String] = [
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "webmanifest": "application/manifest+json",
        "woff2": "font/woff2",
    ]
}
