import Foundation

/// What one scoped test host owns besides its processes: a fresh database (optional), a Redis key prefix no other
/// test uses, and a temporary folder. ``remove()`` gives all of it back; `withHost` calls it however the test ends.
public struct TestResources: Sendable {
    /// The test's own database, or nil when the host runs without one.
    public let database: (name: String, url: String)?
    /// A name no other test uses (the database's name when there is one): the host's `redis_namespace`, and the
    /// prefix of every Redis key the test's hosts and plugins write (`redis_prefix` settings, streams).
    public let namespace: String
    /// A temporary folder for the hosts' configs and logs and the plugins' files (media, mail).
    public let directory: String

    /// Makes them: a fresh database when `database` holds.
    public static func make(database: Bool) throws -> TestResources {
        let created = database ? try TestDatabase.fresh() : nil
        do {
            let directory = try TemporaryDirectory.make()
            return TestResources(database: created, namespace: created?.name ?? TestDatabase.uniqueTable("imageapp_t"), directory: directory)
        } catch {
            if let created { TestDatabase.drop(created.name) }
            throw error
        }
    }

    /// `[host]` lines that put a host on these resources: quiet logs, the database (when there is one), the test
    /// Redis (when `redis` holds) with the namespace and an event stream under it.
    public func hostLines(redis: Bool = true) -> String {
        var lines = "log_level = \"warning\"\n"
        if let database { lines += "database_url = \"\(database.url)\"\n" }
        if redis {
            lines += """
                redis_url = "\(TestRedis.url)"
                redis_namespace = "\(namespace)"
                events_stream = "\(namespace):events"

                """
        }
        return lines
    }

    /// Drops the database, deletes the Redis keys under the namespace and removes the folder.
    public func remove() {
        if let database { TestDatabase.drop(database.name) }
        RedisKeys.deleteAll(prefix: namespace)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
