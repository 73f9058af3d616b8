#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key a client's address is limited under: IPv4 addresses as they are, IPv6 addresses by their /64 (one
/// subscriber usually holds a whole /64, so limiting single IPv6 addresses would limit nothing).
///
/// The address itself is the one the host trusts (`request.peer`): `X-Forwarded-For` only from configured proxies.
public enum ClientAddress {
    /// The key for `peer`, an IPv4 or IPv6 address in text form (anything else is returned as it is).
    public static func limitKey(_ peer: String) -> String {
        var address = in6_addr()
        guard peer.contains(":"), inet_pton(AF_INET6, peer, &address) == 1 else { return peer }
        let bytes = withUnsafeBytes(of: &address) { Array($0.prefix(8)) }
        // An IPv4-mapped address (::ffff:a.b.c.d) is an IPv4 client.
        if bytes.allSatisfy({ $0 == 0 }), peer.lowercased().hasPrefix("::ffff:") {
            return String(peer.dropFirst(7))
        }
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined() + "::/64"
    }
}
