import PluginSupport

/// The rules for handles, emails and passwords (README.md, "Accounts"). Pure functions: each returns what
/// is wrong with a value, as the sentence that goes into a 422's `details`, or `nil` when it is fine.
enum AccountRules {
    /// Handles that would read as the site's own voice or clash with paths.
    static let builtInReservedHandles: Set<String> = [
        "about", "account", "accounts", "admin", "administrator", "api", "app", "auth", "billing", "blog",
        "contact", "dashboard", "explore", "feed", "help", "home", "imageapp", "image_app", "info", "login",
        "logout", "mail", "me", "media", "mod", "moderator", "news", "noreply", "no_reply", "notifications",
        "null", "official", "owner", "postmaster", "posts", "privacy", "register", "root", "search", "security",
        "settings", "signup", "staff", "static", "status", "support", "system", "tags", "terms", "undefined",
        "user", "users", "webmaster", "www",
    ]

    /// Passwords that are guessed first; refused whatever their length. A short list by design: the
    /// login limits and the KDF handle the rest.
    static let commonPasswords: Set<String> = [
        "12345678", "123456789", "1234567890", "12345678910", "87654321", "11111111", "00000000", "88888888",
        "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwertyuiop",
        "qwerty123", "qwertyui", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "asdfghjkl", "asdfasdf",
        "iloveyou", "iloveyou1", "sunshine", "princess", "football", "baseball", "basketball", "superman",
        "starwars", "trustno1", "whatever", "welcome1", "welcome123", "letmein1", "abcd1234", "abc12345",
        "abcdefgh", "changeme", "changeme1", "computer", "internet", "michelle", "jennifer", "jordan23",
        "liverpool", "chelsea1", "arsenal1", "pokemon1", "dragon12", "master12", "monkey12", "shadow12",
        "secret123", "admin123", "administrator", "qwerty12", "q1w2e3r4", "q1w2e3r4t5", "zxcvbnm1",
        "123qweasd", "qweasdzxc", "aa123456", "a1234567", "a12345678", "11223344", "12341234", "123123123",
        "147258369", "159753456", "987654321", "999999999", "777777777", "666666666", "55555555", "12121212",
        "696969696", "letmein123", "mustang1", "access14", "batman12", "charlie1", "freedom1", "hello123",
        "loveme12", "maggie12", "michael1", "ninja123", "qazwsxedc", "solo1234", "summer2024", "summer2025",
        "winter2024", "winter2025", "imageapp", "imageapp1", "instagram", "pixelfed",
    ]

    /// Handles: 3–30 of `[A-Za-z0-9_]`, not reserved (compared in lower case, as uniqueness is).
    static func handleProblem(_ handle: String, reserved: Set<String>) -> String? {
        let bytes = Array(handle.utf8)
        guard (3...30).contains(bytes.count) else { return "must be 3 to 30 characters" }
        guard bytes.allSatisfy(isHandleByte) else { return "may contain only letters a-z, digits and underscores" }
        guard !reserved.contains(handle.lowercased()) else { return "is reserved" }
        return nil
    }

    /// Emails: one `@`, a local part of 1–64 bytes and a dotted domain, 254 characters at most, no spaces or controls.
    /// Not a full RFC 5322 parser on purpose: the verification mail is the real check.
    static func emailProblem(_ email: String) -> String? {
        let bytes = Array(email.utf8)
        guard !bytes.isEmpty else { return "is required" }
        guard email.unicodeScalars.count <= 254 else { return "must be at most 254 characters" }
        // No spaces, controls (U+0085 would end a mail header line) or bidi and zero-width characters (spoofing).
        guard !UnsafeCharacters.occur(in: email), !email.unicodeScalars.contains(where: \.properties.isWhitespace)
        else { return "is not a valid email address" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            (1...64).contains(local.utf8.count),
            local.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\"") })
        else { return "is not a valid email address" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                    && label.utf8.allSatisfy { isDomainByte($0) }
            })
        else { return "is not a valid email address" }
        return nil
    }

    /// Passwords: 8 to 1,024 characters (Unicode code points, as the API's schemas count), not a common password, not
    /// the handle or email.
    static func passwordProblem(_ password: String, handle: String? = nil, email: String? = nil) -> String? {
        guard password.unicodeScalars.count >= 8 else { return "must be at least 8 characters" }
        guard password.unicodeScalars.count <= 1_024 else { return "must be at most 1024 characters" }
        let lowered = password.lowercased()
        guard !commonPasswords.contains(lowered) else { return "is too common" }
        if let handle, lowered == handle.lowercased() { return "must not be your handle" }
        if let email, lowered == email.lowercased() { return "must not be your email address" }
        return nil
    }

    /// A login name (handle or email) as login limits count it: lower-cased by each scalar's own mapping, with `İ`
    /// (U+0130) made `i` as PostgreSQL's `lower()` makes it — Swift's `lowercased()` makes it `i̇`, so case variants
    /// of one name would each get a budget of their own. Only ever coarser than the lookup: names that find the
    /// same account share a key, whether or not an account has them.
    static func limitKey(forLogin login: String) -> String {
        var folded = ""
        for scalar in login.unicodeScalars {
            if scalar == "\u{130}" { folded += "i" } else { folded += scalar.properties.lowercaseMapping }
        }
        return folded
    }

    /// Whether `text` holds control characters (line breaks, NUL...) or invisible formatting characters (bidi
    /// overrides, zero-width spaces: ``UnsafeCharacters``): never wanted in one-line fields, and PostgreSQL cannot
    /// store NUL, so they must be refused before they reach it.
    static func hasControlCharacters(_ text: some StringProtocol) -> Bool {
        UnsafeCharacters.occur(in: text)
    }

    private static func isHandleByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        // ASCII letters, digits and hyphens (internationalised domains arrive as punycode), or UTF-8 bytes.
        isHandleByte(byte) && byte != UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte >= 0x80
    }
}
