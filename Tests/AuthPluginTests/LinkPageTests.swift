import Foundation
import ImageAppTesting
import Testing

/// The pages behind the links in auth's mail: plain HTML forms that confirm an address and reset a password without
/// any web UI, leak no token, and refuse bad input with a page in the right status.
@Suite(.timeLimit(.minutes(12)))
struct LinkPageTests {
    private func postForm(_ accounts: AccountsHost, _ path: String, _ body: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await accounts.host.request(
            "POST",
            path,
            headers: headers.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 },
            body: Data(body.utf8)
        )
    }

    private func expectPage(_ page: HTTPResult, _ status: Int, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == status, "\(page.text)", sourceLocation: sourceLocation)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8", sourceLocation: sourceLocation)
        #expect(page.text.contains(text), "\(page.text)", sourceLocation: sourceLocation)
        #expect(page.headers["referrer-policy"] == "no-referrer", sourceLocation: sourceLocation)
        #expect(page.headers["cache-control"] == "no-store", sourceLocation: sourceLocation)
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true, sourceLocation: sourceLocation)
    }

    @Test func confirmAnEmailAddressFromTheLink() async throws {
        try await withAccounts(auth: "link_pages = true", profiles: nil) { accounts in
            try await accounts.register("tess", email: "tess@example.com")
            let mailed = try #require(await accounts.mailedToken(to: "tess@example.com", subject: "Confirm"))

            let page = try await accounts.host.get("/verify-email?token=\(mailed)")
            expectPage(page, 200, containing: #"<input type="hidden" name="token" value="\#(mailed)">"#)
            // Opening the link confirms nothing by itself (mail scanners open links): the form does.
            let unverified = "SELECT (email_verified_at IS NULL)::text FROM auth_users WHERE handle = 'tess'"
            #expect(try PostgresProbe.strings(accounts.database.url, unverified) == ["true"])
            let confirmed = try await postForm(accounts, "/verify-email", "token=\(mailed)")
            expectPage(confirmed, 200, containing: "your email address is confirmed")
            #expect(try PostgresProbe.strings(accounts.database.url, unverified) == ["false"])
            expectPage(try await postForm(accounts, "/verify-email", "token=\(mailed)"), 400, containing: "already used")

            expectPage(try await accounts.host.get("/verify-email"), 400, containing: "The link is incomplete")
            // Nothing from the query is reflected unless it is a well-formed token.
            let hostile = try await accounts.host.get("/verify-email?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
            expectPage(hostile, 400, containing: "The link is incomplete")
            #expect(!hostile.text.contains("<script>"))
            expectPage(try await postForm(accounts, "/verify-email", "token=%zz"), 400, containing: "could not be read")
            let json = try await accounts.host.request(
                "POST",
                "/verify-email",
                headers: ["Content-Type": "application/json"],
                body: Data(#"{"token":"x"}"#.utf8)
            )
            #expect(json.status == 415)
            // Left out of the API's OpenAPI document.
            let paths = try await accounts.host.get("/api/v1/openapi.json").json["paths"] as? [String: Any] ?? [:]
            #expect(paths["/verify-email"] == nil && paths["/reset-password"] == nil)
        }
    }

    @Test func resetAPasswordFromTheLink() async throws {
        try await withAccounts(auth: "link_pages = true", profiles: nil) { accounts in
            let (oldToken, _, _) = try await accounts.register("ugo", email: "ugo@example.com")
            // A browser that is signed in posts the form with its cookie and no CSRF header: the token is what counts.
            let browser = try await accounts.send(
                "POST",
                "/api/v1/auth/login",
                json: ["login": "ugo", "password": "correct horse battery", "session": "cookie"]
            )
            let cookie = try #require(
                browser.headers["set-cookie"]?.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression)
                    .map { String(browser.headers["set-cookie"]![$0]) }
            )
            #expect(try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "ugo@example.com"]).status == 202)
            let mailed = try #require(await accounts.mailedToken(to: "ugo@example.com", subject: "Reset your password"))
            #expect(accounts.mails().last?.contains("https://photos.example/reset-password?token=\(mailed)") == true)

            expectPage(try await accounts.host.get("/reset-password?token=\(mailed)"), 200, containing: #"name="password_confirmation""#)
            expectPage(
                try await postForm(accounts, "/reset-password", "token=\(mailed)&password=a+new+passphrase&password_confirmation=another+one"),
                422,
                containing: "The two passwords differ."
            )
            expectPage(
                try await postForm(accounts, "/reset-password", "token=\(mailed)&password=password1&password_confirmation=password1"),
                422,
                containing: "The password is too common."
            )
            let done = try await postForm(
                accounts,
                "/reset-password",
                "token=\(mailed)&password=a+new+passphrase&password_confirmation=a+new+passphrase",
                headers: ["Cookie": cookie]
            )
            expectPage(done, 200, containing: "Your password is changed")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: oldToken), 401, "invalid_token")
            #expect(try await accounts.login("ugo", password: "a new passphrase").status == 200)
            expectPage(
                try await postForm(
                    accounts,
                    "/reset-password",
                    "token=\(mailed)&password=a+third+passphrase&password_confirmation=a+third+passphrase"
                ),
                400,
                containing: "already used"
            )
        }
    }

    /// The CSRF exemption of the link pages follows the route the router matched, not the raw path: the router
    /// decodes `/verify%2Demail` to the page, so the exemption must too.
    @Test func anEncodedPathReachesThePageWithItsExemption() async throws {
        try await withAccounts(auth: "link_pages = true", profiles: nil) { accounts in
            try await accounts.register("vita", email: "vita@example.com")
            let mailed = try #require(await accounts.mailedToken(to: "vita@example.com", subject: "Confirm"))
            let cookie = try await cookieSession(accounts, "vita")
            let confirmed = try await postForm(accounts, "/verify%2Demail", "token=\(mailed)", headers: ["Cookie": cookie])
            expectPage(confirmed, 200, containing: "your email address is confirmed")
            // The exemption is the link pages' alone: another cookie-authenticated post still needs the CSRF token.
            let other = try await accounts.send("POST", "/api/v1/auth/email/resend", headers: ["Cookie": cookie])
            expectRefusal(other, 403, "csrf_failed")
        }
    }

    /// A cross-site post to a link page does nothing: with the forger's own valid reset token it would otherwise sign
    /// the victim's browser out (the page clears the session cookies).
    @Test func crossSitePostsToTheLinkPagesAreRefused() async throws {
        try await withAccounts(auth: "link_pages = true", profiles: nil) { accounts in
            try await accounts.register("mal", email: "mal@example.com")
            #expect(try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "mal@example.com"]).status == 202)
            let mailed = try #require(await accounts.mailedToken(to: "mal@example.com", subject: "Reset your password"))
            let form = "token=\(mailed)&password=a+new+passphrase&password_confirmation=a+new+passphrase"
            let port = accounts.host.baseURL.port.map { ":\($0)" } ?? ""
            for headers in [
                ["Origin": "https://evil.example"], ["Origin": "null"], ["Sec-Fetch-Site": "cross-site"],
                ["Sec-Fetch-Site": "same-site", "Origin": "https://photos.example"],
            ] {
                let refused = try await postForm(accounts, "/reset-password", form, headers: headers)
                expectPage(refused, 403, containing: "only works from this site's own page")
                #expect(refused.headers["set-cookie"] == nil, "\(headers)")
                expectPage(try await postForm(accounts, "/verify-email", "token=\(mailed)", headers: headers), 403, containing: "own page")
            }
            // The token was not spent: the same form from the site's own page (its public_url, or the Host it was
            // sent to) works, and signs that browser out.
            let done = try await postForm(
                accounts,
                "/reset-password",
                form,
                headers: ["Origin": "http://127.0.0.1\(port)"]
            )
            expectPage(done, 200, containing: "Your password is changed")
            #expect(done.headers["set-cookie"]?.contains("Max-Age=0") == true)
            #expect(try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "mal@example.com"]).status == 202)
            let second = try #require(await accounts.mailedToken(to: "mal@example.com", subject: "Reset your password", except: mailed))
            let again = try await postForm(
                accounts,
                "/reset-password",
                "token=\(second)&password=a+third+passphrase&password_confirmation=a+third+passphrase",
                headers: ["Origin": "https://photos.example"]
            )
            expectPage(again, 200, containing: "Your password is changed")
        }
    }

    /// A cookie session for `handle` (password "correct horse battery"), as the `Cookie` header value.
    private func cookieSession(_ accounts: AccountsHost, _ handle: String) async throws -> String {
        let browser = try await accounts.send(
            "POST",
            "/api/v1/auth/login",
            json: ["login": handle, "password": "correct horse battery", "session": "cookie"]
        )
        let header = browser.headers["set-cookie"] ?? ""
        return try #require(header.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(header[$0]) })
    }

    @Test func pagesCanBeLeftToAWebUI() async throws {
        try await withAccounts(auth: "link_pages = false", profiles: nil) { accounts async throws in
            #expect(try await accounts.host.get("/verify-email?token=abc").status == 404)
            #expect(try await accounts.host.get("/reset-password?token=abc").status == 404)
        }
    }
}
