/// Where a Redis server is and how to log in: `redis://[[user]:password@]host[:port][/db]`.
///
/// Only plain TCP is supported: hiredis 0.14 (Debian 12) has no TLS, so `rediss://` is refused
/// rather than silently connecting in the clear.
public struct RedisURL: Hashable, Sendable, CustomStringConvertible {
    /// A host name, or an IPv4 or IPv6 address (without brackets).
    public var host: String
    /// The TCP port; 6379 when the URL has none.
    public var port: Int
    /// The ACL user (Redis 6+); `nil` logs in as `default` when there is a password.
    public var username: String?
    /// The password sent with `AUTH`; `nil` sends no `AUTH`.
    public var password: String?
    /// The logical database selected with `SELECT`; 0 when the URL has no path.
    public var database: Int

    /// The port used when a URL has none.
    public static let defaultPort = 6379

    /// Creates a URL from its parts.
    public init(
        host: String,
        port: Int = RedisURL.defaultPort,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`; user and password may be percent-encoded.
    ///
    /// - Throws: ``RedisError`` with code ``RedisError/Code/invalidURL`` and a message naming the bad part.
    public init(_ string: String) throws(RedisError) {
        func invalid(_ reason: String) -> RedisError {
            RedisError(.invalidURL, "invalid Redis URL '\(RedisURL.redacted(string))': \(reason)")
        }
        guard let schemeEnd = string.firstRange(of: "://") else {
            throw invalid("expected redis://[[user]:password@]host[:port][/db]")
        }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            if scheme == "rediss" { throw invalid("TLS (rediss://) is not supported by this client") }
            throw invalid("unsupported scheme '\(scheme)', expected redis://")
        }
        var rest = string[schemeEnd.upperBound...]

        // Userinfo ends at the last '@' (a database number never holds one), so a password may
        // even contain '@', '/' or '?' unescaped.
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userinfo.firstIndex(of: ":") else {
                throw invalid(
                    "userinfo needs a ':' before the password (redis://:password@host or redis://user:password@host)"
                )
            }
            guard let user = Self.percentDecoded(userinfo[..<colon]),
                let pass = Self.percentDecoded(userinfo[userinfo.index(after: colon)...])
            else { throw invalid("bad percent-encoding in user or password") }
            username = user.isEmpty ? nil : user
            password = pass.isEmpty ? nil : pass
        }
        if rest.contains(where: { $0 == "?" || $0 == "#" }) {
            throw invalid("query parameters and fragments are not supported")
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        // Host: a bracketed IPv6 literal or everything up to the last ':'.
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unterminated '[' in IPv6 host") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected '\(after)' after IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw invalid("missing host") }
        let bracketed = rest.hasPrefix("[")
        guard bracketed || !host.contains(where: { $0 == ":" || $0 == " " }) else {
            throw invalid("bad host '\(host)' (IPv6 addresses go in brackets: redis://[::1]:6379)")
        }

        var port = Self.defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        }

        var database = 0
        if !path.isEmpty {
            guard let value = Int(path), value >= 0 else {
                throw invalid("database '\(path)' is not a non-negative number")
            }
            database = value
        }
        self.init(host: String(host), port: port, username: username, password: password, database: database)
    }

    /// The URL with the password replaced by `***`, safe to log.
    public var description: String {
        var userinfo = ""
        if let password { userinfo = "\(username ?? ""):\(password.isEmpty ? "" : "***")@" }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(userinfo)\(hostPart):\(port)/\(database)"
    }

    /// The text of a URL with anything between `://` and the last `@` masked, for error messages.
    private static func redacted(_ string: String) -> String {
        guard let schemeEnd = string.firstRange(of: "://"), let at = string.lastIndex(of: "@"),
            at > schemeEnd.upperBound
        else { return string }
        return string[..<schemeEnd.upperBound] + "***" + string[at...]
    }

    /// Decodes `%XX` escapes; `nil` for a malformed escape or bytes that are not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
