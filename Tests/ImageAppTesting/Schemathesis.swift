import Foundation

/// schemathesis (from PyPI, installed by `scripts/test`) with **all** its checks against a host's served OpenAPI
/// document, as the fuzz suites run it.
public enum Schemathesis {
    /// Runs it as `token`'s client with `config` (TOML: per-operation exceptions, each with its reason) and extra
    /// command-line `arguments` (path filters), in a scratch folder under `directory` (schemathesis keeps a cache in its
    /// working directory: not in the project's). Returns its exit status and what it printed.
    public static func run(
        against host: HostProcess,
        token: String,
        config: String,
        seed: Int,
        arguments: [String],
        directory: String
    ) async throws -> (status: Int32, output: String) {
        let scratch = try TemporaryDirectory.make(at: directory + "/schemathesis")
        let configFile = scratch + "/schemathesis.toml"
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
        let fuzz = Process()
        fuzz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fuzz.arguments =
            [
                "python3", "-m", "schemathesis.cli", "--config-file", configFile,
                "run", host.baseURL.appendingPathComponent("api/v1/openapi.json").absoluteString,
                "--checks", "all",
                "--header", "Authorization: Bearer \(token)",
                "--max-examples", "25", "--seed", String(seed),
            ] + arguments
        fuzz.currentDirectoryURL = URL(fileURLWithPath: scratch)
        let output = try await fuzz.runToCompletion()
        return (fuzz.terminationStatus, output)
    }
}
