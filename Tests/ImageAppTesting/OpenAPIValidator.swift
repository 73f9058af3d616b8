public import Foundation

/// openapi-spec-validator (from PyPI, installed by `scripts/test`) on a served OpenAPI document.
public enum OpenAPIValidator {
    /// Whether `document` (the body of `GET /api/v1/openapi.json`) is valid OpenAPI 3.1.
    public static func accepts(_ document: Data) throws -> Bool {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/openapi.json"
        try document.write(to: URL(fileURLWithPath: file))
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [
            "python3", "-c",
            "import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))",
            file,
        ]
        try check.run()
        check.waitUntilExit()
        return check.terminationStatus == 0
    }
}
