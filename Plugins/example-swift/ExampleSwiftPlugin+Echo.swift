import ImageAppPlugin

extension ExampleSwiftPlugin {
    /// `POST /api/v1/examples/swift/echo`
    func registerEcho(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/examples/swift/echo",
            flags: .nonblocking,
            summary: "Echoes text back, repeated",
            description: "Returns `text` repeated `repeat` times (1 to 10, default 1) with facts about the request.",
            tag: "examples",
            requestSchema: """
                {"type":"object","required":["text"],"properties":{"text":{"type":"string"},\
                "repeat":{"type":"integer","minimum":1,"maximum":10,"default":1}}}
                """,
            responseSchema: """
                {"type":"object","required":["text","repeated","request_id","peer","content_type"],"properties":{\
                "text":{"type":"string"},"repeated":{"type":"string"},"request_id":{"type":"string"},\
                "peer":{"type":"string"},"content_type":{"type":["string","null"]}}}
                """,
            handler: echo
        )
    }

    private func echo(_ request: Request) throws -> Response {
        let input = try request.decode(EchoInput.self)  // 400 invalid_json on a malformed body
        let count = input.repeat ?? 1
        guard (1...10).contains(count) else {
            throw HTTPError.unprocessable(fields: ["repeat": "must be between 1 and 10"])
        }
        return try .json(
            EchoOutput(
                text: input.text,
                repeated: String(repeating: input.text, count: count),
                requestID: request.id,
                peer: request.peer,
                contentType: request.header("Content-Type")
            )
        )
    }
}

private struct EchoInput: Decodable {
    var text: String
    var `repeat`: Int?
}

private struct EchoOutput: Encodable {
    var text: String
    var repeated: String
    var requestID: String
    var peer: String
    var contentType: String?

    private enum CodingKeys: String, CodingKey {
        case text, repeated, requestID, peer, contentType
    }

    // Written out so that a missing Content-Type is `null` rather than a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(repeated, forKey: .repeated)
        try container.encode(requestID, forKey: .requestID)
        try container.encode(peer, forKey: .peer)
        try container.encode(contentType, forKey: .contentType)
    }
}
