/// Builds the OpenAPI 3.1 document of the enabled plugins' routes and the host's own.
enum OpenAPIDocument {
    static func build(routes: [RouteTable<RouteTarget>.Entry], plugins: [PluginContext]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for entry in routes where !entry.value.metadata.hidden && entry.method != "HEAD" {
            let metadata = entry.value.metadata
            let openAPIPath =
                "/"
                + entry.pattern.segments.map { segment -> String in
                    switch segment {
                    case .literal(let text): text
                    case .parameter(let name), .catchAll(let name): "{\(name)}"
                    }
                }.joined(separator: "/")
            var operation: [String: JSONValue] = [
                "operationId": .string(operationID(method: entry.method, path: entry.pattern)),
                "tags": .array([.string(metadata.tag ?? entry.value.owner)]),
                "x-plugin": .string(entry.value.owner),
            ]
            if let summary = metadata.summary { operation["summary"] = .string(summary) }
            if let description = metadata.description { operation["description"] = .string(description) }
            let parameters = entry.pattern.parameterNames.map { name -> JSONValue in
                .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": .object(["type": .string("string")])])
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if metadata.acceptsPlainBody {
                // A form-or-body route (ABI 1.13): the form and the JSON body, each with its schema when it has one.
                let form: JSONValue = .object(metadata.requestSchema.map { ["schema": $0] } ?? [:])
                let body: JSONValue = .object(metadata.bodySchema.map { ["schema": $0] } ?? [:])
                operation["requestBody"] = .object([
                    "required": .bool(true),
                    "content": .object([metadata.requestContentType: form, "application/json": body]),
                ])
            } else if let schema = metadata.requestSchema {
                operation["requestBody"] = .object([
                    "required": .bool(true),
                    "content": .object([metadata.requestContentType: .object(["schema": schema])]),
                ])
            }
            var success: [String: JSONValue] = ["description": .string("Success")]
            if let schema = metadata.responseSchema {
                success["content"] = .object(["application/json": .object(["schema": schema])])
            }
            let errorResponse: JSONValue = .object([
                "description": .string("Error"),
                "content": .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])])]),
            ])
            operation["responses"] = .object([String(metadata.successStatus): .object(success), "default": errorResponse])
            if entry.value.flags & 0b110 != 0 { operation["security"] = .array([.object(["bearer": .array([])]), .object(["cookie": .array([])])]) }
            paths[openAPIPath, default: [:]][entry.method.lowercased()] = .object(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Image App"),
                "version": .string(HostVersion.current),
                "description": .string("Routes of the enabled plugins: " + plugins.map { "\($0.name) \($0.version)" }.joined(separator: ", ")),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(["Error": errorSchema]),
                "securitySchemes": .object([
                    "bearer": .object(["type": .string("http"), "scheme": .string("bearer")]),
                    "cookie": .object(["type": .string("apiKey"), "in": .string("cookie"), "name": .string("ia_session")]),
                ]),
            ]),
        ])
    }

    /// `getApiV1UsersHandle`-style IDs, unique per method and path.
    private static func operationID(method: String, path: RoutePattern) -> String {
        var id = method.lowercased()
        for segment in path.segments {
            let word: String
            switch segment {
            case .literal(let text), .parameter(let text), .catchAll(let text): word = text
            }
            for part in word.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                id += part.prefix(1).uppercased() + part.dropFirst()
            }
        }
        return id
    }

    private static let errorSchema: JSONValue = .object([
        "type": .string("object"),
        "required": .array([.string("error")]),
        "properties": .object([
            "error": .object([
                "type": .string("object"),
                "required": .array([.string("code"), .string("message"), .string("details")]),
                "properties": .object([
                    "code": .object(["type": .string("string")]),
                    "message": .object(["type": .string("string")]),
                    "details": .object(["type": .string("object")]),
                ]),
            ])
        ]),
    ])
}
