import ImageAppPlugin
import PluginSupport

extension RateLimitPlugin {
    /// The route metadata key that picks a class: `uploads` (the upload budget too) or `none` (exempt).
    static let classKey = "rate_limit"

    func registerMiddleware(_ registrar: PluginRegistrar) throws {
        try registrar.middleware(name: "ratelimit", order: 250, flags: .nonblocking) { request in
            let routeClass = request.routeMetadata(Self.classKey)
            if routeClass == "none" { return .next }
            let checks = checks(for: request, uploads: routeClass == "uploads")
            let (keys, arguments) = GCRA.arguments(checks)
            let suspended = request.suspended()
            host.runScript(script, keys: keys, arguments: arguments) { result in
                suspended.resume(decide(result, checks: checks, request: suspended.request))
            }
            return .pending
        }
    }

    /// The budgets a request spends: the caller's (per account when signed in, else per address) and, for upload
    /// routes, the upload budget.
    func checks(for request: Request, uploads: Bool) -> [GCRA.Check] {
        let subject: String
        var checks: [GCRA.Check]
        if let principal = request.principal {
            subject = "u:\(principal.userID)"
            checks = [GCRA.Check(key: "\(settings.redisPrefix):user:\(principal.userID)", limit: settings.user)]
        } else {
            subject = "a:\(ClientAddress.limitKey(request.peer, ipv6Prefix: settings.ipv6Prefix))"
            checks = [GCRA.Check(key: "\(settings.redisPrefix):\(subject)", limit: settings.anonymous)]
        }
        if uploads { checks.append(GCRA.Check(key: "\(settings.redisPrefix):uploads:\(subject)", limit: settings.uploads)) }
        return checks
    }

    /// Next with the `RateLimit-*` headers, or 429; next without them when Redis did not answer (fail open).
    private func decide(_ result: Result<RedisValue, PluginError>, checks: [GCRA.Check], request: Request) -> MiddlewareResult {
        guard case .success(let reply) = result, let decision = GCRA.decision(reply, checks: checks) else {
            metrics.failOpen.increment()
            if case .failure(let error) = result { request.log(.warning, "rate limiter unavailable, letting the request through: \(error)") }
            return .next
        }
        guard decision.allowed else {
            metrics.limited.increment()
            return .respond(decision.error.response)
        }
        metrics.allowed.increment()
        for (name, value) in decision.headers { try? request.addResponseHeader(name, value) }
        return .next
    }
}
