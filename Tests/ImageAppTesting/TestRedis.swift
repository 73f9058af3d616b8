import Foundation

/// The Redis that the test command starts (scripts/lib/engines.sh). Tests share database 15 and keep apart by
/// giving each host its own `redis_namespace`.
public enum TestRedis {
    public static let url = ProcessInfo.processInfo.environment["IMAGEAPP_TEST_REDIS_URL"] ?? "redis://127.0.0.1:63799/15"
}
