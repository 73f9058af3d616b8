public import ImageAppPlugin

/// The generic cell rate algorithm over Redis, for limits that many instances share and that must cost one round trip:
/// one Lua script checks every limit of a request at once and consumes from all of them only when all allow it.
///
/// A limit of `limit` requests per `windowSeconds` lets a burst of `limit` through and then one request every
/// `windowSeconds / limit`; unlike fixed windows, a client cannot get twice the limit across a window's edge. Each key
/// holds one number, the theoretical arrival time, and expires when the bucket is full again. Time is Redis's own
/// (`TIME`), so instances with skewed clocks agree.
public enum GCRA {
    /// One limit checked for a request: its Redis key and the limit.
    public struct Check: Sendable {
        public var key: String
        public var limit: RateLimit

        public init(key: String, limit: RateLimit) {
            self.key = key
            self.limit = limit
        }
    }

    /// What the script decided for a request.
    public struct Decision: Sendable, Equatable {
        /// Whether every limit allowed it (and each was charged).
        public var allowed: Bool
        /// When refused: seconds until the request would be allowed.
        public var retryAfterSeconds: Int
        /// The limit with the fewest requests left, for the `RateLimit-*` headers.
        public var limit: Int
        /// Requests left in that limit after this one.
        public var remaining: Int
        /// Seconds until that limit is whole again.
        public var resetSeconds: Int
        /// That limit's window, for `RateLimit-Policy`.
        public var windowSeconds: Int

        /// The `RateLimit-*` headers (IETF draft "RateLimit header fields for HTTP"), and `Retry-After` when refused.
        public var headers: [(name: String, value: String)] {
            var fields = [
                ("RateLimit-Limit", String(limit)), ("RateLimit-Remaining", String(remaining)), ("RateLimit-Reset", String(resetSeconds)),
                ("RateLimit-Policy", "\(limit);w=\(windowSeconds)"),
            ]
            if !allowed { fields.append(("Retry-After", String(retryAfterSeconds))) }
            return fields
        }

        /// 429 `rate_limited` with the headers.
        public var error: HTTPError {
            HTTPError(
                status: 429,
                code: "rate_limited",
                message: "Too many requests; try again in \(retryAfterSeconds) seconds.",
                headers: Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            )
        }

        public static func == (a: Decision, b: Decision) -> Bool {
            (a.allowed, a.retryAfterSeconds, a.limit, a.remaining, a.resetSeconds, a.windowSeconds)
                == (b.allowed, b.retryAfterSeconds, b.limit, b.remaining, b.resetSeconds, b.windowSeconds)
        }
    }

    /// KEYS: one per limit; ARGV: per limit its emission interval and its limit, in milliseconds and requests.
    /// Returns {allowed (1/0), retry_ms, then per limit: remaining, reset_ms}.
    public static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local retry = 0
        local tats = {}
        for i = 1, #KEYS do
            local interval = tonumber(ARGV[2 * i - 1])
            local tolerance = interval * tonumber(ARGV[2 * i])
            local tat = tonumber(redis.call('GET', KEYS[i])) or now
            if tat < now then tat = now end
            local new_tat = tat + interval
            local allow_at = new_tat - tolerance
            if allow_at > now and allow_at - now > retry then retry = allow_at - now end
            tats[i] = {tat, new_tat, interval, tolerance}
        end
        local result = {retry > 0 and 0 or 1, math.ceil(retry)}
        for i = 1, #KEYS do
            local tat, new_tat, interval, tolerance = tats[i][1], tats[i][2], tats[i][3], tats[i][4]
            if retry == 0 then
                redis.call('SET', KEYS[i], new_tat, 'PX', math.max(1, math.ceil(new_tat - now)))
                tat = new_tat
            end
            local remaining = math.floor((tolerance - (tat - now)) / interval)
            if remaining < 0 then remaining = 0 end
            result[#result + 1] = remaining
            result[#result + 1] = math.ceil(tat - now)
        end
        return result
        """

    /// The script's arguments for `checks`: keys, then interval and limit per check.
    public static func arguments(_ checks: [Check]) -> (keys: [String], arguments: [String]) {
        (
            checks.map(\.key),
            checks.flatMap { [String(max(1, $0.limit.windowSeconds * 1000 / max($0.limit.limit, 1))), String($0.limit.limit)] }
        )
    }

    /// The decision in the script's reply for `checks`, or nil for a reply of another shape.
    public static func decision(_ reply: RedisValue, checks: [Check]) -> Decision? {
        guard case .array(let values) = reply, values.count == 2 + 2 * checks.count else { return nil }
        let numbers = values.compactMap { value -> Int? in
            if case .integer(let number) = value { return Int(number) }
            return nil
        }
        guard numbers.count == values.count, !checks.isEmpty else { return nil }
        // The tightest limit: fewest left (the refusing one, when refused).
        let tightest = checks.indices.min { numbers[2 + 2 * $0] < numbers[2 + 2 * $1] }!
        return Decision(
            allowed: numbers[0] == 1,
            retryAfterSeconds: (numbers[1] + 999) / 1000,
            limit: checks[tightest].limit.limit,
            remaining: numbers[2 + 2 * tightest],
            resetSeconds: (numbers[3 + 2 * tightest] + 999) / 1000,
            windowSeconds: checks[tightest].limit.windowSeconds
        )
    }
}
