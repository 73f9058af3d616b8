import CCrypto

/// Comparisons whose time does not depend on where two secrets differ (`CRYPTO_memcmp`).
public enum ConstantTime {
    /// Whether `a` and `b` are equal. The length is not secret (tokens and hashes have fixed lengths), so unequal
    /// lengths return at once; equal lengths are compared in time independent of the contents.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }
}
