import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Route patterns, matching and collisions (pure logic).
struct RoutingTests {
    private func table(_ routes: [(String, String)]) -> RouteTable<String> {
        let table = RouteTable<String>()
        for (method, path) in routes {
            guard case .success(let pattern) = RoutePattern.parse(path) else {
                Issue.record("bad pattern \(path)")
                continue
            }
            #expect(table.insert(method: method, pattern: pattern, value: "\(method) \(path)") == nil)
        }
        return table
    }

    @Test func literalsWinOverParametersWithBacktracking() {
        let routes = table([
            ("GET", "/api/v1/users/{handle}"),
            ("GET", "/api/v1/users/me/settings"),
            ("GET", "/api/v1/users/{handle}/posts"),
        ])
        guard case .found(let entry, let parameters) = routes.match(method: "GET", path: "/api/v1/users/me/posts") else {
            Issue.record("no match")
            return
        }
        #expect(entry.value == "GET /api/v1/users/{handle}/posts")
        #expect(parameters == ["handle": "me"])
        guard case .found(let settings, _) = routes.match(method: "GET", path: "/api/v1/users/me/settings") else {
            Issue.record("no match")
            return
        }
        #expect(settings.value == "GET /api/v1/users/me/settings")
    }

    @Test func parametersArePercentDecodedAndCatchAllTakesTheRest() {
        let routes = table([("GET", "/media/{path...}"), ("GET", "/tags/{tag}")])
        guard case .found(_, let tag) = routes.match(method: "GET", path: "/tags/caf%C3%A9") else {
            Issue.record("no match")
            return
        }
        #expect(tag == ["tag": "café"])
        guard case .found(_, let media) = routes.match(method: "GET", path: "/media/ab/cd/e%20f.jpg") else {
            Issue.record("no match")
            return
        }
        #expect(media == ["path": "ab/cd/e f.jpg"])
    }

    @Test func wrongMethodListsAllowedMethodsAndHeadFallsBackToGet() {
        let routes = table([("GET", "/a"), ("POST", "/a")])
        guard case .methodNotAllowed(let allowed) = routes.match(method: "DELETE", path: "/a") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD", "POST"])
        guard case .found(let entry, _) = routes.match(method: "HEAD", path: "/a") else {
            Issue.record("HEAD should use GET")
            return
        }
        #expect(entry.method == "GET")
        guard case .notFound = routes.match(method: "GET", path: "/a/b") else {
            Issue.record("expected 404")
            return
        }
        guard case .notFound = routes.match(method: "GET", path: "/a/") else {
            Issue.record("a trailing slash is another path")
            return
        }
    }

    @Test func sameShapeCollidesWhateverTheParameterNames() {
        let routes = table([("GET", "/users/{handle}")])
        guard case .success(let other) = RoutePattern.parse("/users/{id}") else { return }
        #expect(routes.insert(method: "GET", pattern: other, value: "other")?.value == "GET /users/{handle}")
        #expect(routes.insert(method: "PUT", pattern: other, value: "put") == nil)
    }

    @Test(arguments: ["users", "/a//b", "/a/{x", "/a/{x}/{x}", "/a/{x...}/b", "/a/b{x}", "/a/{bad-name}", "/a/%41"])
    func invalidPatternsAreRefused(_ path: String) {
        guard case .failure = RoutePattern.parse(path) else {
            Issue.record("'\(path)' should be refused")
            return
        }
    }
}
