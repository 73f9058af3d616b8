import Foundation
import ImageAppTesting
import Testing

/// The pages behind the links in auth's mail: plain HTML forms that confirm an address and reset a password without
/// any web UI, leak no token, and refuse bad input with a page in the right status.
@Suite(.timeLimit(.minutes(3)))
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
        try await withAccounts(profiles: nil) { accounts in
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
        try await withAccounts(profiles: nil) { accounts in
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

    @Test func pagesCanBeLeftToAWebUI() async throws {
        try await withAccounts(auth: "link_pages = false", profiles: nil) { accounts async throws in
            #expect(try await accounts.host.get("/verify-email?token=abc").status == 404)
            #expect(try await accounts.host.get("/reset-password?token=abc").status == 404)
        }
    }
}
