public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An `image-app` process started from the build folder with a test configuration, talked to
/// over real HTTP on a free port.
public final class HostProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns this object.

    /// The folder with `image-app` and the plugin libraries (the test bundle is built there too).
    public static let binDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["IMAGEAPP_BIN_DIR"] { return override }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // On Linux the test runner may be inside an .xctest bundle folder.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("image-app").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.path
    }()

    public static var executable: String { binDirectory + "/image-app" }

    public let process: Process
    public let baseURL: URL
    public let stdoutPath: String
    public let stderrPath: String
    public let configPath: String

    private init(process: Process, baseURL: URL, stdoutPath: String, stderrPath: String, configPath: String) {
        self.process = process
        self.baseURL = baseURL
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.configPath = configPath
    }

    /// Starts the server with `config` (TOML text) and waits until it listens. Its config and logs go into
    /// `directory` (created; a new temporary folder when nil). Prefer `withHost`, which also stops it and cleans up.
    public static func start(
        config: String,
        environment: [String: String] = [:],
        role: String = "all",
        directory: String? = nil
    ) async throws -> HostProcess {
        let directory = try directory.map { try TemporaryDirectory.make(at: $0) } ?? TemporaryDirectory.make()
        let configPath = directory + "/plugins.conf"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let stdoutPath = directory + "/stdout.log"
        let stderrPath = directory + "/stderr.log"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--config", configPath, "--listen", "127.0.0.1:0", "--role", role]
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        // A test process that crashes takes its hosts with it (ParentWatch in the host).
        process.environment = ProcessInfo.processInfo.environment.merging(["IMAGEAPP_EXIT_WITH_PARENT": "1"]) { $1 }
            .merging(environment) { $1 }
        try process.run()

        // A host starts in well under a second; the margin is for a machine busy with builds or other suites.
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let output = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if role == "worker", output.contains("image-app worker running") {
                return HostProcess(
                    process: process,
                    baseURL: URL(string: "http://127.0.0.1:1")!,
                    stdoutPath: stdoutPath,
                    stderrPath: stderrPath,
                    configPath: configPath
                )
            }
            if let range = output.range(of: "listening on http://") {
                let address = output[range.upperBound...].prefix { !$0.isNewline }
                let host = HostProcess(
                    process: process,
                    baseURL: URL(string: "http://\(address)")!,
                    stdoutPath: stdoutPath,
                    stderrPath: stderrPath,
                    configPath: configPath
                )
                return host
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        process.terminate()
        let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw HostProcessError(message: "image-app did not start listening; stderr:\n\(errors)")
    }

    /// Runs `image-app` with `arguments` to completion (for check-config, plugins, refused loads).
    public static func run(
        _ arguments: [String],
        config: String? = nil,
        stdin: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var arguments = arguments
        if let config {
            let configPath = directory + "/plugins.conf"
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            arguments += ["--config", configPath]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// What the server wrote to standard error so far.
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The server's resident memory in bytes (`VmRSS`), or nil once it has exited.
    public var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Sends SIGTERM (or another signal).
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit (up to `timeout`) and returns its status.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            throw HostProcessError(message: "image-app did not exit in time")
        }
        return process.terminationStatus
    }

    /// Stops the server (SIGTERM) and waits for it; kills it when it does not exit in time or the wait is cancelled
    /// (a test over its time limit), so no test leaves a server behind.
    public func stop() async {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if (try? await waitForExit()) == nil, process.isRunning { signal(SIGKILL) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    // MARK: HTTP

    /// Sends a request and returns the response.
    public func request(
        _ method: String,
        _ path: String,
        headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        request.timeoutInterval = 60
        let (data, response) = try await HTTPClient.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            fields[String(describing: key).lowercased()] = String(describing: value)
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await request("GET", path, headers: headers)
    }

    /// A request with a JSON body (`json` is encoded with `JSONSerialization`: dictionaries, arrays, strings,
    /// numbers, `NSNull`); `token` goes in `Authorization: Bearer`.
    public func send(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        var fields = headers
        if let token { fields["Authorization"] = "Bearer \(token)" }
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            fields["Content-Type"] = "application/json"
        }
        return try await request(method, path, headers: fields, body: body)
    }
}

/// One HTTP response.
public struct HTTPResult: Sendable {
    public let status: Int
    /// Header names in lower case.
    public let headers: [String: String]
    public let body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// `error.code` of an error body.
    public var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
}

/// A test host that did not do what the test needed (did not start, did not exit, refused a setup step).
public struct HostProcessError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}

enum HTTPClient {
    /// One session for all tests; no caching, no cookies.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // Cookies are the tests' business: every host listens on 127.0.0.1, so a stored cookie would leak from one
        // test into another's requests (and replace the Cookie header a test sets).
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()
}

/// Temporary folders for tests. `withHost` makes one per host and removes it afterwards; a test that makes its own
/// removes it itself.
public enum TemporaryDirectory {
    /// A new folder under the system's temporary folder.
    public static func make() throws -> String {
        try make(at: NSTemporaryDirectory() + "image-app-tests-" + UUID().uuidString)
    }

    /// Creates the folder `path` (and its parents) and returns it.
    public static func make(at path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
