import ImageAppPlugin

extension SwiftDataPlugin {
    /// `POST /api/v1/test/swift-data/services?key=K`: exercises the SDK's Redis, cache and blob
    /// wrappers (ABI 1.4 and 1.5) with the request body and reports what came back.
    func registerServiceRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(.post, "/api/v1/test/swift-data/services") { request in
            guard let key = request.query("key"), !key.isEmpty else { throw HTTPError.badRequest("key is required") }
            let body = request.body
            do {
                try host.cacheSet("\(key):c", body, ttl: .seconds(60), tags: ["\(key):tag"])
                let cached = try host.cacheGet("\(key):c")
                try host.cacheInvalidate(tag: "\(key):tag")
                let afterInvalidation = try host.cacheGet("\(key):c")

                let counter = try host.redis("INCR", "\(key):n")
                let pipelined = try host.redisPipeline([
                    [Array("SET".utf8), Array("\(key):x".utf8), body],
                    [Array("GET".utf8), Array("\(key):x".utf8)],
                ])
                _ = try host.redis("DEL", "\(key):n", "\(key):x")

                let blobKey = try host.putBlob("swift/", bytes: body, contentType: "text/plain")
                let stored = try host.blob(blobKey)
                let url = try host.blobURL(blobKey)
                try host.deleteBlob(blobKey)
                let afterDelete = try host.blob(blobKey)

                return try .json(
                    ServicesOutput(
                        cacheRoundTrip: cached == body,
                        cacheInvalidated: afterInvalidation == nil,
                        counter: counter == .integer(1),
                        pipelineRoundTrip: pipelined.count == 2 && pipelined[1] == .string(body),
                        blobKey: blobKey,
                        blobRoundTrip: stored == body,
                        blobURL: url,
                        blobDeleted: afterDelete == nil
                    )
                )
            } catch let error as PluginError {
                // A test fixture: show the failure to the test instead of hiding it.
                throw HTTPError(status: 500, code: "service_failed", message: "\(error)")
            }
        }
    }
}

private struct ServicesOutput: Encodable {
    var cacheRoundTrip: Bool
    var cacheInvalidated: Bool
    var counter: Bool
    var pipelineRoundTrip: Bool
    var blobKey: String
    var blobRoundTrip: Bool
    var blobURL: String
    var blobDeleted: Bool
}
