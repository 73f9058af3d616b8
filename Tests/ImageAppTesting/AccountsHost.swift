import Foundation
import Testing

/// A host with the account plugins (`auth`, `profiles`, `storage-fs`) on a fresh database, with its mail outbox
/// and media folder in its temporary directory, plus the calls the account tests repeat. Made by ``withAccounts``.
public final class AccountsHost: Sendable {
    /// The scoped host underneath (more instances: ``startInstance(role:)``).
    public let testHost: TestHost

    /// The first instance.
    public var host: HostProcess { testHost.process }
    public var database: (name: String, url: String) { testHost.resources.database! }
    public var directory: String { testHost.resources.directory }
    /// The configuration text the host runs with (for `image-app create-admin` and a second instance).
    public var config: String { testHost.config }
    public var mailDirectory: String { directory + "/mail" }
    public var mediaDirectory: String { directory + "/media" }

    /// Fast scrypt for tests (N = 2^10): the default parameters cost ~0.2 s per hash by design.
    public static let fastKDF = "password_scrypt_n = 1024\n"

    init(_ testHost: TestHost) {
        self.testHost = testHost
    }

    /// The configuration: `auth` and `profiles` are extra TOML lines for those sections (`profiles: nil` leaves that
    /// plugin out: auth works alone), `host` extra `[host]` lines.
    static func config(_ resources: TestResources, auth: String, profiles: String?, host hostLines: String, plugins: String = "") -> String {
        """
        [host]
        \(resources.hostLines())
        \(hostLines)

        [plugins.storage-fs]
        enabled = true
        root = "\(resources.directory)/media"

        [plugins.auth]
        enabled = true
        mail_outbox = "\(resources.directory)/mail"
        public_url = "https://photos.example"
        redis_prefix = "\(resources.namespace):auth"
        \(fastKDF)
        \(auth)

        [plugins.profiles]
        enabled = \(profiles != nil)
        redis_prefix = "\(resources.namespace):profiles"
        \(profiles ?? "")

        \(plugins)
        """
    }

    /// Starts another instance with the same configuration (stopped with the first).
    @discardableResult
    public func startInstance(role: String = "all") async throws -> HostProcess {
        try await testHost.startInstance(role: role)
    }

    // MARK: Requests

    /// A JSON request; `token` goes in `Authorization: Bearer`.
    public func send(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        try await host.send(method, path, json: json, token: token, headers: headers)
    }

    /// Registers an account in token mode and returns the bearer token and the user's id.
    @discardableResult
    public func register(
        _ handle: String,
        email: String? = nil,
        password: String = "correct horse battery",
        displayName: String? = nil
    ) async throws -> (token: String, userID: String, response: HTTPResult) {
        var body: [String: Any] = ["handle": handle, "email": email ?? "\(handle)@example.com", "password": password, "session": "token"]
        if let displayName { body["display_name"] = displayName }
        let response = try await send("POST", "/api/v1/auth/register", json: body)
        guard response.status == 201, let token = response.json["token"] as? String,
            let user = response.json["user"] as? [String: Any], let id = user["id"] as? String
        else {
            throw HostProcessError(message: "register \(handle): \(response.status) \(response.text)")
        }
        return (token, id, response)
    }

    /// Logs in in token mode.
    public func login(_ login: String, password: String = "correct horse battery") async throws -> HTTPResult {
        try await send("POST", "/api/v1/auth/login", json: ["login": login, "password": password, "session": "token"])
    }

    /// The status of a login with a wrong password for an unknown name, sent through a proxy as client `address`
    /// (`X-Forwarded-For`; believed only when the host lists 127.0.0.1 in `trusted_proxies`): for address limits.
    public func failedLoginStatus(from address: String) async throws -> Int {
        try await send(
            "POST",
            "/api/v1/auth/login",
            json: ["login": "nobody", "password": "wrong guess!"],
            headers: ["X-Forwarded-For": address]
        ).status
    }

    /// Creates an admin with `image-app create-admin` and returns a bearer token for it.
    public func createAdmin(_ handle: String, password: String = "correct horse battery") async throws -> String {
        let result = try await testHost.run(["create-admin", "--handle", handle, "--email", "\(handle)@example.com"], stdin: password + "\n")
        guard result.status == 0 else {
            throw HostProcessError(message: "create-admin: \(result.status) \(result.stderr)")
        }
        let login = try await login(handle, password: password)
        guard let token = login.json["token"] as? String else {
            throw HostProcessError(message: "admin login: \(login.status) \(login.text)")
        }
        return token
    }

    /// The files in the mail outbox, oldest first, as text.
    public func mails() -> [String] {
        // Only finished messages: the mailer writes `.NAME.tmp` first and renames it to `NAME.eml`.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mailDirectory)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: mailDirectory + "/" + $0, encoding: .utf8) }
    }

    /// The `token=` value of the last link in the newest mail to `address` whose subject contains `subject`, other
    /// than `except`; waits up to 10 s for it (some mail is sent after the answer).
    public func mailedToken(to address: String, subject: String, except: String? = nil) async -> String? {
        try? await eventually { () -> String? in
            for mail in mails().reversed() where mail.contains("To: \(address)") && mail.contains(subject) {
                guard let range = mail.range(of: "token=", options: .backwards) else { continue }
                let token = String(mail[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                return token != except ? token : nil
            }
            return nil
        }
    }
}

/// Runs `body` with an ``AccountsHost`` (see ``withHost(database:environment:role:config:_:)`` for what is cleaned up
/// afterwards): `auth` and `profiles` are extra TOML lines for those sections (`profiles: nil` leaves that plugin
/// out: auth works alone), `host` extra `[host]` lines, `plugins` further sections (other plugins, such as
/// `[plugins.realtime]`) made on the test's resources (for a `redis_prefix` under its namespace).
public func withAccounts(
    auth: String = "",
    profiles: String? = "",
    host hostLines: String = "",
    plugins: (TestResources) -> String = { _ in "" },
    role: String = "all",
    _ body: (AccountsHost) async throws -> Void
) async throws {
    try await withHost(role: role, config: { AccountsHost.config($0, auth: auth, profiles: profiles, host: hostLines, plugins: plugins($0)) }) {
        host in
        try await body(AccountsHost(host))
    }
}
