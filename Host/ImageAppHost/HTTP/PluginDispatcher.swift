import CImageAppPlugin
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Runs middleware and plugin handlers for an exchange: inline on the event loop when every
/// step is declared non-blocking, otherwise on a bounded pool of worker threads.
///
/// A run is a sequence of steps (middleware in order, then the route's requirements and the
/// handler) that may stop and go on elsewhere: a step on an event loop that must block after all
/// (`IA_WOULD_BLOCK`) goes on on the pool, and a middleware that returned `IA_PENDING` goes on
/// when its `request_resume` comes, on an event loop or the pool as before. ``carry(_:_:route:handler:pauseAt:eventLoop:done:)``
/// does that; the common case, everything answered inline, never gets there.
final class PluginDispatcher: Sendable {
    private let pool: NIOThreadPool
    private let middleware: [MiddlewareEntry]
    /// The step before which the host reads the request body: the first middleware that reads it, else the handler's.
    let bodyStep: Int
    private let middlewareIsNonblocking: Bool
    private let middlewareBeforeBodyIsNonblocking: Bool
    private let middlewareAfterBodyIsNonblocking: Bool
    private let requestTimeout: TimeAmount
    /// Jobs submitted to the pool and not finished; bounded by threads + queue limit.
    private let inFlight = Atomic<Int>(0)
    private let capacity: Int

    init(pool: NIOThreadPool, middleware: [MiddlewareEntry], settings: HostSettings) {
        self.pool = pool
        self.middleware = middleware
        self.bodyStep = middleware.firstIndex(where: \.readsBody) ?? middleware.count
        self.middlewareIsNonblocking = middleware.allSatisfy(\.nonblocking)
        self.middlewareBeforeBodyIsNonblocking = middleware[..<bodyStep].allSatisfy(\.nonblocking)
        self.middlewareAfterBodyIsNonblocking = middleware[bodyStep...].allSatisfy(\.nonblocking)
        self.requestTimeout = .nanoseconds(Int64(settings.requestTimeoutSeconds * 1e9))
        self.capacity = settings.workerThreads + settings.queueLimit
    }

    /// Runs the middleware that come before the body (and the route's user requirement, when no middleware reads the
    /// body), for a request whose body is not read yet. Returns the response when they ended the exchange (a refusal,
    /// a middleware's own answer, a timeout), nil when the host should read the body and go on with
    /// ``dispatch(_:route:handler:eventLoop:from:)`` from ``bodyStep``. The caller has opened the exchange's handle.
    func admit(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, eventLoop: any EventLoop) async -> Response? {
        var outcome = Outcome.wouldBlock(0)
        if middlewareBeforeBodyIsNonblocking {
            exchange.canBlock = false
            outcome = run(exchange, route: route, handler: handler, from: 0, pauseAt: bodyStep)
            switch outcome {
            case .paused: return nil
            case .ran: return await exchange.response()
            case .wouldBlock, .suspended: break
            }
        }
        let final: Outcome = await withCheckedContinuation { continuation in
            let resume = OneShot(continuation)
            let timer = scheduleTimeout(for: exchange, plugin: handler.plugin.name, on: eventLoop) { resume(.ran) }
            carry(outcome, exchange, route: route, handler: handler, pauseAt: bodyStep, eventLoop: eventLoop) { outcome in
                timer.cancel()
                resume(outcome)
            }
        }
        if case .paused = final, !exchange.isFinished { return nil }
        return await exchange.response()
    }

    /// Runs the exchange through middleware from step `start` and the handler and returns the response. The caller
    /// has opened the exchange's handle and closes it afterwards.
    func dispatch(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, eventLoop: any EventLoop, from start: Int = 0) async -> Response {
        var outcome = Outcome.wouldBlock(start)
        let inlineMiddleware = start == 0 ? middlewareIsNonblocking : middlewareAfterBodyIsNonblocking
        if route.flags & UInt32(IA_ROUTE_NONBLOCKING) != 0 && inlineMiddleware {
            // Inline: no thread hop, and no suspension at all when the handler answers at once.
            exchange.canBlock = false
            outcome = run(exchange, route: route, handler: handler, from: start)
            if case .ran = outcome, exchange.isFinished { return await exchange.response() }
        }
        let timer = scheduleTimeout(for: exchange, plugin: handler.plugin.name, on: eventLoop)
        carry(outcome, exchange, route: route, handler: handler, pauseAt: nil, eventLoop: eventLoop) { _ in }
        let response = await exchange.response()
        timer.cancel()
        return response
    }

    /// How far a run got.
    enum Outcome: Sendable {
        /// Finished, or left pending with the handler.
        case ran
        /// Step `index` (a middleware's position, or `middleware.count` for the handler) returned
        /// IA_WOULD_BLOCK on an event loop.
        case wouldBlock(Int)
        /// Middleware `index` returned IA_PENDING: the run goes on when it calls `request_resume`.
        case suspended(Int)
        /// Reached the step it was asked to stop before, the exchange still open.
        case paused
    }

    /// Carries a run on until it pauses or ends, then calls `done` (on whichever thread gets there): a step that
    /// would block goes to the pool (503 when it is full), a pending middleware goes on when it resumes.
    private func carry(
        _ outcome: Outcome,
        _ exchange: Exchange,
        route: RouteTarget,
        handler: PluginHandler,
        pauseAt pause: Int?,
        eventLoop: any EventLoop,
        done: @escaping @Sendable (Outcome) -> Void
    ) {
        switch outcome {
        case .ran, .paused:
            done(outcome)
        case .wouldBlock(let step):
            guard inFlight.add(1, ordering: .relaxed).newValue <= capacity else {
                inFlight.subtract(1, ordering: .relaxed)
                exchange.finish(with: ErrorResponse.busy)
                return done(.ran)
            }
            pool.submit { state in
                defer { self.inFlight.subtract(1, ordering: .relaxed) }
                guard case .active = state else {
                    exchange.finish(with: ErrorResponse.busy)
                    return done(.ran)
                }
                // Timed out while queued: the handle is closed, the plugin has nothing to answer.
                guard !exchange.isFinished else { return done(.ran) }
                exchange.canBlock = true
                let next = self.run(exchange, route: route, handler: handler, from: step, pauseAt: pause)
                self.carry(next, exchange, route: route, handler: handler, pauseAt: pause, eventLoop: eventLoop, done: done)
            }
        case .suspended(let step):
            let wasOnPool = exchange.canBlock
            let goOn: @Sendable (ia_status) -> Void = { status in
                switch status {
                case IA_OK:
                    guard !wasOnPool else {
                        return self.carry(
                            .wouldBlock(step + 1),
                            exchange,
                            route: route,
                            handler: handler,
                            pauseAt: pause,
                            eventLoop: eventLoop,
                            done: done
                        )
                    }
                    eventLoop.execute {
                        exchange.canBlock = false
                        let next = self.run(exchange, route: route, handler: handler, from: step + 1, pauseAt: pause)
                        self.carry(next, exchange, route: route, handler: handler, pauseAt: pause, eventLoop: eventLoop, done: done)
                    }
                case IA_DONE:
                    exchange.finish()
                    done(.ran)
                default:
                    exchange.logger.error(
                        "middleware failed after resuming",
                        metadata: ["middleware": "\(self.middleware[step].name)", "status": "\(status)"]
                    )
                    exchange.finish(with: ErrorResponse.internalError)
                    done(.ran)
                }
            }
            if let status = exchange.awaitResume(goOn) { goOn(status) }
        }
    }

    /// Answers 504 if nothing else finished the exchange in time, then calls `then`.
    private func scheduleTimeout(
        for exchange: Exchange,
        plugin: String,
        on eventLoop: any EventLoop,
        then: @escaping @Sendable () -> Void = {}
    ) -> Scheduled<Void> {
        eventLoop.scheduleTask(in: requestTimeout) {
            if exchange.finish(with: ErrorResponse.timeout) {
                exchange.logger.error("handler timed out", metadata: ["plugin": "\(plugin)"])
            }
            then()
        }
    }

    /// Middleware in order from step `start`, the route's access requirement, then the handler; with `pause`, stops
    /// before middleware `pause` (before the handler, the requirement checked, when `pause` is `middleware.count`).
    private func run(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, from start: Int, pauseAt pause: Int? = nil) -> Outcome {
        // The handle table keeps the exchange alive until it is finished, IA_PENDING included.
        guard let request = exchange.handle, !exchange.isFinished else { return .ran }

        let end = min(pause ?? middleware.count, middleware.count)
        for index in min(start, end)..<end {
            let entry = middleware[index]
            exchange.currentPlugin = entry.plugin
            let status = entry.function(entry.userData, request)
            switch status {
            case IA_OK: continue
            case IA_DONE:
                exchange.finish()
                return .ran
            case IA_PENDING:
                return .suspended(index)
            case IA_WOULD_BLOCK where !exchange.canBlock:
                return .wouldBlock(index)
            default:
                exchange.logger.error(
                    "middleware failed",
                    metadata: ["middleware": "\(entry.name)", "plugin": "\(entry.plugin.name)", "status": "\(status)"]
                )
                exchange.finish(with: ErrorResponse.internalError)
                return .ran
            }
        }
        if end < middleware.count { return .paused }
        if route.flags & UInt32(IA_ROUTE_REQUIRE_USER | IA_ROUTE_REQUIRE_ADMIN) != 0 {
            guard let principal = exchange.principal else {
                exchange.finish(with: ErrorResponse.unauthorized)
                return .ran
            }
            if route.flags & UInt32(IA_ROUTE_REQUIRE_ADMIN) != 0, principal.role != "admin" {
                exchange.finish(with: ErrorResponse.forbidden)
                return .ran
            }
        }
        if pause != nil { return .paused }
        exchange.currentPlugin = handler.plugin
        let status = handler.function(handler.userData, request)
        // IA_PENDING: request_complete finishes it, maybe already has (from another thread).
        guard status != IA_PENDING else { return .ran }
        if status == IA_WOULD_BLOCK && !exchange.canBlock {
            return .wouldBlock(middleware.count)
        }
        if status == IA_OK {
            exchange.finish()
        } else {
            exchange.logger.error("handler failed", metadata: ["plugin": "\(handler.plugin.name)", "status": "\(status)"])
            exchange.finish(with: ErrorResponse.internalError)
        }
        return .ran
    }
}

/// Resumes a continuation once, whoever calls first (the run or the timeout).
private final class OneShot<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func callAsFunction(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
