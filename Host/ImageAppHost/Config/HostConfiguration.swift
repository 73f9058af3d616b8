/// Everything `plugins.conf` says, validated, with environment overrides applied.
public struct HostConfiguration: Sendable {
    /// The `[host]` section.
    public var host: HostSettings
    /// Every `[plugins.NAME]` section, enabled or not, in file order.
    public var plugins: [PluginSection]
    /// The file it was read from (for messages).
    public var path: String

    /// The sections of enabled plugins.
    public var enabledPlugins: [PluginSection] { plugins.filter(\.enabled) }
}

/// The `[host]` section: how the server process behaves.
public struct HostSettings: Sendable, Equatable {
    /// Where to listen for HTTP.
    public var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8080)
    /// Threads that run blocking plugin handlers.
    public var workerThreads: Int = 64
    /// Requests allowed to wait for a worker thread before the host answers 503.
    public var queueLimit: Int = 1024
    /// Largest request body accepted, unless a route sets its own limit.
    public var bodyLimitBytes: Int = 1 << 20
    /// How long a handler may take before the host answers 504.
    public var requestTimeoutSeconds: Double = 30
    /// How long an idle keep-alive connection stays open.
    public var idleTimeoutSeconds: Double = 75
    /// Streams (ABI 1.12): a heartbeat after this long without a message.
    public var streamHeartbeatSeconds: Double = 15
    /// Streams: messages queued for one client before it is disconnected as a slow consumer.
    public var streamQueueMessages: Int = 256
    /// Streams: how long one write may wait for the client before it is disconnected.
    public var streamWriteTimeoutSeconds: Double = 10
    /// How long a request's header may take to arrive, from its first byte.
    public var headerTimeoutSeconds: Double = 20
    /// How long a body may take to arrive, plus one second per `bodyMinBytesPerSecond` bytes received.
    public var bodyTimeoutSeconds: Double = 20
    /// The slowest body upload rate kept up past `bodyTimeoutSeconds`.
    public var bodyMinBytesPerSecond: Int = 1000
    /// Bytes of plain request bodies held in memory at once, over all requests (503 beyond).
    public var bodyBytesInFlight: Int = 256 << 20
    /// How long SIGTERM waits for in-flight requests before the process exits anyway.
    public var shutdownTimeoutSeconds: Double = 30
    /// Folder with the plugin libraries; nil means the folder of the `image-app` executable.
    public var pluginDirectory: String?
    /// `trace` ... `critical`.
    public var logLevel: String = "info"
    /// `text` or `json`.
    public var logFormat: String = "text"
    /// Peers whose `X-Forwarded-For` is believed.
    public var trustedProxies: [CIDR] = []
    /// PostgreSQL, e.g. `postgres://user@host:5432/db`; nil runs without a database.
    public var databaseURL: String?
    /// A read replica for queries; nil sends queries to `databaseURL`.
    public var databaseReadURL: String?
    /// How many times a command runs before a transient failure is reported (503).
    public var commandMaxAttempts: Int = 5
    /// The Redis stream events are published to.
    public var eventsStream: String = "ia:events"
    /// Deliveries of an event to a worker handler before it is dead-lettered.
    public var eventMaxAttempts: Int = 5
    /// First retry delay of a failed event delivery; it doubles per attempt (capped at 60 s).
    public var eventRetryBaseSeconds: Double = 1
    /// The blob storage backend (a registered store's name); nil: the only one registered.
    public var blobStore: String?
    /// Prefix of the host's own Redis keys (job locks): `<namespace>:job:<plugin>.<name>`.
    public var redisNamespace: String = "ia"
    /// How long a job's lock outlives its holder if that process dies.
    public var jobLeaseSeconds: Double = 30
    /// How long cache values stay in a process's memory (`cache_peek`); 0 keeps none.
    public var cacheLocalTTLMilliseconds: Int = 60_000
    /// Most PostgreSQL connections this process opens (per pool).
    public var databasePoolSize: Int = 10
    /// Redis, e.g. `redis://127.0.0.1:6379/0`; nil runs without Redis.
    public var redisURL: String?
    /// Most Redis connections this process opens (subscribers not counted).
    public var redisPoolSize: Int = 10
    /// How long a non-blocking Redis command (ABI 1.11) waits for a connection or a reply before it fails.
    public var redisAsyncTimeoutMilliseconds: Int = 500
    /// Multipart parts up to this many bytes stay in memory; larger ones are spooled to `multipartTempDirectory`.
    public var multipartMemoryBytes: Int = 256 * 1024
    /// Most parts in one multipart body, unless the route sets its own limit.
    public var multipartMaxParts: Int = 64
    /// Largest part body, unless the route sets its own limit.
    public var multipartMaxPartBytes: Int = 32 << 20
    /// Largest multipart body, for multipart routes that do not set `max_body_bytes`.
    public var multipartMaxTotalBytes: Int = 64 << 20
    /// Where spooled parts are written; nil: `image-app-uploads` in the system's temporary folder.
    public var multipartTempDirectory: String?

    public init() {}
}

/// One `[plugins.NAME]` section.
public struct PluginSection: Sendable {
    /// The plugin's name (the table name), which must equal the name the plugin reports.
    public var name: String
    /// Whether the host loads it.
    public var enabled: Bool
    /// The library file: absolute, or relative to the plugin directory.
    public var library: String
    /// The plugin's own settings: every key of the section except `enabled` and `library`.
    public var settings: [String: ConfigValue]
    /// The line of the section header.
    public var line: Int?
}
