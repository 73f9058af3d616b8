import Dispatch
import ImageAppPlugin

extension ExampleSwiftPlugin {
    /// `GET /api/v1/examples/swift/slow?ms=N`: a pending route that answers after N milliseconds without holding a
    /// host thread meanwhile (used to test graceful shutdown).
    func registerSlow(_ registrar: PluginRegistrar) throws {
        try registrar.pendingRoute(
            .get,
            "/api/v1/examples/swift/slow",
            flags: .nonblocking,
            summary: "Answers after a delay",
            description: "Waits `ms` milliseconds (0 to the `max_delay_ms` setting, default 1000) without holding a "
                + "server thread, then answers.",
            tag: "examples",
            responseSchema: """
                {"type":"object","required":["slept_ms"],"properties":{"slept_ms":{"type":"integer","minimum":0}}}
                """,
            handler: slow
        )
    }

    private func slow(_ request: Request, _ responder: Responder) throws {
        let milliseconds: Int
        if let raw = request.query("ms") {
            guard let value = Int(raw), (0...maxDelayMS).contains(value) else {
                throw HTTPError.unprocessable(fields: ["ms": "must be an integer from 0 to \(maxDelayMS)"])
            }
            milliseconds = value
        } else {
            // The default never exceeds the configured maximum.
            milliseconds = min(1000, maxDelayMS)
        }
        // Built now: the request must not be touched from the timer's thread.
        let response = try Response.json(SlowOutput(sleptMS: milliseconds))
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            responder.complete(response)
        }
    }
}

private struct SlowOutput: Encodable {
    var sleptMS: Int
}
