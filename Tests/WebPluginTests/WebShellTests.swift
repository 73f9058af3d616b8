import Foundation
import ImageAppTesting
import PluginCrypto
import Testing

/// The web plugin over HTTP: the page shell on every page path, its Content-Security-Policy and caching, and the
/// assets it names.
@Suite(.timeLimit(.minutes(10)))
struct WebShellTests {
    /// One path of each page route (values for the parameters), and the two pages auth's mail links open.
    static let pages = [
        "/", "/new", "/trending", "/login", "/signup", "/forgot-password", "/compose", "/notifications", "/settings", "/admin",
        "/p/123456789", "/u/alice", "/u/alice/followers", "/u/alice/following", "/tags/sunset", "/verify-email", "/reset-password",
    ]

    @Test func everyPageAnswersTheShellUnderAStrictPolicy() async throws {
        try await withWebApp(web: #"site_name = "Tom & Jerry's <Photos>""#) { app in
            let home = try await app.host.get("/")
            #expect(home.status == 200)
            // The operator's site name is text in the page, not markup.
            #expect(home.text.contains("<title>Tom &amp; Jerry's &lt;Photos&gt;</title>"), "\(home.text)")
            #expect(!home.text.contains("<Photos>"))
            let shell = ShellDocument(html: home.text)
            for path in Self.pages {
                let page = try await app.host.get(path + "?from=test")
                #expect(page.status == 200, "\(path)")
                #expect(page.body == home.body, "\(path) answers the same shell")
                #expect(page.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
                #expect(page.headers["cache-control"] == "no-cache", "\(path)")
                #expect(page.headers["x-content-type-options"] == "nosniff", "\(path)")
                #expect(page.headers["content-security-policy"] == home.headers["content-security-policy"], "\(path)")
                #expect(page.headers["etag"] == home.headers["etag"], "\(path)")
            }

            // The policy: nothing inline but the import map, by the hash of its exact text.
            let policy = try #require(home.headers["content-security-policy"])
            #expect(!policy.contains("unsafe-inline"))
            #expect(!policy.contains("unsafe-eval"))
            let directives = Dictionary(
                policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init) }
                    .filter { !$0.isEmpty }.map { ($0[0], Array($0.dropFirst())) },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(directives["default-src"] == ["'self'"])
            #expect(directives["object-src"] == ["'none'"])
            #expect(directives["frame-ancestors"] == ["'none'"])
            #expect(directives["style-src"] == ["'self'"], "no inline styles")
            let scriptSources = try #require(directives["script-src"])
            let hashes = scriptSources.filter { $0.hasPrefix("'sha256-") }
            #expect(hashes.count == 1, "\(scriptSources)")
            #expect(Set(scriptSources) == Set(["'self'"] + hashes), "\(scriptSources)")
            let importMap = try #require(shell.importMapText)
            #expect(hashes.first == "'sha256-\(Data(SHA256Digest.hash(importMap)).base64EncodedString())'")
            // That is the only inline script; every other one has a src.
            #expect(home.text.components(separatedBy: "<script").count - 1 == 1 + shell.scripts.count)
            #expect(!home.text.contains(" style="), "no inline style attributes")
            #expect(home.text.lowercased().firstMatch(of: try Regex(#"\son[a-z]+\s*="#)) == nil, "no inline event handlers")
            #expect(home.text.contains("<div id=\"app\""))

            // Revalidation: the ETag answers 304 without a body.
            let etag = try #require(home.headers["etag"])
            let again = try await app.host.get("/u/alice", headers: ["If-None-Match": etag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["etag"] == etag)
            let stale = try await app.host.get("/", headers: ["If-None-Match": "\"something-else\""])
            #expect(stale.status == 200)
        }
    }

    @Test func assetsAnswerUnderHashedNamesWithinTheBudget() async throws {
        try await withWebApp { app in
            // What browsers ask for before (or instead of) reading the page's icon link: the icon, not a 404.
            let favicon = try await app.host.get("/favicon.ico")
            #expect(favicon.status == 200)
            #expect(favicon.headers["content-type"] == "image/svg+xml")
            #expect(favicon.text.contains("<svg"))
            let shell = ShellDocument(html: try await app.host.get("/").text)
            #expect(shell.stylesheets.count == 1)
            #expect(shell.scripts.count == 1, "one entry module")
            #expect(!shell.imports.isEmpty)
            let assets = shell.assetURLs
            // Every module is mapped; every shared one (all but the pages) is preloaded: no import waterfall.
            let modules = Set(shell.imports.values)
            let preloaded = Set(shell.modulePreloads + shell.scripts)
            #expect(preloaded.isSubset(of: modules), "\(preloaded.subtracting(modules))")
            let shared = Set(shell.imports.filter { !$0.key.hasPrefix("/assets/pages/") }.values)
            #expect(shared.isSubset(of: preloaded), "not preloaded: \(shared.subtracting(preloaded).sorted())")
            for (name, url) in shell.imports {
                #expect(name.hasPrefix("/assets/") && name.hasSuffix(".js"), "\(name)")
                #expect(url.hasPrefix("/assets/") && url.hasSuffix(".js") && url != name, "\(name) → \(url)")
            }

            // The first load of the home page: the stylesheet, the entry, the preloaded modules and the home page's own.
            let firstLoad = Set(shell.stylesheets + preloaded + [shell.imports["/assets/pages/feed.js"]].compactMap { $0 })
            var scriptAndStyleBytes = 0
            for url in assets {
                #expect(url.hasPrefix("/assets/"), "\(url): from this origin, under /assets/")
                let response = try await app.host.get(url)
                #expect(response.status == 200, "\(url)")
                #expect(response.headers["cache-control"] == "public, max-age=31536000, immutable", "\(url)")
                #expect(response.headers["x-content-type-options"] == "nosniff", "\(url)")
                let type = response.headers["content-type"] ?? ""
                if firstLoad.contains(url) { scriptAndStyleBytes += response.body.count }
                if url.hasSuffix(".js") {
                    #expect(type == "text/javascript; charset=utf-8", "\(url)")
                } else if url.hasSuffix(".css") {
                    #expect(type == "text/css; charset=utf-8", "\(url)")
                } else if url.hasSuffix(".svg") {
                    #expect(type == "image/svg+xml", "\(url)")
                }
                // The hashed name is the file's content: the plain name answers the same bytes, revalidated each time.
                let plainName = Self.plainName(url)
                let plain = try await app.host.get(plainName)
                #expect(plain.status == 200, "\(plainName)")
                #expect(plain.body == response.body, "\(plainName)")
                #expect(plain.headers["cache-control"] == "public, no-cache", "\(plainName)")
                let etag = try #require(response.headers["etag"])
                #expect(try await app.host.get(url, headers: ["If-None-Match": etag]).status == 304, "\(url)")
                // Nothing from another origin: no absolute http(s) URL but XML namespace names.
                for origin in Self.foreignURLs(response.text) {
                    Issue.record("\(url) names another origin: \(origin)")
                }
            }
            // The budget (the browser suite measures the same in Chromium).
            #expect(scriptAndStyleBytes > 0)
            #expect(scriptAndStyleBytes < 150 * 1024, "first load: \(scriptAndStyleBytes) bytes of JS and CSS, budget 150 KB")
            print("web: first load of home \(scriptAndStyleBytes) bytes of JS+CSS in \(firstLoad.count) files (budget 153600)")
            let page = try await app.host.get("/")
            #expect(Self.foreignURLs(page.text).isEmpty, "the shell names another origin: \(Self.foreignURLs(page.text))")
        }
    }

    @Test func unknownFilesAndTraversalAreRefused() async throws {
        // A copy of the assets beside a file with a served type: climbing out of the folder would reach it.
        let site = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.copyItem(atPath: sourceAssets, toPath: site + "/Assets")
        try "export const secret = 'outside the assets folder'\n".write(toFile: site + "/secret.js", atomically: true, encoding: .utf8)
        try await withWebApp(assets: site + "/Assets") { app in
            expectRefusal(try await app.host.get("/assets/no-such-module.js"), 404, "not_found")
            expectRefusal(try await app.host.get("/assets/app.AAAAAAAAAAAA.js"), 404, "not_found")
            let port = try #require(app.host.baseURL.port)
            for path in [
                "/assets/../secret.js", "/assets/%2e%2e/secret.js", "/assets/..%2fsecret.js", "/assets/%2E%2E%2Fsecret.js",
                "/assets/lib/../../secret.js", "/assets/./../secret.js", "/assets/..\\secret.js",
            ] {
                // Sent as written: a URL session would resolve the dot segments before sending.
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                let answer = await connection.read(timeout: .seconds(10))
                #expect(answer.text.hasPrefix("HTTP/1.1 4"), "\(path): \(answer.text.prefix(200))")
                #expect(!answer.text.contains("outside the assets folder"), "\(path)")
            }
        }
    }

    @Test func withoutTheWebPluginThereIsNoSiteButTheAPIWorks() async throws {
        try await withWebApp(webEnabled: false) { app in
            expectRefusal(try await app.host.get("/"), 404, "not_found")
            expectRefusal(try await app.host.get("/assets/app.js"), 404, "not_found")
            let (token, _, _) = try await app.register("apionly")
            let me = try await app.send("GET", "/api/v1/me", token: token)
            #expect(me.status == 200, "\(me.text)")
            #expect(me.json["handle"] as? String == "apionly")
        }
    }

    /// `/assets/lib/api.3fA9c0_k.js` → `/assets/lib/api.js`.
    static func plainName(_ hashed: String) -> String {
        var parts = hashed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return hashed }
        parts.remove(at: parts.count - 2)
        return parts.joined(separator: ".")
    }

    /// Absolute http(s) URLs in `text` other than XML namespace names (`http://www.w3.org/...`), which name no request.
    static func foreignURLs(_ text: String) -> [String] {
        // A URL naming a host; the scheme alone (`"https://"` in code that recognises links in captions) names none.
        guard let pattern = try? Regex(#"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+[^\s"'`)<>]*"#) else { return [] }
        return text.matches(of: pattern).map { String(text[$0.range]) }.filter { !$0.hasPrefix("http://www.w3.org/") }
    }
}
