import ImageAppPlugin

extension FormAndServicePlugin {
    /// The service command `echo`, the data command `hold` that dispatches it from inside its transaction, and the
    /// routes that dispatch them.
    static func registerService(_ registrar: PluginRegistrar) throws {
        try registrar.serviceCommand("test-form-and-service.echo", echo)
        try registrar.dataCommand("test-form-and-service.hold") { command in
            // Holds this command's connection (with database_pool_size = 1, the only one) while the service runs.
            _ = try command.db.execute("SELECT 1")
            return .okJSON(try command.host.dispatchCommand("test-form-and-service.echo", json: command.payload) ?? "{}")
        }
        let host = registrar.host
        try registrar.route(.post, "/api/v1/test/service", flags: .hidden) { request in
            .json(raw: try host.dispatchCommand("test-form-and-service.echo", json: request.bodyString) ?? "{}")
        }
        try registrar.route(.post, "/api/v1/test/service/in-transaction", flags: .hidden) { request in
            .json(raw: try host.dispatchCommand("test-form-and-service.hold", json: request.bodyString) ?? "{}")
        }
    }

    struct EchoInput: Decodable {
        var text: String
        var refuse: Bool?
    }

    /// What the service command saw: its text and attempt, and how a statement and an event were refused.
    struct EchoOutput: Encodable {
        var text: String
        var attempt: UInt32
        var dbStatus: String
        var dbMessage: String
        var raiseStatus: String
    }

    /// `{"text", "refuse"?}` → ``EchoOutput``; with `refuse`, 422 `echo_refused` with `details.text`.
    private static func echo(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(EchoInput.self)
        if input.refuse == true {
            throw HTTPError(status: 422, code: "echo_refused", message: "Refused on request.", details: ["text": input.text])
        }
        var dbStatus = "ok"
        var dbMessage = ""
        do {
            try command.db.execute("SELECT 1")
        } catch {
            dbStatus = "\(error.status)"
            dbMessage = error.message
        }
        var raiseStatus = "ok"
        do {
            try command.raise("test.echoed")
        } catch {
            raiseStatus = "\(error.status)"
        }
        return try .ok(
            EchoOutput(text: input.text, attempt: command.attempt, dbStatus: dbStatus, dbMessage: dbMessage, raiseStatus: raiseStatus)
        )
    }
}
