import Foundation
import ImageAppTesting
import Testing

/// Middleware that answers `IA_PENDING` and resumes later (ABI 1.11), through the test-pending fixture: resumed
/// before it returned, from another thread later, with a response of its own or a failure, and not at all (the host's
/// timeout answers, and the late resume changes nothing).
@Suite(.timeLimit(.minutes(12)))
struct PendingMiddlewareTests {
    @Test func pendingMiddlewareGoesOnWhenItResumes() async throws {
        try await withHost(plugins: ["test-pending": ""], host: "request_timeout_seconds = 1\n", database: false, redis: false) { host in
            for milliseconds in [0, 50] {
                let resumed = try await host.get("/api/v1/test/pending?ms=\(milliseconds)")
                #expect(resumed.status == 200, "ms=\(milliseconds)")
                #expect(resumed.json["resumed"] as? Bool == true)
                let answered = try await host.get("/api/v1/test/pending?ms=\(milliseconds)&outcome=respond")
                #expect(answered.status == 202)
                #expect(answered.text == "answered by the middleware")
                let failed = try await host.get("/api/v1/test/pending?ms=\(milliseconds)&outcome=fail")
                #expect(failed.status == 500)
                #expect(failed.errorCode == "internal_error")
            }
            // Never in time: the host answers 504; the resume that comes later finds nothing to do.
            let late = try await host.get("/api/v1/test/pending?ms=2500")
            #expect(late.status == 504)
            try await Task.sleep(for: .seconds(2))
            let plain = try await host.get("/api/v1/test/pending/plain")
            #expect(plain.status == 200)
            #expect(!host.stderr.contains("Fatal error"))
            // Many at once, each resumed from another thread.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await host.get("/api/v1/test/pending?ms=5").status } }
                for try await status in group { #expect(status == 200) }
            }
        }
    }
}
