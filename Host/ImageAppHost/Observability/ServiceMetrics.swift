import Metrics

/// Gauges of the data services, sampled when `/metrics` is scraped (so they are current and
/// no thread polls in between): pool use, the outbox backlog, and each consumer group's
/// pending and unread entries, per stream.
enum ServiceMetrics {
    /// Samples everything configured; blocking, so call it off the event loops.
    /// - Parameter streams: The event streams whose consumer groups to report: the main stream and the family streams
    ///   this process's handlers read.
    static func sample(_ services: HostServices, streams: [String]) {
        for (name, pool) in [("primary", services.database), ("read", services.readDatabase)] {
            guard let pool else { continue }
            Gauge(label: "imageapp_db_pool_connections", dimensions: [("pool", name), ("state", "in_use")]).record(pool.inUse)
            Gauge(label: "imageapp_db_pool_connections", dimensions: [("pool", name), ("state", "idle")]).record(pool.idleCount)
        }
        if let redis = services.redis {
            Gauge(label: "imageapp_redis_pool_connections", dimensions: [("state", "in_use")]).record(redis.inUse)
            Gauge(label: "imageapp_redis_pool_connections", dimensions: [("state", "idle")]).record(redis.idleCount)
        }
        if let database = services.database {
            // Absent until the host's migration ran: then there is simply nothing to report.
            if let backlog = try? database.withConnection(
                timeout: .seconds(1),
                { connection in
                    try connection.query(
                        """
                        SELECT count(*), coalesce(extract(epoch FROM now() - min(occurred_at)), 0)
                        FROM ia_outbox WHERE published_at IS NULL
                        """
                    )
                }
            ) {
                Gauge(label: "imageapp_outbox_unpublished").record(backlog.int(0, 0) ?? 0)
                Gauge(label: "imageapp_outbox_lag_seconds").record(backlog.double(0, 1) ?? 0)
            }
        }
        guard let redis = services.redis else { return }
        for stream in streams {
            guard let groups = try? redis.withConnection({ try $0.streamGroups(stream) }) else { continue }
            for fields in groups {
                guard let name = fields["name"]?.stringValue else { continue }
                let dimensions = [("group", name), ("stream", stream)]
                Gauge(label: "imageapp_event_stream_pending", dimensions: dimensions).record(fields["pending"]?.int ?? 0)
                if let lag = fields["lag"]?.int {
                    Gauge(label: "imageapp_event_stream_lag", dimensions: dimensions).record(lag)
                }
            }
        }
    }
}
