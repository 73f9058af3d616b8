import AuthContract
import Foundation
import ImageAppPlugin
import ImageAppTesting
import PluginCrypto
import PluginSupport
import Testing

/// The pure pieces every plugin shares: pagination cursors and `?limit=&cursor=`, the form decoder, the 422 builder,
/// client address keys, and the wire form of user IDs and `auth`'s payloads.
struct PluginSupportTests {
    // MARK: Pagination

    @Test(arguments: [
        PageCursor(id: 1), PageCursor(id: 7_412_345_678_901_234), PageCursor(id: .max),
        PageCursor(time: 0, id: 1), PageCursor(time: 1_764_720_000_123_456, id: 42), PageCursor(time: -5, id: 9),
        PageCursor(time: .min, id: .max),
    ])
    func cursorsRoundTrip(_ cursor: PageCursor) {
        let text = cursor.text
        #expect(PageCursor(text: text) == cursor)
        // Opaque and URL-safe: no padding, nothing a query string would need to escape.
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(!text.contains(String(cursor.id)), "the id is not readable in \(text)")
    }

    @Test func cursorsRefuseGarbage() {
        let forged = [
            "", "42", "abc", "!!!!", "====", "a b", String(repeating: "A", count: 200),
            Base64URL.encode(Array("0".utf8)), Base64URL.encode(Array("-3".utf8)), Base64URL.encode(Array("007".utf8)),
            Base64URL.encode(Array("+7".utf8)), Base64URL.encode(Array("1.2.3".utf8)), Base64URL.encode(Array(".5".utf8)),
            Base64URL.encode(Array("5.".utf8)), Base64URL.encode(Array("x.5".utf8)), Base64URL.encode(Array(" 5".utf8)),
            Base64URL.encode(Array("9223372036854775808".utf8)), Base64URL.encode([0xFF, 0xFE]),
            PageCursor(id: 5).text + "=", PageCursor(id: 5).text + "A",
        ]
        for text in forged {
            #expect(PageCursor(text: text) == nil, "accepted \(text)")
        }
    }

    @Test func cursorsAreFuzzProof() {
        var random = SplitMix64(state: 20_261_203)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.%+")
        for _ in 0..<2_000 {
            let text = String((0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            // Whatever it is, a cursor accepted is one that writes back to the same text.
            if let cursor = PageCursor(text: text) { #expect(cursor.text == text) }
        }
    }

    @Test func pageRequestDefaultsAndCaps() throws {
        #expect(try PageRequest(limit: nil, cursor: nil) == PageRequest(limit: 20, cursor: nil))
        #expect(try PageRequest(limit: "1", cursor: "").limit == 1)
        #expect(try PageRequest(limit: "40", cursor: nil).limit == 40)
        #expect(try PageRequest(limit: "41", cursor: nil).limit == 40)
        #expect(try PageRequest(limit: "999999", cursor: nil).limit == 40)
        let cursor = PageCursor(time: 17, id: 99)
        #expect(try PageRequest(limit: nil, cursor: cursor.text).cursor == cursor)
    }

    @Test(arguments: ["0", "-1", "abc", "+5", "", " 5", "5.0", "1e3", "99999999999999999999999"])
    func pageRequestRefusesBadLimits(_ limit: String) {
        let error = #expect(throws: HTTPError.self) { try PageRequest(limit: limit, cursor: nil) }
        #expect(error?.status == 422)
        #expect(error?.code == "validation_failed")
        #expect(error?.details["limit"] != nil)
    }

    @Test func pageRequestNamesEveryBadParameter() {
        let error = #expect(throws: HTTPError.self) { try PageRequest(limit: "x", cursor: "not-a-cursor") }
        #expect(error?.details.keys.sorted() == ["cursor", "limit"])
    }

    @Test func pageKeepsOneExtraItemAsTheNextCursor() throws {
        let full = Page(fetched: [5, 4, 3], limit: 2) { PageCursor(id: Int64($0)) }
        #expect(full.items == [5, 4])
        #expect(full.nextCursor == PageCursor(id: 4).text)
        let last = Page(fetched: [2], limit: 2) { PageCursor(id: Int64($0)) }
        #expect(last.nextCursor == nil)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        // The last page says so with an explicit null, not a missing key.
        #expect(String(decoding: try encoder.encode(last), as: UTF8.self) == #"{"items":[2],"next_cursor":null}"#)
        #expect(full.map { $0 * 10 }.items == [50, 40])
    }

    // MARK: Form decoding

    @Test func formsDecodePlusAndEscapes() {
        let fields = FormURLEncoded.parse(Array("token=a%2Bb+c&password=p%C3%A4ss+word%21&empty=&flag&token=second".utf8))
        #expect(fields == ["token": "a+b c", "password": "päss word!", "empty": "", "flag": ""])
        #expect(FormURLEncoded.parse("") == [:])
        #expect(FormURLEncoded.parse("&&a=1&&") == ["a": "1"])
        #expect(FormURLEncoded.parse("a=b=c") == ["a": "b=c"])
        // Outside forms, `+` is itself.
        #expect(FormURLEncoded.percentDecode("a+b%20c") == "a+b c")
        #expect(FormURLEncoded.percentDecode("a+b", plusIsSpace: true) == "a b")
    }

    @Test(arguments: ["%", "a=%", "a=%4", "a=%zz", "a=%G0", "a=%C3", "a=%FF%FE", "%=1", "a=100%"])
    func formsRefuseBadEscapes(_ body: String) {
        #expect(FormURLEncoded.parse(body) == nil)
    }

    // MARK: Field problems

    @Test func fieldProblemsCollectTheFirstProblemOfEachField() {
        var problems = FieldProblems()
        #expect(problems.isEmpty)
        #expect(problems.error == nil)
        #expect(problems.required("handle", "alice") == "alice")
        #expect(problems.required("email", "") == "")
        #expect(problems.required("password", nil) == "")
        problems.check("email", "is not a valid email address")
        problems.check("handle", nil)
        problems.check("bio", "must be at most 500 characters")
        #expect(problems.details == ["email": "is required", "password": "is required", "bio": "must be at most 500 characters"])
        let error = #expect(throws: HTTPError.self) { try problems.throwIfAny() }
        #expect(error?.status == 422)
        #expect(error?.code == "validation_failed")
        #expect(error?.details == problems.details)
        #expect(throws: Never.self) { try FieldProblems().throwIfAny() }
    }

    // MARK: Client addresses

    @Test func clientAddressesAreLimitedByIPv4OrIPv6Slash64() {
        #expect(ClientAddress.limitKey("203.0.113.9") == "203.0.113.9")
        #expect(ClientAddress.limitKey("2001:db8:1:2:3:4:5:6") == "20010db800010002::/64")
        #expect(ClientAddress.limitKey("2001:db8:1:2::9") == ClientAddress.limitKey("2001:db8:1:2:ffff::1"))
        #expect(ClientAddress.limitKey("::ffff:198.51.100.7") == "198.51.100.7")
        #expect(ClientAddress.limitKey("not an address") == "not an address")
    }

    // MARK: Contract payloads

    @Test func userIDsAreStringsAndReadNumbersToo() throws {
        let encoder = JSONEncoder()
        #expect(String(decoding: try encoder.encode(UserID(9_007_199_254_740_993)), as: UTF8.self) == #""9007199254740993""#)
        let decoder = JSONDecoder()
        #expect(try decoder.decode(UserID.self, from: Data(#""42""#.utf8)) == UserID(42))
        #expect(try decoder.decode(UserID.self, from: Data("42".utf8)) == UserID(42))
        for bad in [#""0""#, "-1", #""abc""#, #""""#, "null", "1.5", #""9223372036854775808""#] {
            #expect(throws: DecodingError.self, "\(bad)") { try decoder.decode(UserID.self, from: Data(bad.utf8)) }
        }
        #expect(UserID("17") == UserID(17))
        #expect(UserID("017x") == nil)
    }

    @Test func userRegisteredReadsWhatAuthWroteToTheOutbox() throws {
        // The exact text `auth` has raised since its first release: string ids, and a null display name.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let old = try decoder.decode(
            UserRegistered.self,
            from: Data(#"{"user_id":"7412345678901234","handle":"alice","display_name":null}"#.utf8)
        )
        #expect(old == UserRegistered(userId: UserID(7_412_345_678_901_234), handle: "alice", displayName: nil))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        #expect(
            String(decoding: try encoder.encode(old), as: UTF8.self)
                == #"{"display_name":null,"handle":"alice","user_id":"7412345678901234"}"#
        )
        let ended = try decoder.decode(SessionsEnded.self, from: Data(#"{"user_id":"5","token_hashes":["x"]}"#.utf8))
        #expect(ended == SessionsEnded(userId: UserID(5), tokenHashes: ["x"]))
    }
}

/// The table of refused characters and the JSON Schema pattern made from it agree scalar by scalar.
@Suite struct UnsafeCharactersTests {
    @Test func thePatternRefusesExactlyWhatTheCheckRefuses() throws {
        for allowingLineBreaks in [false, true] {
            // The class is JSON string text (backslashes doubled); the regex engine reads it once decoded.
            let body = UnsafeCharacters.patternClass(allowingLineBreaks: allowingLineBreaks).replacingOccurrences(of: "\\\\", with: "\\")
            let regex = try NSRegularExpression(pattern: "^[^\(body)]*$")
            var candidates: [UInt32] = Array(0...0x300) + [0x061B, 0x061C, 0x061D, 0x180E, 0x2029, 0x202F, 0x2065, 0xFEFE, 0xFEFF]
            candidates += Array(0x2000...0x2070) + Array(0xFFF0...0xFFFD) + [0x1F600, 0xE0020, 0xE007F]
            for value in candidates {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = "a" + String(Character(scalar)) + "b"
                let matches = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(
                    matches == !UnsafeCharacters.isRefused(scalar, allowingLineBreaks: allowingLineBreaks),
                    "U+\(String(value, radix: 16)) (line breaks allowed: \(allowingLineBreaks))"
                )
            }
        }
        #expect(UnsafeCharacters.isRefused("\u{202E}"))
        #expect(!UnsafeCharacters.isRefused("\u{200D}"), "the zero-width joiner inside emoji stays")
        #expect(UnsafeCharacters.isRefused("\n") && !UnsafeCharacters.isRefused("\n", allowingLineBreaks: true))
    }
}

/// Address keys for rate limits: IPv6 by a prefix, IPv4 as it is.
@Suite struct ClientAddressTests {
    @Test func keysMaskIPv6ToTheirPrefix() {
        #expect(ClientAddress.limitKey("2001:db8:1:2:ffff::9") == "20010db800010002::/64")
        #expect(ClientAddress.limitKey("2001:db8:1:2:ffff::9") == ClientAddress.limitKey("2001:db8:1:2::1"))
        #expect(ClientAddress.limitKey("2001:db8:1:2::1", ipv6Prefix: 56) == "20010db8000100::/56")
        #expect(ClientAddress.limitKey("2001:db8:1:2ff::1", ipv6Prefix: 60) == "20010db8000102f0::/60")
        #expect(ClientAddress.networkKey("2001:db8:1:2::1", ipv6Prefix: 48) == "20010db80001::/48")
        #expect(ClientAddress.networkKey("2001:db8:1:ffff::1", ipv6Prefix: 48) == ClientAddress.networkKey("2001:db8:1::", ipv6Prefix: 48))
        #expect(ClientAddress.limitKey("203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.limitKey("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.networkKey("203.0.113.7", ipv6Prefix: 48) == nil)
        #expect(ClientAddress.networkKey("::ffff:203.0.113.7", ipv6Prefix: 48) == nil)
        #expect(ClientAddress.limitKey("not an address") == "not an address")
    }
}

/// Stored metadata is bounded by bytes, not characters.
@Suite struct UTF8TruncationTests {
    @Test func aPrefixFitsTheByteBudgetAndEndsBetweenScalars() {
        // One character of 40,001 scalars (80,001 bytes): `prefix(512)` would keep all of it.
        let zalgo = "a" + String(repeating: "\u{301}", count: 40_000)
        #expect(zalgo.count == 1)
        let cut = zalgo.truncated(toUTF8Bytes: 512)
        #expect(cut.utf8.count == 511, "a + 255 two-byte marks; the next one would pass 512")
        #expect(cut.unicodeScalars.allSatisfy { $0 == "a" || $0 == "\u{301}" })
        #expect("ascii".truncated(toUTF8Bytes: 512) == "ascii")
        #expect("日本語".truncated(toUTF8Bytes: 7) == "日本", "a three-byte scalar is not split")
        #expect("".truncated(toUTF8Bytes: 0) == "")
    }
}

/// Lockouts of a spent budget double with each strike, up to their cap.
@Suite struct ProgressiveLockoutTests {
    @Test func lockoutsDoubleUpToTheCap() {
        let lockout = ProgressiveLockout(
            budget: RateLimit(name: "login_untrusted", limit: 100, windowSeconds: 900),
            firstLockoutSeconds: 900,
            maxLockoutSeconds: 86_400
        )
        #expect((1...9).map { lockout.lockoutSeconds(strike: $0) } == [900, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 86_400, 86_400])
        #expect(lockout.lockoutSeconds(strike: 0) == 900)
        #expect(lockout.lockoutSeconds(strike: .max) == 86_400)
        // A cap below the first length is raised to it: every lockout then lasts that long.
        let flat = ProgressiveLockout(budget: lockout.budget, firstLockoutSeconds: 60, maxLockoutSeconds: 10)
        #expect(flat.lockoutSeconds(strike: 5) == 60)
    }
}

/// People's text: lengths in scalars and bytes as sent and in NFC, refused characters, stacks of combining marks, and
/// the JSON Schema pattern that says the same as the check.
@Suite struct TextRuleTests {
    private let name = TextRule.displayName
    private let bio = TextRule(maxScalars: 500, multiline: true)

    private func accepts(_ rule: TextRule, _ text: String) -> Bool {
        (try? rule.check(text).get()) != nil
    }

    @Test func stacksOfMarksAreRefusedWhateverTheirLength() {
        // The review's display name: one character, 500,001 scalars, 1 MB.
        #expect(!accepts(name, "Q" + String(repeating: "\u{301}", count: 500_000)))
        #expect(!accepts(bio, "Q" + String(repeating: "\u{301}", count: 400)), "short enough, but a tower")
        #expect(accepts(name, "Q" + String(repeating: "\u{301}", count: CombiningMarks.maxRun)))
        #expect(!accepts(name, "Q" + String(repeating: "\u{301}", count: CombiningMarks.maxRun + 1)))
        // Real clusters pass: Vietnamese, Hindi, Hebrew with points, emoji with skin tones, joiners and keycaps.
        for text in ["Nguyễn Thị Ánh", "Nguye\u{302}\u{303}n", "हिन्दी", "שָׁלוֹם", "👩🏽\u{200D}💻", "1\u{FE0F}\u{20E3}", "Zoë"] {
            #expect(accepts(name, text), "\(text)")
        }
        #expect(CombiningMarks.longestRun(in: "a\u{301}\u{302}b\u{303}") == 2)
    }

    @Test func lengthsCountScalarsAsSentAndScalarsAndBytesInNFC() throws {
        #expect(accepts(name, String(repeating: "x", count: 50)))
        #expect(!accepts(name, String(repeating: "x", count: 51)))
        // Decomposed text is counted as sent (as maxLength counts it), and stored composed.
        #expect(!accepts(name, String(repeating: "e\u{301}", count: 26)))
        let stored = try name.check("Cafe\u{301}").get()
        #expect(stored.unicodeScalars.count == 4 && stored == "Café" && Array(stored.unicodeScalars).last == "\u{E9}")
        // U+FB2C is one scalar that normal form C spells out as three: the stored form must fit too.
        #expect(!accepts(name, String(repeating: "\u{FB2C}", count: 20)))
        // The byte cap: five 3-byte scalars are 15 bytes.
        #expect(!accepts(TextRule(maxScalars: 10, maxUTF8Bytes: 12), "日本語日本"))
        #expect(accepts(TextRule(maxScalars: 10, maxUTF8Bytes: 12), "日本語日"))
        #expect(try bio.check("two\r\nlines\tand a tab").get() == "two\nlines\tand a tab")
        #expect(!accepts(bio, "carriage\rreturn"))
        #expect(!accepts(name, "two\nlines"))
    }

    @Test func fittingDropsWhatTheRuleRefuses() {
        #expect(name.fitted("Q" + String(repeating: "\u{301}", count: 10_000) + "\u{202E}ok") == "Q" + String(repeating: "\u{301}", count: 4) + "ok")
        #expect(name.fitted(String(repeating: "ab", count: 40)).unicodeScalars.count == 50)
        #expect(name.fitted("Cafe\u{301}") == "Café")
    }

    @Test func thePatternSaysWhatTheCheckSays() throws {
        #expect(zip(CombiningMarks.ranges, CombiningMarks.ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound })
        #expect(!CombiningMarks.ranges.contains { marks in UnsafeCharacters.ranges.contains { $0.overlaps(marks) } })
        // Strings from an alphabet of letters, marks, refused characters and line breaks, random but repeatable.
        let alphabet: [String] = [
            "a", "Z", " ", "é", "\u{301}", "\u{5B0}", "\u{FE0F}", "\u{20E3}", "\u{200D}", "\u{202E}", "\n", "\r\n", "\r", "\t", "👩", "日",
        ]
        var random = SplitMix64(state: 20_261_203)
        for rule in [name, bio] {
            // The pattern is JSON string text (backslashes doubled); the regex engine reads it once decoded. JSON Schema
            // reads `$` as ECMA-262 does (the very end); ICU, like Python, also before a final line feed: `\z` is ECMA's.
            let decoded = rule.pattern.replacingOccurrences(of: "\\\\", with: "\\")
            let regex = try NSRegularExpression(pattern: String(decoded.dropLast()) + "\\z")
            for _ in 0..<3_000 {
                var text = ""
                for _ in 0..<Int.random(in: 0...12, using: &random) {
                    // Marks come in runs, so that long ones occur.
                    let piece = alphabet.randomElement(using: &random)!
                    text +=
                        piece.unicodeScalars.count == 1 && CombiningMarks.contains(piece.unicodeScalars.first!)
                        ? String(repeating: piece, count: Int.random(in: 1...6, using: &random)) : piece
                }
                let matches = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(matches == accepts(rule, text), "\(text.unicodeScalars.map { String($0.value, radix: 16) }) multiline: \(rule.multiline)")
            }
        }
    }
}
