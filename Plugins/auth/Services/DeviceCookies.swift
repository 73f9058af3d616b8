import ImageAppPlugin
import PluginCrypto
import Synchronization

/// Issues and recognises device cookies (``DeviceCookie``): an HTTP-only, `SameSite=Lax` cookie `ia_device` (`Secure`
/// with `cookie_secure`) that every successful login sets, for `device_cookie_days`, and that only the login route
/// is sent. A login that presents a genuine one for the account it signs in to counts against that device's own
/// budget instead of the account's budget for untrusted clients, so a guesser elsewhere cannot lock the owner out.
///
/// The HMAC key is the plugin's signing key `device_cookie` (`auth.signing_key`): made once, shared by every
/// instance through PostgreSQL, and kept in memory after its first use.
final class DeviceCookies: Sendable {
    static let name = "ia_device"
    /// Only the login route reads the cookie, so browsers send it nowhere else.
    static let path = "/api/v1/auth/login"

    private let host: PluginHost
    private let maxAgeSeconds: Int64
    private let secure: Bool
    private let key = Mutex<[UInt8]?>(nil)

    init(host: PluginHost, settings: AuthSettings) {
        self.host = host
        self.maxAgeSeconds = Int64(settings.deviceCookieDays) * 86_400
        self.secure = settings.cookieSecure
    }

    /// The `Set-Cookie` value of a new device cookie for `userID`.
    func setCookie(for userID: String) throws -> String {
        let value = DeviceCookie.generate(for: userID).text(key: try signingKey())
        return "\(Self.name)=\(value); Path=\(Self.path); Max-Age=\(maxAgeSeconds); SameSite=Lax\(secure ? "; Secure" : ""); HttpOnly"
    }

    /// The device `request`'s cookie names when it is genuine and was issued for `userID`; otherwise `nil` (no cookie,
    /// a malformed or forged one, or one of another account: the attempt is then an untrusted client's).
    func trustedDevice(_ request: Request, userID: String) throws -> DeviceCookie? {
        guard let header = request.header("Cookie"), let value = SessionCookies.value(Self.name, in: header),
            let (cookie, signature) = DeviceCookie.parse(value), cookie.userID == userID
        else { return nil }
        return cookie.isSigned(with: signature, key: try signingKey()) ? cookie : nil
    }

    private func signingKey() throws -> [UInt8] {
        if let key = key.withLock({ $0 }) { return key }
        struct Output: Decodable { var key: String }
        let output = try host.dispatchCommand("auth.signing_key", payload: ["name": "device_cookie"], as: Output.self)
        guard let bytes = Base64URL.decode(output.key), bytes.count >= 32 else {
            throw PluginError(status: .internal, message: "the device cookie key is malformed")
        }
        key.withLock { $0 = bytes }
        return bytes
    }
}
