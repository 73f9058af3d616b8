import Foundation

/// A host with the account plugins (`auth`, `profiles`, `storage-fs`) on a fresh database, with its mail outbox
/// and media folder in a temporary directory, plus the calls the account tests repeat.
final class AccountsHost: @unchecked Sendable {
    // @unchecked: used by the one test that owns it.

    let host: HostProcess
    let database: (name: String, url: String)
    let directory: String
    /// The configuration text the host runs with (for `image-app create-admin` and a second instance).
    let config: String
    var mailDirectory: String { directory + "/mail" }
    var mediaDirectory: String { directory + "/media" }

    /// Fast scrypt for tests (N = 2^10): the default parameters cost ~0.2 s per hash by design.
    static let fastKDF = "password_scrypt_n = 1024\n"

    private init(host: HostProcess, database: (name: String, url: String), directory: String, config: String) {
        self.host = host
        self.database = database
        self.directory = directory
        self.config = config
    }

    /// Starts a host; `auth` and `profiles` are extra TOML lines for those sections (`profiles: nil` leaves that
    /// plugin out: auth works alone).
    static func start(auth: String = "", profiles: String? = "", host hostLines: String = "", role: String = "all") async throws -> AccountsHost {
        let database = try TestDatabase.fresh()
        let directory = try TemporaryDirectory.make()
        let config = """
            [host]
            log_level = "warning"
            database_url = "\(database.url)"
            redis_url = "\(TestRedis.url)"
            redis_namespace = "\(database.name)"
            events_stream = "\(database.name):events"
            \(hostLines)

            [plugins.storage-fs]
            enabled = true
            root = "\(directory)/media"

            [plugins.auth]
            enabled = true
            mail_outbox = "\(directory)/mail"
            public_url = "https://photos.example"
            redis_prefix = "\(database.name):auth"
            \(fastKDF)
            \(auth)

            [plugins.profiles]
            enabled = \(profiles != nil)
            redis_prefix = "\(database.name):profiles"
            \(profiles ?? "")
            """
        let host = try await HostProcess.start(config: config, role: role)
        return AccountsHost(host: host, database: database, directory: directory, config: config)
    }

    /// Stops the host and drops its database.
    func stop() async {
        await host.stop()
        TestDatabase.drop(database.name)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Requests

    /// A JSON request; `token` goes in `Authorization: Bearer`.
    func send(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        var fields = headers
        if let token { fields["Authorization"] = "Bearer \(token)" }
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            fields["Content-Type"] = "application/json"
        }
        return try await host.request(method, path, headers: fields, body: body)
    }

    /// Registers an account in token mode and returns the bearer token and the user's id.
    @discardableResult
    func register(
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
    func login(_ login: String, password: String = "correct horse battery") async throws -> HTTPResult {
        try await send("POST", "/api/v1/auth/login", json: ["login": login, "password": password, "session": "token"])
    }

    /// Creates an admin with `image-app create-admin` and returns a bearer token for it.
    func createAdmin(_ handle: String, password: String = "correct horse battery") async throws -> String {
        let result = try HostProcess.run(
            ["create-admin", "--handle", handle, "--email", "\(handle)@example.com"], config: config, stdin: password + "\n"
        )
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
    func mails() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mailDirectory)) ?? []).sorted()
        return names.compactMap { try? String(contentsOfFile: mailDirectory + "/" + $0, encoding: .utf8) }
    }

    /// The `token=` value of the last link in the newest mail to `address` whose subject contains `subject`, other
    /// than `except`; waits up to 5 s for it (some mail is sent after the answer).
    func mailedToken(to address: String, subject: String, except: String? = nil) async -> String? {
        for _ in 0..<250 {
            for mail in mails().reversed() where mail.contains("To: \(address)") && mail.contains(subject) {
                guard let range = mail.range(of: "token=", options: .backwards) else { continue }
                let token = String(mail[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                if token != except { return token }
                break
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
