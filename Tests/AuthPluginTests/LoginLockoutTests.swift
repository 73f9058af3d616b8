import Foundation
import ImageAppTesting
import Testing

/// Regression tests for the security review's login findings: a distributed guesser must not lock the owner out
/// (OWASP's device cookies and progressive lockouts for everyone else), and the login budgets must not link a
/// private email to its public handle.
@Suite(.timeLimit(.minutes(12)))
struct LoginLockoutTests {
    private static let proxied = #"trusted_proxies = ["127.0.0.1"]"#

    /// A token-mode login of `login` sent through the trusted proxy as client `address`, with `cookie` if any.
    private func login(
        _ accounts: AccountsHost,
        _ login: String,
        password: String = "correct horse battery",
        from address: String,
        cookie: String? = nil
    ) async throws -> HTTPResult {
        var headers = ["X-Forwarded-For": address]
        if let cookie { headers["Cookie"] = cookie }
        return try await accounts.send(
            "POST",
            "/api/v1/auth/login",
            json: ["login": login, "password": password, "session": "token"],
            headers: headers
        )
    }

    /// The `ia_device=...` pair a login answer set.
    private func deviceCookie(_ answer: HTTPResult) throws -> String {
        let header = answer.headers["set-cookie"] ?? ""
        let range = try #require(
            header.range(of: #"ia_device=v1\.[0-9]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"#, options: .regularExpression),
            "no device cookie in \(answer.headers)"
        )
        return String(header[range])
    }

    /// `count` wrong passwords for `name` from each of `addresses`; each must be a plain 401.
    private func guess(_ accounts: AccountsHost, _ name: String, from addresses: [String], count: Int) async throws {
        for address in addresses {
            for _ in 0..<count {
                let answer = try await login(accounts, name, password: "wrong guess!", from: address)
                #expect(answer.status == 401, "\(address): \(answer.status) \(answer.text)")
            }
        }
    }

    @Test func theOwnersDeviceSignsInWhileADistributedGuesserIsLockedOutForLongerEachTime() async throws {
        try await withAccounts(auth: "login_untrusted_lockout_seconds = 2", profiles: nil, host: Self.proxied) { accounts in
            try await accounts.register("olga", email: "olga@example.com")
            // The owner signed in from their device once, with their email; it kept the cookie (API clients get it
            // too), which names the account, whichever name it is signed in with.
            let earlier = try await login(accounts, "olga@example.com", from: "198.51.100.7")
            #expect(earlier.status == 200)
            let device = try deviceCookie(earlier)
            let attributes = earlier.headers["set-cookie"] ?? ""
            for attribute in ["Path=/api/v1/auth/login", "Max-Age=31536000", "SameSite=Lax", "Secure", "HttpOnly"] {
                #expect(attributes.contains(attribute), "\(attribute) missing from \(attributes)")
            }

            // Ten addresses, ten wrong passwords each: the untrusted clients' budget of 100 is spent.
            try await guess(accounts, "olga", from: (1...10).map { "203.0.113.\($0)" }, count: 10)
            let untrusted = try await login(accounts, "olga", from: "198.51.100.8")
            expectRefusal(untrusted, 429, "rate_limited")
            let firstWait = try #require(Int(untrusted.headers["retry-after"] ?? ""))
            #expect((1...2).contains(firstWait))
            #expect(untrusted.headers["ratelimit-limit"] == "100")

            // The owner's device is not locked, from its usual address or any other, and gets a new cookie.
            let owner = try await login(accounts, "olga", from: "198.51.100.7", cookie: "theme=dark; \(device)")
            #expect(owner.status == 200, "\(owner.text)")
            let renewed = try deviceCookie(owner)
            #expect(renewed != device)
            #expect(try await login(accounts, "olga", from: "192.0.2.50", cookie: renewed).status == 200)
            // A forged signature, or a cookie of another account, makes an untrusted client.
            let forged = String(device.dropLast()) + (device.last == "A" ? "B" : "A")
            expectRefusal(try await login(accounts, "olga", from: "198.51.100.7", cookie: forged), 429, "rate_limited")
            try await accounts.register("piet")
            let other = try deviceCookie(try await login(accounts, "piet", from: "198.51.100.9"))
            expectRefusal(try await login(accounts, "olga", from: "198.51.100.9", cookie: other), 429, "rate_limited")

            // The lockout ends; spent again soon after, the budget locks for longer.
            try await Task.sleep(for: .milliseconds(firstWait * 1_000 + 300))
            try await guess(accounts, "olga", from: (11...20).map { "203.0.113.\($0)" }, count: 10)
            let again = try await login(accounts, "olga", from: "198.51.100.10")
            expectRefusal(again, 429, "rate_limited")
            let secondWait = try #require(Int(again.headers["retry-after"] ?? ""))
            #expect(secondWait > firstWait, "second lockout \(secondWait) s, first \(firstWait) s")
            #expect(try await login(accounts, "olga", from: "198.51.100.7", cookie: renewed).status == 200)

            let metrics = try await accounts.host.get("/metrics").text
            let lockouts = metrics.split(separator: "\n").first { $0.hasPrefix("imageapp_auth_login_lockouts_total ") }
            #expect(lockouts.flatMap { Double($0.split(separator: " ").last ?? "") } == 2, "\(metrics)")
        }
    }

    @Test func aDeviceIsJudgedByItsOwnFailures() async throws {
        try await withAccounts(auth: "login_failures_per_device_limit = 3", profiles: nil, host: Self.proxied) { accounts in
            try await accounts.register("dora")
            let device = try deviceCookie(try await login(accounts, "dora", from: "198.51.100.1"))
            for _ in 0..<3 {
                expectRefusal(
                    try await login(accounts, "dora", password: "wrong guess!", from: "198.51.100.1", cookie: device),
                    401,
                    "invalid_credentials"
                )
            }
            // That cookie is spent until its window passes, even with the right password...
            let locked = try await login(accounts, "dora", from: "198.51.100.1", cookie: device)
            expectRefusal(locked, 429, "rate_limited")
            #expect(locked.headers["ratelimit-limit"] == "3")
            // ...while its failures cost the untrusted clients nothing.
            #expect(try await login(accounts, "dora", from: "198.51.100.1").status == 200)
        }
    }

    @Test func spendingAHandlesBudgetSaysNothingAboutItsEmail() async throws {
        try await withAccounts(profiles: nil, host: Self.proxied) { accounts in
            try await accounts.register("hana", email: "hana.private@example.com")
            try await guess(accounts, "hana", from: (1...10).map { "203.0.113.\($0)" }, count: 10)
            expectRefusal(try await login(accounts, "HANA", password: "wrong guess!", from: "203.0.113.99"), 429, "rate_limited")
            // The real email and an unknown one are answered alike.
            let real = try await login(accounts, "hana.private@example.com", password: "wrong guess!", from: "198.51.100.1")
            let unknown = try await login(accounts, "nobody.private@example.com", password: "wrong guess!", from: "198.51.100.2")
            #expect(real.status == unknown.status, "real email \(real.status), unknown email \(unknown.status)")
            expectRefusal(real, 401, "invalid_credentials")
        }
    }
}
