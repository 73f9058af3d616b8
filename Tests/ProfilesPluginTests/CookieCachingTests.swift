import Foundation
import ImageAppTesting
import Testing

/// A response that sets a cookie is never publicly cacheable (a shared cache would hand one user's session to
/// everyone), and routes any caller may see never refresh sessions.
@Suite(.timeLimit(.minutes(12)))
struct CookieCachingTests {
    /// Every kind of route — a file in `/media` (storage-fs, a C plugin), a public profile, `/me`, a link page and the
    /// host's own routes — with a live cookie session resolved from the database (which slides the session) and with
    /// a dead one (which auth clears).
    @Test func noResponseSetsACookieAndIsPubliclyCacheable() async throws {
        // No session cache in the process; the Redis one is emptied before each request, so each one goes to the
        // database and would slide the cookies.
        try await withAccounts(auth: "local_session_cache_ms = 0\nlink_pages = true") { accounts in
            let (token, _, _) = try await accounts.register("cora")
            let uploaded = try await accounts.putAvatar(ImageFixtures.redPixelPNG, token: token)
            let avatar = try #require(uploaded.json["avatar_url"] as? String, "\(uploaded.text)")
            let login = try await accounts.send(
                "POST",
                "/api/v1/auth/login",
                json: ["login": "cora", "password": "correct horse battery", "session": "cookie"]
            )
            let setCookie = login.headers["set-cookie"] ?? ""
            let live = try #require(setCookie.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(setCookie[$0]) })
            let dead = "ia_session=" + String(repeating: "A", count: 43)
            let authKeys = accounts.testHost.resources.namespace + ":auth"

            let paths = [
                avatar, "/api/v1/users/cora", "/api/v1/me", "/verify-email?token=abc",
                "/healthz", "/readyz", "/metrics", "/api/v1/openapi.json",
            ]
            var slid: [String] = []
            for cookie in [live, dead] {
                for method in ["GET", "HEAD"] {
                    for path in paths {
                        RedisKeys.deleteAll(prefix: authKeys)
                        let response = try await accounts.host.request(method, path, headers: ["Cookie": cookie])
                        let label = "\(method) \(path) with \(cookie == live ? "a live" : "a dead") cookie"
                        if path != "/readyz" { #expect(response.status < 500, "\(label): \(response.status)") }
                        let cacheControl = (response.headers["cache-control"] ?? "").lowercased()
                        guard response.headers["set-cookie"] != nil else { continue }
                        slid.append(label)
                        #expect(!cacheControl.contains("public") && !cacheControl.contains("s-maxage"), "\(label): \(cacheControl)")
                        #expect(cacheControl.contains("private") || cacheControl.contains("no-store"), "\(label): \(cacheControl)")
                        #expect(response.headers["vary"]?.lowercased().contains("cookie") == true, "\(label)")
                        // Routes any caller may see never touch the session cookies at all.
                        #expect(!path.hasPrefix("/media/") && !path.hasPrefix("/api/v1/users/"), "\(label) set a cookie")
                    }
                }
            }
            // The walk did meet cookie-setting responses: only /me, which slides the live session (the dead one gets
            // the host's 401, which carries no middleware headers).
            #expect(slid == ["GET /api/v1/me with a live cookie", "HEAD /api/v1/me with a live cookie"], "\(slid)")
            // The public files and profiles stay cacheable by shared caches when nothing sets a cookie.
            let media = try await accounts.host.get(avatar, headers: ["Cookie": live])
            #expect(media.headers["cache-control"]?.contains("public") == true, "\(media.headers)")
        }
    }
}
