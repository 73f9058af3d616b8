import ImageAppTesting
import NIOCore
import Testing

@testable import ImageAppHost

/// Client addresses behind proxies, CIDR ranges, percent-decoding (pure logic).
struct NetworkingTests {
    @Test func cidrMatchesIPv4IPv6AndMappedAddresses() throws {
        let private10 = try #require(CIDR(parsing: "10.0.0.0/8"))
        #expect(private10.contains("10.1.2.3"))
        #expect(!private10.contains("11.0.0.1"))
        #expect(private10.contains("::ffff:10.9.9.9"))
        let v6 = try #require(CIDR(parsing: "2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5"))
        #expect(!v6.contains("2001:db9::1"))
        #expect(CIDR(parsing: "1.2.3.4")?.prefixLength == 32)
        #expect(CIDR(parsing: "1.2.3.4/40") == nil)
        #expect(CIDR(parsing: "not-an-ip") == nil)
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() throws {
        let trusted = [try #require(CIDR(parsing: "127.0.0.1")), try #require(CIDR(parsing: "10.0.0.0/8"))]
        let proxy = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        let stranger = try SocketAddress(ipAddress: "203.0.113.9", port: 5000)
        // From an untrusted peer the header is ignored.
        #expect(ClientAddress.resolve(peer: stranger, forwardedFor: ["1.1.1.1"], trusted: trusted) == "203.0.113.9")
        // From a trusted proxy: the right-most address that is not a trusted proxy.
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: ["6.6.6.6, 198.51.100.7, 10.0.0.2"], trusted: trusted) == "198.51.100.7")
        // Garbage in the header falls back to the peer.
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: ["nonsense"], trusted: trusted) == "127.0.0.1")
        // No trusted proxies configured: always the peer.
        #expect(ClientAddress.resolve(peer: proxy, forwardedFor: ["1.1.1.1"], trusted: []) == "127.0.0.1")
    }

    @Test func percentDecodingHandlesPlusAndBadEscapes() {
        #expect(PercentDecoding.decode("a%20b%zz%4", plusAsSpace: false) == "a b%zz%4")
        #expect(PercentDecoding.queryValue("a=1&b=x+y%2Bz&b=2", named: "b") == "x y+z")
        #expect(PercentDecoding.queryValue("flag&x=1", named: "flag") == "")
        #expect(PercentDecoding.queryValue("x=1", named: "y") == nil)
    }

    @Test func requestIDsFromClientsAreAcceptedOnlyWhenSafe() {
        #expect(RequestID.accept("abc-123_X.y") == "abc-123_X.y")
        #expect(RequestID.accept("bad id") == nil)
        #expect(RequestID.accept(String(repeating: "a", count: 129)) == nil)
        #expect(RequestID.generate().count == 16)
    }
}
