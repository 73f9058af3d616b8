import CCrypto

/// Bytes from OpenSSL's CSPRNG (`RAND_bytes`), for tokens, salts and identifiers that must not be guessed.
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// `RAND_bytes` fails only when the generator cannot be seeded, which on Linux means the kernel's entropy
    /// source is gone; continuing with weak randomness would be worse than stopping, so that is a trap.
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let result = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(result == 1, "RAND_bytes failed: the system's random source is unavailable")
        return bytes
    }
}
