public import ImageAppPlugin

extension RateLimiter {
    /// Counts one hit of `key` against `lockout`'s budget and refuses it (429 with `Retry-After` and the `RateLimit-*`
    /// headers) while the key is locked out, or when this hit spends the budget and starts a lockout.
    ///
    /// A hit during a lockout is not counted; the lockout's end gives the key a fresh budget. Like ``hit(_:key:)``,
    /// it lets the request through when Redis is unreachable.
    ///
    /// - Parameter onLockout: Called when this hit started a lockout (for metrics), with the lockout's strike number.
    public func enforce(_ lockout: ProgressiveLockout, key: String, onLockout: (Int) -> Void = { _ in }) throws(HTTPError) {
        let budget = lockout.budget
        let base = self.key(budget, key)
        // Lengths for strikes 1...n, the last being the longest: one formula (ProgressiveLockout), read by the script.
        var lengths: [String] = []
        var strike = 1
        while true {
            let seconds = lockout.lockoutSeconds(strike: strike)
            lengths.append(String(seconds * 1_000))
            if seconds >= lockout.maxLockoutSeconds || strike >= 64 { break }
            strike += 1
        }
        let arguments =
            ["EVAL", Self.lockoutScript, "3", base, base + ":lock", base + ":strikes", String(budget.limit)]
            + [String(budget.windowSeconds * 1_000)] + lengths
        let reply: RedisValue
        do {
            reply = try host.redis(arguments.map { Array($0.utf8) })
        } catch {
            host.log(.warning, "rate limiter unavailable, letting the request through: \(error)")
            return
        }
        guard case .array(let values) = reply, values.count == 3, case .integer(let allowed) = values[0],
            case .integer(let milliseconds) = values[1], case .integer(let strikes) = values[2]
        else {
            host.log(.warning, "rate limiter: unexpected Redis reply \(reply)")
            return
        }
        guard allowed == 0 else { return }
        if strikes > 0 { onLockout(Int(strikes)) }
        throw RateLimitDecision(limit: budget, count: budget.limit + 1, resetSeconds: Int((milliseconds + 999) / 1_000)).error
    }

    /// KEYS[1] the counter, KEYS[2] the lock, KEYS[3] the strikes; ARGV[1] the limit, ARGV[2] the window and ARGV[3...]
    /// the lockout lengths by strike, in milliseconds → {allowed (0 or 1), milliseconds until the window or lockout
    /// ends, the strike a lockout started by this hit has (0 for none)}.
    private static let lockoutScript = """
        local locked = redis.call('PTTL', KEYS[2])
        if locked > 0 then return {0, locked, 0} end
        \(counting(window: "ARGV[2]"))
        if count <= tonumber(ARGV[1]) then return {1, ttl, 0} end
        local strikes = redis.call('INCR', KEYS[3])
        local length = tonumber(ARGV[math.min(strikes, #ARGV - 2) + 2])
        redis.call('SET', KEYS[2], '1', 'PX', length)
        redis.call('PEXPIRE', KEYS[3], length + tonumber(ARGV[2]))
        redis.call('DEL', KEYS[1])
        return {0, length, strikes}
        """
}
