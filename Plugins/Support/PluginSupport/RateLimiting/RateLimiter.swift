public import ImageAppPlugin
import PluginCrypto

/// Fixed-window counters in Redis, shared by every instance (docs/API.md, "Rate limits": limits hold across
/// instances).
///
/// One round trip per hit: a Lua script counts and, when the key has no expiry yet, starts the window, atomically (a
/// window that ended between two separate commands would otherwise leave a counter that never expires). When
/// Redis is unreachable the limiter lets requests through and logs it: refusing every login during a Redis outage
/// would be worse, and the password KDF still makes guessing slow.
public struct RateLimiter: Sendable {
    /// The plugin's host, for Redis and logs.
    public let host: PluginHost
    /// The start of every key, such as the plugin's Redis prefix (`auth`): keys are `<prefix>:rl:<limit>:<digest>`.
    public let prefix: String

    /// A limiter whose keys start with `prefix`.
    public init(host: PluginHost, prefix: String) {
        self.host = host
        self.prefix = prefix
    }

    /// Counts one hit of `key` against `limit`.
    public func hit(_ limit: RateLimit, key: String) -> RateLimitDecision {
        let redisKey = self.key(limit, key)
        let window = String(limit.windowSeconds * 1_000)
        do {
            let reply = try host.redis("EVAL", Self.hitScript, "1", redisKey, window)
            guard case .array(let values) = reply, values.count == 2, case .integer(let count) = values[0],
                case .integer(let ttl) = values[1]
            else {
                host.log(.warning, "rate limiter: unexpected Redis reply \(reply)")
                return RateLimitDecision(limit: limit, count: 0, resetSeconds: 0)
            }
            return RateLimitDecision(limit: limit, count: Int(count), resetSeconds: Self.seconds(ttl, limit))
        } catch {
            host.log(.warning, "rate limiter unavailable, letting the request through: \(error)")
            return RateLimitDecision(limit: limit, count: 0, resetSeconds: 0)
        }
    }

    /// Counts one hit of `key` and refuses it (429 with the `RateLimit-*` headers) when it goes over `limit`.
    public func enforce(_ limit: RateLimit, key: String) throws(HTTPError) {
        let decision = hit(limit, key: key)
        guard decision.isAllowed else { throw decision.error }
    }

    /// Forgets `key`'s hits (a successful login clears its account's failures).
    public func reset(_ limit: RateLimit, key: String) {
        _ = try? host.redis("DEL", self.key(limit, key))
    }

    /// KEYS[1] the counter, ARGV[1] the window in milliseconds → {count, milliseconds left}.
    private static let hitScript = counting(window: "ARGV[1]") + "return {count, ttl}"

    /// Lua that counts a hit of the counter KEYS[1] and starts its window, `window` (a Lua expression) milliseconds
    /// long, when it has no expiry yet; leaves `count` and `ttl` (milliseconds until the window ends) in locals.
    static func counting(window: String) -> String {
        """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], \(window))
            ttl = tonumber(\(window))
        end

        """
    }

    /// Keys hold a digest of the subject, so emails and login names are not stored in Redis in the clear.
    func key(_ limit: RateLimit, _ subject: String) -> String {
        "\(prefix):rl:\(limit.name):\(Base64URL.encode(SHA256Digest.hash(subject).prefix(18)))"
    }

    private static func seconds(_ ttlMilliseconds: Int64, _ limit: RateLimit) -> Int {
        ttlMilliseconds > 0 ? Int((ttlMilliseconds + 999) / 1_000) : limit.windowSeconds
    }
}
