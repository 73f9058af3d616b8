import CImageAppPlugin

extension PluginRegistrar {
    /// Registers a middleware that runs before the handler of every matched route, on the handler's thread.
    ///
    /// Middleware runs in ascending `order` (ties: plugin load order, then registration order). Return
    /// ``MiddlewareResult/next`` to go on or ``MiddlewareResult/respond(_:)`` to answer and stop the chain. A thrown
    /// ``HTTPError`` answers with that error; any other error is logged and answered with 500.
    ///
    /// - Parameters:
    ///   - name: A name unique across all plugins.
    ///   - order: Lower runs first; for example rate limiting is 100 and authentication 200.
    ///   - flags: Middleware options; mark it ``MiddlewareFlags/nonblocking`` when it never blocks, and
    ///     ``MiddlewareFlags/readsBody`` when it reads the request body (otherwise it sees it empty).
    ///   - run: Inspects (and may annotate) the request.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it, for example a duplicate name.
    public func middleware(
        name: String,
        order: Int32,
        flags: MiddlewareFlags = [],
        _ run: @escaping @Sendable (Request) throws -> MiddlewareResult
    ) throws(PluginRegistrationError) {
        let userData = CallbackBox(run, api: host.api).retainedForever()
        let status = name.withIAStr { name in
            var middleware = ia_middleware_def()
            middleware.struct_size = PluginABI.structSize(of: ia_middleware_def.self)
            var bits = flags.subtracting(.readsBody).rawValue
            // Hosts before 1.10 refuse bits they do not know; they read the body before any middleware anyway.
            if !flags.contains(.readsBody) && host.api.pointee.abi_minor >= 10 { bits |= UInt32(IA_MIDDLEWARE_BEFORE_BODY) }
            middleware.flags = bits
            middleware.order = order
            middleware.name = name
            middleware.user_data = userData
            middleware.run = { userData, requestHandle in
                guard let userData, let requestHandle else { return IA_ERR_INVALID_ARGUMENT }
                let box = CallbackBox<@Sendable (Request) throws -> MiddlewareResult>.from(userData)
                guard let api = box.api else { return IA_ERR_INTERNAL }
                let request = Request(api: api, handle: requestHandle)
                let response: Response
                do {
                    switch try box.callback(request) {
                    case .next: return IA_OK
                    case .respond(let answer): response = answer
                    case .pending:
                        guard request.canResume else {
                            request.log(.error, "middleware answered pending on a host before ABI 1.11")
                            response = HTTPError.internalError.response
                            break
                        }
                        return IA_PENDING
                    case .wouldBlock:
                        guard request.canBlock else { return IA_WOULD_BLOCK }
                        request.log(.error, "middleware answered wouldBlock on a worker thread")
                        response = HTTPError.internalError.response
                    }
                } catch is WouldBlock where !request.canBlock {
                    return IA_WOULD_BLOCK
                } catch {
                    response = request.response(for: error)
                }
                return request.send(response) ? IA_DONE : IA_ERR_INTERNAL
            }
            return host.api.pointee.register_middleware?(host.handle, &middleware) ?? IA_ERR_UNSUPPORTED
        }
        try PluginRegistrationError.check(status, kind: .middleware, name: name)
    }
}
