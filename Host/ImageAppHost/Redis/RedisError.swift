/// A failure talking to Redis: what kind, and a sentence saying what happened.
public struct RedisError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; callers branch on this, not on the message.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum _Code: Hashable, Sendable {
            case connection, `protocol`, timeout, server, poolExhausted, invalidURL
        }

        private var code: _Code

        private init(_ code: _Code) {
            self.code = code
        }

        /// The connection could not be opened, authenticated, or was lost. The connection is unusable.
        public static let connection = Code(.connection)
        /// The server sent something hiredis could not parse. The connection is unusable.
        public static let `protocol` = Code(.protocol)
        /// Connecting, sending or waiting for a reply took longer than the timeout. The connection is unusable.
        public static let timeout = Code(.timeout)
        /// The server answered with an error reply (the message is the reply). The connection is fine.
        public static let server = Code(.server)
        /// No pooled connection became free within the lease timeout.
        public static let poolExhausted = Code(.poolExhausted)
        /// A Redis URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)

        public var description: String {
            switch code {
            case .connection: "connection"
            case .protocol: "protocol"
            case .timeout: "timeout"
            case .server: "server"
            case .poolExhausted: "poolExhausted"
            case .invalidURL: "invalidURL"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened; for ``Code/server`` the server's error reply, such as `WRONGTYPE Operation against…`.
    public var message: String

    /// Creates an error of the given kind.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// For a server error, its first word (`ERR`, `WRONGTYPE`, `NOSCRIPT`, …); `nil` otherwise.
    public var serverErrorPrefix: String? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var description: String { "redis \(code) error: \(message)" }
}
