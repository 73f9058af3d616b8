import Foundation
import ImageAppTesting
import Testing

/// Regression tests for the security review's findings on account text and the reset-mail limit: invisible and
/// control characters (bidi overrides, NEL, zero-width spaces) are refused in emails, names and bios, and the
/// reset-mail limit holds per mailbox whatever letter case the requests use.
@Suite(.timeLimit(.minutes(12)))
struct TextAndLimitHardeningTests {
    @Test func resetMailsToOneMailboxAreLimitedWhateverTheCase() async throws {
        try await withAccounts(auth: "reset_per_email_limit = 2", profiles: nil) { accounts in
            try await accounts.register("ilse", email: "ilse@example.com")
            // `İ` folds to `i` in PostgreSQL's lower() but to `i̇` in Swift's lowercased(): a different limit key for
            // the same account, unless the limit also counts the account's own address.
            let variants = ["ilse@example.com", "ILSE@example.com", "\u{130}lse@example.com", "\u{130}LSE@example.com"]
            for email in variants {
                let answer = try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": email])
                #expect([202, 429].contains(answer.status), "\(email): \(answer.status)")
            }
            let resetMails = { accounts.mails().filter { $0.contains("Subject: Reset your password") }.count }
            _ = try await eventually({ resetMails() }) { $0 >= 2 }
            // The mails are sent after the answers: give the rest time to (wrongly) arrive.
            try await Task.sleep(for: .seconds(1))
            #expect(resetMails() == 2, "one mailbox got \(resetMails()) reset mails with a limit of 2")
        }
    }

    @Test(arguments: [
        "nel\u{85}@example.com",  // NEL: a line break to some mail software
        "rtl\u{202E}moc@example.com",  // right-to-left override
        "zero\u{200B}width@example.com",  // zero-width space
        "eve @example.com",  // a space inside
    ])
    func emailsWithInvisibleOrControlCharactersAreRefused(email: String) async throws {
        try await withAccounts(profiles: nil) { accounts in
            let answer = try await accounts.send(
                "POST",
                "/api/v1/auth/register",
                json: ["handle": "mallory", "email": email, "password": "correct horse battery", "session": "token"]
            )
            expectRefusal(answer, 422, "validation_failed")
            #expect(refusalDetails(answer)["email"] != nil)
            #expect(accounts.mails().isEmpty)
        }
    }

    @Test func namesAndBiosRefuseBidiOverridesButKeepEmojiAndLineBreaks() async throws {
        try await withAccounts { accounts in
            // A right-to-left override in a display name at sign-up.
            let spoof = try await accounts.send(
                "POST",
                "/api/v1/auth/register",
                json: [
                    "handle": "spoofer", "email": "spoofer@example.com", "password": "correct horse battery",
                    "display_name": "admin\u{202E}nimda", "session": "token",
                ]
            )
            expectRefusal(spoof, 422, "validation_failed")
            #expect(refusalDetails(spoof)["display_name"] != nil)

            // Emoji keep their joiners (U+200D), and Persian its non-joiner (U+200C).
            let (token, _, _) = try await accounts.register("coder", displayName: "👩🏽\u{200D}💻 coder")
            let fine = try await accounts.send(
                "PATCH",
                "/api/v1/me",
                json: ["display_name": "می\u{200C}خواهم", "bio": "two\nlines\twith a tab"],
                token: token
            )
            #expect(fine.status == 200, "\(fine.text)")

            for (field, value) in [
                ("display_name", "isolate\u{2067}d"),
                ("display_name", "bom\u{FEFF}"),
                ("bio", "hidden\u{200B}space"),
                ("bio", "override\u{202D}"),
                ("bio", "next\u{85}line"),
            ] {
                let answer = try await accounts.send("PATCH", "/api/v1/me", json: [field: value], token: token)
                expectRefusal(answer, 422, "validation_failed")
                #expect(refusalDetails(answer)[field] != nil, "\(field): \(answer.text)")
            }
        }
    }

    @Test func displayNamesAtSignUpFollowTheProfileRules() async throws {
        try await withAccounts(profiles: nil) { accounts in
            func register(_ handle: String, displayName: String) async throws -> HTTPResult {
                try await accounts.send(
                    "POST",
                    "/api/v1/auth/register",
                    json: [
                        "handle": handle, "email": "\(handle)@example.com", "password": "correct horse battery",
                        "display_name": displayName, "session": "token",
                    ]
                )
            }
            // One letter and 30,000 combining marks (60 KB), or just five of them: refused.
            for (handle, name) in [("zalgo", "Q" + String(repeating: "\u{301}", count: 30_000)), ("tower", "Q\u{301}\u{302}\u{303}\u{304}\u{305}")] {
                let answer = try await register(handle, displayName: name)
                expectRefusal(answer, 422, "validation_failed")
                #expect(refusalDetails(answer).keys.sorted() == ["display_name"])
            }
            // Stored composed (NFC) and trimmed.
            let user = try await register("amelie", displayName: " Ame\u{301}lie ").json["user"] as? [String: Any]
            #expect((user?["display_name"] as? String).map { Array($0.unicodeScalars) } == Array("Am\u{E9}lie".unicodeScalars))
        }
    }

    @Test func aLargeIPv6NetworkSharesACoarserBudget() async throws {
        try await withAccounts(
            auth: "login_per_ip_limit = 100\nlogin_per_network_limit = 3\nlogin_per_network_window_seconds = 120",
            profiles: nil,
            host: #"trusted_proxies = ["127.0.0.1"]"#
        ) { accounts async throws in  // explicit: a `try` only inside #expect does not make a closure throwing
            // Each /64 of one /48 has its own per-address budget, but the /48 shares one of 3.
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:1::1") == 401)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:2::1") == 401)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:3::1") == 401)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:4::1") == 429)
            // Another /48 is not affected, nor are IPv4 clients.
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:2:1::1") == 401)
            for last in 1...4 { #expect(try await accounts.failedLoginStatus(from: "203.0.113.\(last)") == 401) }
        }
    }
}
