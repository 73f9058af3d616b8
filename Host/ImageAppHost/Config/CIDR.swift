import Glibc

/// An IPv4 or IPv6 network such as `10.0.0.0/8` or `::1/128`, used for trusted proxies.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    /// Network address bytes (4 or 16).
    public var address: [UInt8]
    /// Prefix length in bits.
    public var prefixLength: Int

    /// Parses `ADDRESS[/BITS]`; a bare address is a single host.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.bytes(of: String(first)) else { return nil }
        let maxBits = bytes.count * 8
        var bits = maxBits
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maxBits).contains(parsed) else { return nil }
            bits = parsed
        }
        self.address = bytes
        self.prefixLength = bits
    }

    /// Whether `ip` (textual) lies inside this network. IPv4-mapped IPv6 addresses match IPv4 networks.
    public func contains(_ ip: String) -> Bool {
        guard var bytes = Self.bytes(of: ip) else { return false }
        if bytes.count == 16, address.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff,
            bytes[11] == 0xff
        {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == address.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xff : ~(0xff >> UInt8(take))
            if bytes[index] & mask != address[index] & mask { return false }
            remaining -= take
        }
        return true
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = address.count == 4 ? AF_INET : AF_INET6
        let text = address.withUnsafeBytes { bytes in
            inet_ntop(family, bytes.baseAddress, &buffer, socklen_t(buffer.count)) != nil
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        }
        return "\(text)/\(prefixLength)"
    }

    /// The packed bytes of an IPv4 or IPv6 address, or nil.
    static func bytes(of ip: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, ip, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, ip, &v6) == 1 { return v6 }
        return nil
    }
}
