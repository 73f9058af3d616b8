import Foundation
import ImageAppTesting
import Testing

/// The browser end-to-end suite (`Tests/Browser`, Python selenium driving headless Chromium) against a real host with
/// every product plugin: pytest exits 0 or the test fails with its output and the failure artifacts' folder.
///
/// `IMAGEAPP_WEB_PYTEST_ARGS` adds pytest arguments (space-separated), e.g. `-k login`, or files instead of the whole
/// folder (`Tests/Browser/test_shell.py`);
/// `IMAGEAPP_WEB_ARTIFACTS` sets where screenshots and console logs of failures go.
@Suite(.timeLimit(.minutes(30)))
struct BrowserSuiteTests {
    static let adminHandle = "site_admin"
    static let adminPassword = "admin passphrase for tests"

    @Test func browserSuite() async throws {
        let environment = ProcessInfo.processInfo.environment
        let artifacts =
            try environment["IMAGEAPP_WEB_ARTIFACTS"].map { try TemporaryDirectory.make(at: $0) }
            ?? TemporaryDirectory.make(at: NSTemporaryDirectory() + "image-app-browser-" + UUID().uuidString)
        try await withWebApp { app in
            _ = try await app.createAdmin(Self.adminHandle, password: Self.adminPassword)

            let pytest = Process()
            pytest.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // Extra arguments that name test files replace the folder (`Tests/Browser/test_shell.py`).
            let extra = (environment["IMAGEAPP_WEB_PYTEST_ARGS"] ?? "").split(separator: " ").map(String.init)
            let paths = extra.contains { $0.hasPrefix("Tests/Browser") } ? [] : ["Tests/Browser"]
            pytest.arguments = ["python3", "-m", "pytest", "-x", "-q"] + extra + paths
            pytest.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
            pytest.environment = environment.merging(
                [
                    "IMAGEAPP_WEB_BASE_URL": app.host.baseURL.absoluteString,
                    "IMAGEAPP_WEB_MAIL_DIR": app.mailDirectory,
                    "IMAGEAPP_WEB_ADMIN_HANDLE": Self.adminHandle,
                    "IMAGEAPP_WEB_ADMIN_PASSWORD": Self.adminPassword,
                    "IMAGEAPP_WEB_ARTIFACTS": artifacts,
                    "PYTHONDONTWRITEBYTECODE": "1",  // no __pycache__ in the repository
                    // The other suites run beside the browsers on the same cores: waits get more time, unless set.
                    "IMAGEAPP_WEB_TIMEOUT_SCALE": environment["IMAGEAPP_WEB_TIMEOUT_SCALE"] ?? "3",
                ],
                uniquingKeysWith: { $1 }
            )
            let output = try await pytest.runToCompletion()
            #expect(
                pytest.terminationStatus == 0,
                "browser suite failed (exit \(pytest.terminationStatus)); artifacts in \(artifacts)\n\(output)\nhost log:\n\(app.host.stderr.suffix(4000))"
            )
            if pytest.terminationStatus == 0 {
                print("browser suite: \(output.split(separator: "\n").last ?? "")")
            }
        }
        // A passing run leaves only the screenshots tests chose to keep: say where, or drop the empty folder.
        if (try? FileManager.default.contentsOfDirectory(atPath: artifacts))?.isEmpty ?? true {
            if environment["IMAGEAPP_WEB_ARTIFACTS"] == nil { try? FileManager.default.removeItem(atPath: artifacts) }
        } else {
            print("browser suite: artifacts in \(artifacts)")
        }
    }
}
