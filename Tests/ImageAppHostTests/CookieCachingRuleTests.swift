import HTTPTypes
import Testing

@testable import ImageAppHost

/// The host's rule for every plugin: a response that sets a cookie is never publicly cacheable.
struct CookieCachingRuleTests {
    private func kept(_ fields: [(String, String)]) -> HTTPFields {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        CookieCaching.keepPrivate(&headers)
        return headers
    }

    @Test func aPublicResponseThatSetsACookieBecomesPrivate() {
        let headers = kept([("Cache-Control", "public, max-age=31536000, immutable"), ("Set-Cookie", "ia_session=x; Path=/")])
        #expect(headers[.cacheControl] == "private, max-age=31536000, immutable")
        #expect(headers[values: .vary] == ["Cookie"])
    }

    @Test func sharedCacheDirectivesGoAndVaryIsKept() {
        let headers = kept([
            ("Cache-Control", "Public"), ("Cache-Control", "s-maxage=600, proxy-revalidate"),
            ("Vary", "Accept-Encoding"), ("Set-Cookie", "a=b"),
        ])
        #expect(headers[.cacheControl] == "private")
        #expect(headers[values: .vary] == ["Accept-Encoding", "Cookie"])
    }

    @Test func noStoreAndPrivateStayAsTheyAre() {
        #expect(kept([("Cache-Control", "no-store"), ("Set-Cookie", "a=b")])[.cacheControl] == "no-store")
        #expect(kept([("Cache-Control", "private, max-age=5"), ("Set-Cookie", "a=b"), ("Vary", "cookie")])[values: .vary] == ["cookie"])
        #expect(kept([("Set-Cookie", "a=b")])[.cacheControl] == "private", "no Cache-Control at all: heuristic caching")
    }

    @Test func responsesWithoutCookiesAreLeftAlone() {
        let headers = kept([("Cache-Control", "public, max-age=60")])
        #expect(headers[.cacheControl] == "public, max-age=60")
        #expect(headers[.vary] == nil)
    }
}
