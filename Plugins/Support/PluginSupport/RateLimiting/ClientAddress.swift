#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The keys a client's address is limited under: IPv4 addresses as they are, IPv6 addresses by a prefix (one
/// subscriber usually holds a whole /64 or more, so limiting single IPv6 addresses would limit nothing), and — for
/// IPv6 only — a coarser network key, since a /48 holder has 65,536 /64s to rotate through.
///
/// The address itself is the one the host trusts (`request.peer`): `X-Forwarded-For` only from configured proxies.
public enum ClientAddress {
    /// The key for `peer`, an IPv4 or IPv6 address in text form (anything else is returned as it is): an IPv6
    /// address by its first `ipv6Prefix` bits (1 to 128; default /64).
    public static func limitKey(_ peer: String, ipv6Prefix: Int = 64) -> String {
        guard let bytes = ipv6Bytes(peer) else { return ipv4Text(peer) }
        return masked(bytes, prefix: ipv6Prefix)
    }

    /// The coarser key of an IPv6 client's network (its first `ipv6Prefix` bits, e.g. /48), or nil for an IPv4
    /// client: IPv4 addresses are scarce, and a coarser IPv4 key would lump together whole offices and carriers.
    public static func networkKey(_ peer: String, ipv6Prefix: Int) -> String? {
        ipv6Bytes(peer).map { masked($0, prefix: ipv6Prefix) }
    }

    /// The 16 bytes of a true IPv6 address; nil for IPv4 (including IPv4-mapped `::ffff:a.b.c.d`) and for text that is
    /// no address.
    private static func ipv6Bytes(_ peer: String) -> [UInt8]? {
        var address = in6_addr()
        guard peer.contains(":"), inet_pton(AF_INET6, peer, &address) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return nil }
        return bytes
    }

    /// An IPv4-mapped address as its IPv4 text; anything else as it is.
    private static func ipv4Text(_ peer: String) -> String {
        peer.lowercased().hasPrefix("::ffff:") && peer.contains(".") ? String(peer.dropFirst(7)) : peer
    }

    private static func masked(_ bytes: [UInt8], prefix: Int) -> String {
        let bits = Swift.max(1, Swift.min(128, prefix))
        let hex = bytes.enumerated().map { index, byte -> String in
            let kept = Swift.max(0, Swift.min(8, bits - index * 8))
            let value = kept == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
            let text = String(value, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return hex.prefix((bits + 7) / 8).joined() + "::/\(bits)"
    }
}
