import ImageAppPlugin

extension ExampleSwiftPlugin {
    /// `GET /api/v1/examples/swift/greet/{name}?punctuation=`
    func registerGreet(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/examples/swift/greet/{name}",
            flags: .nonblocking,
            summary: "Greets someone by name",
            description: "Returns the configured greeting for `name` (at most 64 characters), ended by `punctuation` "
                + "(default `!`).",
            tag: "examples",
            responseSchema: """
                {"type":"object","required":["greeting"],"properties":{"greeting":{"type":"string"}}}
                """,
            handler: greet
        )
    }

    private func greet(_ request: Request) throws -> Response {
        let name = request.parameter("name") ?? ""
        guard (1...64).contains(name.count) else {
            throw HTTPError.unprocessable(fields: ["name": "must be 1 to 64 characters"])
        }
        let punctuation = request.query("punctuation") ?? "!"
        return try .json(Greeting(greeting: "\(greeting), \(name)\(punctuation)"))
    }
}

private struct Greeting: Encodable {
    var greeting: String
}
