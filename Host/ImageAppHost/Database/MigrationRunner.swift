import Logging

/// Applies plugins' pending migrations.
///
/// Hosts starting together take turns through a PostgreSQL advisory lock held by one
/// connection for the whole run (released by the server if the process dies). Each migration
/// runs in its own transaction together with the row that records it, so a failure leaves no
/// half-applied migration and no record of it.
enum MigrationRunner {
    /// The advisory lock key all Image App hosts share ("IAmigr" in ASCII).
    static let lockKey: Int64 = 0x4941_6D69_6772

    /// Applies what is pending, plugin by plugin in `order`; returns how many ran.
    static func run(
        pool: PostgresPool,
        migrations: [String: [CommandBus.Migration]],
        order: [String],
        logger: Logger
    ) throws(PluginLoadError) -> Int {
        guard migrations.values.contains(where: { !$0.isEmpty }) else { return 0 }
        do {
            return try pool.withConnection(timeout: .seconds(60)) { connection in
                try connection.query("SELECT pg_advisory_lock($1)", [.int(lockKey)])
                defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(lockKey)]) }
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS ia_migrations (
                        plugin text NOT NULL,
                        version bigint NOT NULL,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (plugin, version)
                    )
                    """
                )
                var applied = 0
                for plugin in order {
                    guard let pending = migrations[plugin], !pending.isEmpty else { continue }
                    let done = try connection.query("SELECT version FROM ia_migrations WHERE plugin = $1", [.text(plugin)])
                    let versions = Set((0..<done.rowCount).compactMap { done.int($0, 0) })
                    for migration in pending where !versions.contains(migration.version) {
                        do {
                            try connection.execute("BEGIN")
                            try connection.execute(migration.sql)
                            try connection.query(
                                "INSERT INTO ia_migrations (plugin, version, name) VALUES ($1, $2, $3)",
                                [.text(plugin), .int(migration.version), .text(migration.name)]
                            )
                            try connection.execute("COMMIT")
                        } catch {
                            try? connection.execute("ROLLBACK")
                            throw PluginLoadError(
                                plugin: plugin,
                                message: "migration \(migration.version) (\(migration.name)) failed and was rolled back: \(error)"
                            )
                        }
                        applied += 1
                        logger.notice(
                            "migration applied",
                            metadata: ["plugin": "\(plugin)", "version": "\(migration.version)", "name": "\(migration.name)"]
                        )
                    }
                }
                return applied
            }
        } catch let error as PluginLoadError {
            throw error
        } catch {
            throw PluginLoadError(plugin: "host", message: "cannot apply migrations: \(error)")
        }
    }
}
