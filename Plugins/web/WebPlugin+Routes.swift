import Foundation
import ImageAppPlugin

extension WebPlugin {
    /// The app's pages: each answers the shell, and the client router renders the page from the URL.
    static let pagePaths = [
        "/", "/new", "/trending", "/login", "/signup", "/forgot-password", "/compose", "/notifications", "/settings",
        "/admin", "/p/{id}", "/u/{handle}", "/u/{handle}/followers", "/u/{handle}/following", "/tags/{tag}",
    ]
    /// The pages auth's mail links open (`link_pages`).
    static let linkPagePaths = ["/verify-email", "/reset-password"]

    /// `GET /assets/{path...}`: a hashed name is immutable for a year; a plain name (a bookmark, a tool) is
    /// revalidated every time.
    func registerAssets(_ registrar: PluginRegistrar) throws {
        try registrar.route(.get, "/assets/{path...}", flags: [.nonblocking, .hidden], metadata: ["rate_limit": "none"]) { request in
            guard let (asset, immutable) = catalog.lookup(request.parameter("path") ?? "") else {
                throw HTTPError(status: 404, code: "not_found", message: "There is no such file.")
            }
            let caching = immutable ? "public, max-age=31536000, immutable" : "public, no-cache"
            return Self.conditional(
                request,
                etag: asset.etag,
                headers: [("Content-Type", asset.contentType), ("Cache-Control", caching), ("X-Content-Type-Options", "nosniff")],
                body: asset.body
            )
        }
    }

    /// `GET /favicon.ico`: what browsers and crawlers ask for when a page declares no icon (or before reading it):
    /// the app's icon, so that they get it rather than a 404.
    func registerFavicon(_ registrar: PluginRegistrar) throws {
        guard let (icon, _) = catalog.lookup("icon.svg") else { return }
        try registrar.route(.get, "/favicon.ico", flags: [.nonblocking, .hidden], metadata: ["rate_limit": "none"]) { request in
            Self.conditional(
                request,
                etag: icon.etag,
                headers: [("Content-Type", icon.contentType), ("Cache-Control", "public, max-age=86400"), ("X-Content-Type-Options", "nosniff")],
                body: icon.body
            )
        }
    }

    /// The page routes.
    func registerPages(_ registrar: PluginRegistrar) throws {
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-cache"),
            ("Content-Security-Policy", shell.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        for path in Self.pagePaths + (settings.linkPages ? Self.linkPagePaths : []) {
            try registrar.route(.get, path, flags: [.nonblocking, .hidden], metadata: ["rate_limit": "none"]) { request in
                Self.conditional(request, etag: shell.etag, headers: headers, body: shell.html)
            }
        }
    }

    /// The response, or 304 when the client's `If-None-Match` already names `etag`.
    static func conditional(
        _ request: Request,
        etag: String,
        headers: [(name: String, value: String)],
        body: [UInt8]
    ) -> Response {
        let all = headers + [("ETag", etag)]
        // If-None-Match compares weakly (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.
        if let presented = request.header("If-None-Match"),
            presented.split(separator: ",").contains(where: {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == "*" || tag == etag || tag == "W/" + etag
            })
        {
            return Response(status: 304, headers: all.filter { $0.name != "Content-Type" })
        }
        return Response(headers: all, body: body)
    }
}
