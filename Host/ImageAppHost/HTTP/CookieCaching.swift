import HTTPTypes

/// Keeps cookies out of shared caches, whatever plugin answered: a response that sets a cookie is never `public`.
///
/// A shared cache (CDN, proxy) that stored `Set-Cookie: ia_session=...` with
/// `Cache-Control: public, max-age=31536000` would hand one user's session to everyone who asks for the same URL.
enum CookieCaching {
    /// When `headers` set a cookie: drops the directives that let shared caches store the response (`public`,
    /// `s-maxage`, `proxy-revalidate`), adds `private` unless `private` or `no-store` is there (so a browser may still
    /// keep an immutable file), and adds `Cookie` to `Vary`.
    static func keepPrivate(_ headers: inout HTTPFields) {
        guard headers[.setCookie] != nil else { return }
        var directives = headers[values: .cacheControl]
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingWhitespace()) }
            .filter { !$0.isEmpty }
        directives.removeAll { directive in
            let name = directive.prefix { $0 != "=" }.lowercased()
            return name == "public" || name == "s-maxage" || name == "proxy-revalidate"
        }
        if !directives.contains(where: { ["private", "no-store"].contains($0.prefix { $0 != "=" }.lowercased()) }) {
            directives.insert("private", at: 0)
        }
        headers[.cacheControl] = directives.joined(separator: ", ")
        let vary = headers[values: .vary].flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace().lowercased() }
        if !vary.contains("cookie") && !vary.contains("*") {
            headers.append(HTTPField(name: .vary, value: "Cookie"))
        }
    }
}
