import CCrypto

/// HMAC-SHA-256 through OpenSSL, for values the server signs and later checks without storing them (device cookies).
/// Compare a code a client sent with ``ConstantTime/equals(_:_:)``, never with `==`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func code(_ message: some Collection<UInt8>, key: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let input = Array(message)
        let result = key.withUnsafeBytes { key in
            input.withUnsafeBufferPointer { input in
                code.withUnsafeMutableBufferPointer { output in
                    HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), input.baseAddress, input.count, output.baseAddress, &length)
                }
            }
        }
        // HMAC fails only when OpenSSL cannot allocate; a wrong code would silently let forged values through.
        precondition(result != nil && length == SHA256_DIGEST_LENGTH, "HMAC-SHA-256 failed")
        return code
    }
}
