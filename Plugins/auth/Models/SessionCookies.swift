/// The browser side of sessions: an HTTP-only `ia_session` cookie with the token, and a script-readable `ia_csrf`
/// cookie with the CSRF token that the web UI echoes in `X-CSRF-Token` on unsafe requests.
enum SessionCookies {
    static let session = "ia_session"
    static let csrf = "ia_csrf"

    /// `Set-Cookie` values for a new session.
    static func set(token: SecretToken, maxAgeSeconds: Int64, secure: Bool) -> [String] {
        let common = "Path=/; Max-Age=\(maxAgeSeconds); SameSite=Lax\(secure ? "; Secure" : "")"
        return ["\(session)=\(token.text); \(common); HttpOnly", "\(csrf)=\(token.csrfToken); \(common)"]
    }

    /// `Set-Cookie` values that remove both cookies.
    static func clear(secure: Bool) -> [String] {
        let common = "Path=/; Max-Age=0; SameSite=Lax\(secure ? "; Secure" : "")"
        return ["\(session)=; \(common); HttpOnly", "\(csrf)=; \(common)"]
    }

    /// The value of cookie `name` in a `Cookie` request header.
    static func value(_ name: String, in header: String) -> Substring? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " || $0 == "\t" }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
            return trimmed[trimmed.index(after: equals)...]
        }
        return nil
    }
}
