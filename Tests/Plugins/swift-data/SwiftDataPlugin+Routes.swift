import ImageAppPlugin

extension SwiftDataPlugin {
    /// `POST` and `GET /api/v1/test/swift-data/items`, `POST /api/v1/test/swift-data/bump`,
    /// `GET /api/v1/test/swift-data/missing` and `GET /api/v1/test/swift-data/raise-in-query`. Blocking routes (no
    /// `.nonblocking`): dispatching waits for the database, which must never happen on an event loop.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(.post, "/api/v1/test/swift-data/items", successStatus: 201) { request in
            // The typed payload path: decode the body (400 invalid_json), dispatch it re-encoded.
            let input = try request.decode(AddInput.self)
            let result = try host.dispatchCommand("test-swift-data.add", payload: input)
            return .json(raw: result ?? "{}", status: 201)
        }
        try registrar.route(.get, "/api/v1/test/swift-data/items") { _ in
            // The raw JSON path.
            .json(raw: try host.dispatchQuery("test-swift-data.list") ?? "{}")
        }
        try registrar.route(.post, "/api/v1/test/swift-data/bump") { _ in
            .json(raw: try host.dispatchCommand("test-swift-data.bump") ?? "{}")
        }
        try registrar.route(.get, "/api/v1/test/swift-data/missing") { _ in
            // No such query: a 500 whose cause is logged, not sent.
            .json(raw: try host.dispatchQuery("test-swift-data.missing") ?? "{}")
        }
        try registrar.route(.get, "/api/v1/test/swift-data/raise-in-query") { _ in
            .json(raw: try host.dispatchQuery("test-swift-data.raise-in-query") ?? "{}")
        }
    }
}
