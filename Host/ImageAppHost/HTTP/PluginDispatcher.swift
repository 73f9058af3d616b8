import CImageAppPlugin
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Runs middleware and plugin handlers for an exchange: inline on the event loop when every
/// step is declared non-blocking, otherwise on a bounded pool of worker threads.
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
    /// a middleware's own answer, a timeout), nil when the host should read the body and go on with ``dispatch(_:route:handler:eventLoop:from:)``
    /// from ``bodyStep``. The caller has opened the exchange's handle.
    func admit(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, eventLoop: any EventLoop) async -> Response? {
        var start = 0
        if middlewareBeforeBodyIsNonblocking {
            exchange.canBlock = false
            switch run(exchange, route: route, handler: handler, from: 0, pauseAt: bodyStep) {
            case .paused: return nil
            case .ran: return await exchange.response()
            case .wouldBlock(let step): start = step
            }
        }
        guard inFlight.add(1, ordering: .relaxed).newValue <= capacity else {
            inFlight.subtract(1, ordering: .relaxed)
            return ErrorResponse.busy
        }
        let outcome: Outcome = await withCheckedContinuation { continuation in
            let resume = OneShot(continuation)
            let timer = scheduleTimeout(for: exchange, plugin: handler.plugin.name, on: eventLoop) { resume(.ran) }
            pool.submit { state in
                defer { self.inFlight.subtract(1, ordering: .relaxed) }
                guard case .active = state else {
                    exchange.finish(with: ErrorResponse.busy)
                    return resume(.ran)
                }
                guard !exchange.isFinished else { return resume(.ran) }
                exchange.canBlock = true
                let outcome = self.run(exchange, route: route, handler: handler, from: start, pauseAt: self.bodyStep)
                timer.cancel()
                resume(outcome)
            }
        }
        if case .paused = outcome, !exchange.isFinished { return nil }
        return await exchange.response()
    }

    /// Runs the exchange through middleware from step `start` and the handler and returns the response. The caller
    /// has opened the exchange's handle and closes it afterwards.
    func dispatch(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, eventLoop: any EventLoop, from start: Int = 0) async -> Response {
        var resumeAt = start
        let inlineMiddleware = start == 0 ? middlewareIsNonblocking : middlewareAfterBodyIsNonblocking
        if route.flags & UInt32(IA_ROUTE_NONBLOCKING) != 0 && inlineMiddleware {
            // Inline: no thread hop, and no suspension at all when the handler answers at once.
            exchange.canBlock = false
            switch run(exchange, route: route, handler: handler, from: start) {
            case .ran, .paused:
                if exchange.isFinished { return await exchange.response() }
                let timer = scheduleTimeout(for: exchange, plugin: handler.plugin.name, on: eventLoop)
                let response = await exchange.response()
                timer.cancel()
                return response
            case .wouldBlock(let step):
                // A step must block after all (IA_WOULD_BLOCK): the rest goes to the worker pool.
                resumeAt = step
            }
        }
        guard inFlight.add(1, ordering: .relaxed).newValue <= capacity else {
            inFlight.subtract(1, ordering: .relaxed)
            return ErrorResponse.busy
        }
        let timer = scheduleTimeout(for: exchange, plugin: handler.plugin.name, on: eventLoop)
        pool.submit { state in
            defer { self.inFlight.subtract(1, ordering: .relaxed) }
            guard case .active = state else {
                exchange.finish(with: ErrorResponse.busy)
                return
            }
            // Timed out while queued: the handle is closed, the plugin has nothing to answer.
            guard !exchange.isFinished else { return }
            exchange.canBlock = true
            _ = self.run(exchange, route: route, handler: handler, from: resumeAt)
        }
        let response = await exchange.response()
        timer.cancel()
        return response
    }

    /// How far a run got.
    private enum Outcome {
        /// Finished, or left pending with the handler.
        case ran
        /// Step `index` (a middleware's position, or `middleware.count` for the handler) returned
        /// IA_WOULD_BLOCK on an event loop.
        case wouldBlock(Int)
        /// Reached the step it was asked to stop before, the exchange still open.
        case paused
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

/// Resumes a continuation once, whoever calls first (the pool job or the timeout).
private final class OneShot<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func callAsFunction(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
