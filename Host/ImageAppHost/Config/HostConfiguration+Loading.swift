public import Foundation

extension HostConfiguration {
    /// Environment variables that override `[host]` keys: `IMAGEAPP_HOST_<KEY>`.
    static let hostEnvironmentPrefix = "IMAGEAPP_HOST_"

    /// Reads, parses and validates a configuration file.
    /// - Parameters:
    ///   - path: the TOML file.
    ///   - environment: variables that override values (normally the process environment).
    /// - Throws: ``ConfigError`` naming the file, the line and what is wrong.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> HostConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, message: "cannot read the configuration file (\(Self.reason(error)))")
        }
        return try parse(text: text, path: path, environment: environment)
    }

    /// Parses and validates configuration text; `path` is used for messages and relative paths.
    public static func parse(
        text: String,
        path: String,
        environment: [String: String] = [:]
    ) throws(ConfigError) -> HostConfiguration {
        let document: TOMLDocument
        do {
            document = try TOMLDocument.parse(text)
        } catch {
            throw ConfigError(file: path, line: error.line, message: "TOML syntax error at column \(error.column): \(error.message)")
        }
        let map = ConfigSourceMap(document: document)
        let root = document.root
        let reader = SectionReader(file: path, map: map)
        for key in root.keys.sorted() where key != "host" && key != "plugins" {
            throw reader.error(table: "", key: key, "unknown section or key '\(key)'; expected [host] or [plugins.NAME]")
        }
        let host = try reader.hostSettings(root["host"], environment: environment, configPath: path)
        let plugins = try reader.pluginSections(root["plugins"], environment: environment)
        return HostConfiguration(host: host, plugins: plugins, path: path)
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

/// Validates sections and turns them into typed settings, keeping track of lines for messages.
private struct SectionReader {
    let file: String
    let map: ConfigSourceMap

    func error(table: String, key: String? = nil, _ message: String) -> ConfigError {
        ConfigError(file: file, line: map.line(table: table, key: key), message: message)
    }

    // MARK: [host]

    func hostSettings(
        _ value: ConfigValue?,
        environment: [String: String],
        configPath: String
    ) throws(ConfigError) -> HostSettings {
        var settings = HostSettings()
        var section: [String: ConfigValue] = [:]
        if let value {
            guard case .table(let table) = value else { throw error(table: "", key: "host", "'host' must be a table") }
            section = table
        }
        let known: Set<String> = [
            "listen", "worker_threads", "queue_limit", "body_limit_bytes", "request_timeout_seconds",
            "idle_timeout_seconds", "header_timeout_seconds", "body_timeout_seconds", "body_min_bytes_per_second",
            "body_bytes_in_flight", "shutdown_timeout_seconds", "plugin_dir", "log_level", "log_format",
            "trusted_proxies", "database_url", "database_read_url", "database_pool_size", "command_max_attempts", "events_stream",
            "event_max_attempts", "event_retry_base_seconds", "redis_namespace", "job_lease_seconds", "cache_local_ttl_ms", "blob_store", "redis_url",
            "redis_pool_size", "redis_async_timeout_ms",
            "multipart_memory_bytes", "multipart_max_parts", "multipart_max_part_bytes", "multipart_max_total_bytes",
            "multipart_temp_dir",
            "stream_heartbeat_seconds", "stream_queue_messages", "stream_write_timeout_seconds",
        ]
        for key in section.keys.sorted() where !known.contains(key) {
            throw error(table: "host", key: key, "unknown key 'host.\(key)'; known keys: \(known.sorted().joined(separator: ", "))")
        }
        // Environment overrides arrive as text; they are typed like the file's values.
        for key in known {
            if let text = environment[HostConfiguration.hostEnvironmentPrefix + key.uppercased()] {
                section[key] =
                    key == "trusted_proxies"
                    ? .array(text.split(separator: ",").map { .string(String($0.trimmingWhitespace())) })
                    : Self.typedEnvironmentValue(text)
            }
        }

        if let text = try string(section, "listen") {
            guard let address = ListenAddress(parsing: text) else {
                throw error(table: "host", key: "listen", "host.listen must be HOST:PORT (e.g. 127.0.0.1:8080), got '\(text)'")
            }
            settings.listen = address
        }
        if let n = try int(section, "worker_threads", range: 1...4096) { settings.workerThreads = n }
        if let n = try int(section, "queue_limit", range: 0...1_000_000) { settings.queueLimit = n }
        if let n = try int(section, "body_limit_bytes", range: 1...(1 << 40)) { settings.bodyLimitBytes = n }
        if let n = try int(section, "multipart_memory_bytes", range: 0...(1 << 30)) { settings.multipartMemoryBytes = n }
        if let n = try int(section, "multipart_max_parts", range: 1...100_000) { settings.multipartMaxParts = n }
        if let n = try int(section, "multipart_max_part_bytes", range: 1...(1 << 40)) { settings.multipartMaxPartBytes = n }
        if let n = try int(section, "multipart_max_total_bytes", range: 1...(1 << 40)) { settings.multipartMaxTotalBytes = n }
        if let dir = try string(section, "multipart_temp_dir"), !dir.isEmpty {
            settings.multipartTempDirectory = Self.resolve(dir, relativeTo: configPath)
        }
        if let d = try seconds(section, "request_timeout_seconds") { settings.requestTimeoutSeconds = d }
        if let d = try seconds(section, "idle_timeout_seconds") { settings.idleTimeoutSeconds = d }
        if let d = try seconds(section, "stream_heartbeat_seconds") { settings.streamHeartbeatSeconds = max(d, 0.05) }
        if let n = try int(section, "stream_queue_messages", range: 1...1_000_000) { settings.streamQueueMessages = n }
        if let d = try seconds(section, "stream_write_timeout_seconds") { settings.streamWriteTimeoutSeconds = max(d, 0.05) }
        if let d = try seconds(section, "header_timeout_seconds") { settings.headerTimeoutSeconds = d }
        if let d = try seconds(section, "body_timeout_seconds") { settings.bodyTimeoutSeconds = d }
        if let n = try int(section, "body_min_bytes_per_second", range: 1...(1 << 30)) { settings.bodyMinBytesPerSecond = n }
        if let n = try int(section, "body_bytes_in_flight", range: 1...(1 << 40)) { settings.bodyBytesInFlight = n }
        if let d = try seconds(section, "shutdown_timeout_seconds") { settings.shutdownTimeoutSeconds = d }
        if let dir = try string(section, "plugin_dir"), !dir.isEmpty {
            settings.pluginDirectory = Self.resolve(dir, relativeTo: configPath)
        }
        if let level = try string(section, "log_level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level) else {
                throw error(table: "host", key: "log_level", "host.log_level must be one of \(levels.joined(separator: ", ")), got '\(level)'")
            }
            settings.logLevel = level
        }
        if let format = try string(section, "log_format") {
            guard format == "text" || format == "json" else {
                throw error(table: "host", key: "log_format", "host.log_format must be 'text' or 'json', got '\(format)'")
            }
            settings.logFormat = format
        }
        if let url = try string(section, "database_url"), !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw error(table: "host", key: "database_url", "host.database_url must be a postgres:// URL")
            }
            settings.databaseURL = url
        }
        if let url = try string(section, "database_read_url"), !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw error(table: "host", key: "database_read_url", "host.database_read_url must be a postgres:// URL")
            }
            settings.databaseReadURL = url
        }
        if let n = try int(section, "database_pool_size", range: 1...1000) { settings.databasePoolSize = n }
        if let n = try int(section, "command_max_attempts", range: 1...100) { settings.commandMaxAttempts = n }
        if let stream = try string(section, "events_stream") {
            guard !stream.isEmpty, stream.utf8.count <= 200 else {
                throw error(table: "host", key: "events_stream", "host.events_stream must be a non-empty stream name")
            }
            settings.eventsStream = stream
        }
        if let n = try int(section, "event_max_attempts", range: 1...1000) { settings.eventMaxAttempts = n }
        if let d = try seconds(section, "event_retry_base_seconds") { settings.eventRetryBaseSeconds = d }
        if let namespace = try string(section, "redis_namespace") {
            guard !namespace.isEmpty, namespace.utf8.count <= 100 else {
                throw error(table: "host", key: "redis_namespace", "host.redis_namespace must be a non-empty prefix")
            }
            settings.redisNamespace = namespace
        }
        if let d = try seconds(section, "job_lease_seconds") { settings.jobLeaseSeconds = max(d, 0.3) }
        if let n = try int(section, "cache_local_ttl_ms", range: 0...3_600_000) { settings.cacheLocalTTLMilliseconds = n }
        if let store = try string(section, "blob_store"), !store.isEmpty { settings.blobStore = store }
        if let url = try string(section, "redis_url"), !url.isEmpty {
            do {
                _ = try RedisURL(url)
            } catch let problem {
                throw error(table: "host", key: "redis_url", "host.redis_url: \(problem.message)")
            }
            settings.redisURL = url
        }
        if let n = try int(section, "redis_pool_size", range: 1...1000) { settings.redisPoolSize = n }
        if let n = try int(section, "redis_async_timeout_ms", range: 10...60_000) { settings.redisAsyncTimeoutMilliseconds = n }
        if let proxies = section["trusted_proxies"] {
            guard case .array(let items) = proxies else {
                throw error(table: "host", key: "trusted_proxies", "host.trusted_proxies must be an array of addresses or CIDR ranges")
            }
            settings.trustedProxies = try items.map { item throws(ConfigError) in
                guard case .string(let text) = item, let cidr = CIDR(parsing: text) else {
                    throw error(table: "host", key: "trusted_proxies", "host.trusted_proxies: '\(item.jsonText)' is not an IP address or CIDR range")
                }
                return cidr
            }
        }
        return settings
    }

    // MARK: [plugins.NAME]

    func pluginSections(_ value: ConfigValue?, environment: [String: String]) throws(ConfigError) -> [PluginSection] {
        guard let value else { return [] }
        guard case .table(let table) = value else { throw error(table: "", key: "plugins", "'plugins' must be a table of [plugins.NAME] sections") }
        var sections: [PluginSection] = []
        for (name, body) in table {
            let tableName = "plugins.\(name)"
            guard PluginSection.isValidName(name) else {
                throw error(table: tableName, "plugin name '\(name)' must be 1-64 characters of a-z, 0-9 and '-'")
            }
            guard case .table(var settings) = body else {
                throw error(table: "plugins", key: name, "[plugins.\(name)] must be a table")
            }
            var enabled = true
            let enabledOverride = environment[PluginSection.environmentPrefix(plugin: name) + "ENABLED"]
            if let text = enabledOverride {
                guard let flag = Bool(text.lowercased()) else {
                    throw error(
                        table: tableName,
                        key: "enabled",
                        "environment override of plugins.\(name).enabled must be true or false, got '\(text)'"
                    )
                }
                enabled = flag
            } else if let flag = settings["enabled"] {
                guard case .bool(let b) = flag else {
                    throw error(table: tableName, key: "enabled", "plugins.\(name).enabled must be true or false, got \(flag.typeDescription)")
                }
                enabled = b
            }
            var library = "lib\(name).so"
            if let lib = settings["library"] {
                guard case .string(let path) = lib, !path.isEmpty else {
                    throw error(table: tableName, key: "library", "plugins.\(name).library must be a non-empty file name or path")
                }
                library = path
            }
            settings["enabled"] = nil
            settings["library"] = nil
            sections.append(
                PluginSection(
                    name: name,
                    enabled: enabled,
                    library: library,
                    settings: PluginSection.applyingEnvironment(environment, plugin: name, to: settings),
                    line: map.line(table: tableName)
                )
            )
        }
        let order = map.tableOrder
        sections.sort {
            (order.firstIndex(of: "plugins.\($0.name)") ?? .max, $0.name) < (order.firstIndex(of: "plugins.\($1.name)") ?? .max, $1.name)
        }
        return sections
    }

    // MARK: Typed accessors

    private func string(_ section: [String: ConfigValue], _ key: String) throws(ConfigError) -> String? {
        guard let value = section[key] else { return nil }
        guard case .string(let s) = value else {
            throw error(table: "host", key: key, "host.\(key) must be a string, got \(value.typeDescription)")
        }
        return s
    }

    private func int(_ section: [String: ConfigValue], _ key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = section[key] else { return nil }
        guard case .int(let n) = value, range.contains(Int(clamping: n)) else {
            throw error(
                table: "host",
                key: key,
                "host.\(key) must be an integer from \(range.lowerBound) to \(range.upperBound), got \(value.jsonText)"
            )
        }
        return Int(n)
    }

    private func seconds(_ section: [String: ConfigValue], _ key: String) throws(ConfigError) -> Double? {
        guard let value = section[key] else { return nil }
        let number: Double
        switch value {
        case .int(let n): number = Double(n)
        case .double(let d): number = d
        default: number = .nan
        }
        guard number.isFinite, number > 0, number <= 86_400 else {
            throw error(table: "host", key: key, "host.\(key) must be a number of seconds above 0 and at most 86400, got \(value.jsonText)")
        }
        return number
    }

    /// Environment text as the TOML value it spells (integer, number, boolean), else a string.
    static func typedEnvironmentValue(_ text: String) -> ConfigValue {
        if let n = Int64(text) { return .int(n) }
        if let d = Double(text), text.contains(".") { return .double(d) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }

    static func resolve(_ path: String, relativeTo configPath: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        return base.appendingPathComponent(path).standardizedFileURL.path
    }
}

extension PluginSection {
    /// `[a-z0-9-]{1,64}`: names appear in file names, metrics and environment variables.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
    }

    /// `IMAGEAPP_PLUGIN_<NAME>__` with the name upper-cased and '-' as '_'.
    static func environmentPrefix(plugin: String) -> String {
        "IMAGEAPP_PLUGIN_" + environmentWord(plugin) + "__"
    }

    /// A key or name as it appears in an environment variable: upper case, '-' and '.' as '_'.
    static func environmentWord(_ text: String) -> String {
        String(text.uppercased().map { $0 == "-" || $0 == "." ? "_" : $0 })
    }

    /// Applies `IMAGEAPP_PLUGIN_<NAME>__<KEY>` overrides to top-level and dotted keys. Values stay
    /// text: the typed settings getters parse them, so a numeric-looking secret is still a string.
    static func applyingEnvironment(
        _ environment: [String: String],
        plugin: String,
        to settings: [String: ConfigValue]
    ) -> [String: ConfigValue] {
        let prefix = environmentPrefix(plugin: plugin)
        let overrides = environment.filter { $0.key.hasPrefix(prefix) && $0.key != prefix + "ENABLED" }
        guard !overrides.isEmpty else { return settings }
        var result = settings
        var matched: Set<String> = []
        // Known keys (including nested tables) keep their spelling.
        func visit(_ table: [String: ConfigValue], path: [String]) -> [String: ConfigValue] {
            var out = table
            for (key, value) in table {
                let dotted = (path + [key]).joined(separator: ".")
                let variable = prefix + environmentWord(dotted)
                if case .table(let child) = value {
                    out[key] = .table(visit(child, path: path + [key]))
                } else if let text = overrides[variable] {
                    out[key] = .string(text)
                    matched.insert(variable)
                }
            }
            return out
        }
        result = visit(result, path: [])
        // Keys only in the environment (secrets kept out of the file) arrive in lower case.
        for (variable, text) in overrides where !matched.contains(variable) {
            result[String(variable.dropFirst(prefix.count)).lowercased()] = .string(text)
        }
        return result
    }
}
