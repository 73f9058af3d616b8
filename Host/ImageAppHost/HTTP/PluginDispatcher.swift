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
    private let middlewareIsNonblocking: Bool
    private let requestTimeout: TimeAmount
    /// Jobs submitted to the pool and not finished; bounded by threads + queue limit.
    private let inFlight = Atomic<Int>(0)
    private let capacity: Int

    init(pool: NIOThreadPool, middleware: [MiddlewareEntry], settings: HostSettings) {
        self.pool = pool
        self.middleware = middleware
        self.middlewareIsNonblocking = middleware.allSatisfy(\.nonblocking)
        self.requestTimeout = .nanoseconds(Int64(settings.requestTimeoutSeconds * 1e9))
        self.capacity = settings.workerThreads + settings.queueLimit
    }

    /// Runs the exchange through middleware and the handler and returns the response.
    func dispatch(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, eventLoop: any EventLoop) async -> Response {
        // The plugins' handle, closed when the exchange finishes (and at the latest here).
        let handle = RequestHandles.shared.open(exchange)
        exchange.handle = handle
        defer { RequestHandles.shared.close(handle) }
        var resumeAt = 0
        if route.flags & UInt32(IA_ROUTE_NONBLOCKING) != 0 && middlewareIsNonblocking {
            // Inline: no thread hop, and no suspension at all when the handler answers at once.
            exchange.canBlock = false
            switch run(exchange, route: route, handler: handler, from: 0) {
            case .ran:
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
    }

    /// Answers 504 if nothing else finished the exchange in time.
    private func scheduleTimeout(for exchange: Exchange, plugin: String, on eventLoop: any EventLoop) -> Scheduled<Void> {
        eventLoop.scheduleTask(in: requestTimeout) {
            if exchange.finish(with: ErrorResponse.timeout) {
                exchange.logger.error("handler timed out", metadata: ["plugin": "\(plugin)"])
            }
        }
    }

    /// Middleware in order from step `start`, the route's access requirement, then the handler.
    private func run(_ exchange: Exchange, route: RouteTarget, handler: PluginHandler, from start: Int) -> Outcome {
        // The handle table keeps the exchange alive until it is finished, IA_PENDING included.
        guard let request = exchange.handle else { return .ran }

        for index in min(start, middleware.count)..<middleware.count {
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
