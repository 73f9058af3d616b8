import CCrypto

/// scrypt (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`: a memory-hard password KDF.
public enum Scrypt {
    /// Parameters: CPU/memory cost `n` (a power of two), block size `r`, parallelism `p`.
    public struct Parameters: Hashable, Sendable {
        public var n: UInt64
        public var r: UInt64
        public var p: UInt64

        public init(n: UInt64, r: UInt64, p: UInt64) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// Memory one derivation needs: 128 · r · (n + p + 2) bytes (the V array, B and XY); `UInt64.max` when that
        /// does not even fit (parameters come from stored hashes, so they are checked, never trusted).
        public var memoryBytes: UInt64 {
            let (sum, overflowA) = n.addingReportingOverflow(p &+ 2)
            let (blocks, overflowB) = r.multipliedReportingOverflow(by: sum)
            let (bytes, overflowC) = blocks.multipliedReportingOverflow(by: 128)
            return overflowA || overflowB || overflowC || p > UInt64.max - 2 ? .max : bytes
        }

        /// Whether OpenSSL accepts them: n a power of two above 1, r and p positive, within a 1 GiB budget.
        public var isValid: Bool {
            let (rp, overflow) = r.multipliedReportingOverflow(by: p)
            return n > 1 && n & (n - 1) == 0 && r > 0 && p > 0 && !overflow && rp < 1 << 30 && memoryBytes <= 1 << 30
        }
    }

    /// Why a derivation failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Derives `length` bytes from `password` and `salt`.
    ///
    /// - Throws: ``Failure`` for parameters OpenSSL refuses or when it cannot allocate the memory.
    public static func derive(password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int = 32) throws(Failure) -> [UInt8] {
        guard parameters.isValid else { throw Failure(description: "invalid scrypt parameters \(parameters)") }
        var key = [UInt8](repeating: 0, count: length)
        // OpenSSL refuses to allocate beyond `maxmem` (32 MiB by default); allow what the parameters need.
        let maxMemory = parameters.memoryBytes + (1 << 20)
        // A trailing NUL keeps the buffers non-empty (an empty password or salt still has a base address); the
        // lengths passed exclude it.
        let passwordChars = password.map { CChar(bitPattern: $0) } + [0]
        let saltBytes = salt + [0]
        let result = passwordChars.withUnsafeBufferPointer { passwordBuffer in
            saltBytes.withUnsafeBufferPointer { saltBuffer in
                key.withUnsafeMutableBufferPointer { keyBuffer in
                    EVP_PBE_scrypt(
                        passwordBuffer.baseAddress,
                        password.count,
                        saltBuffer.baseAddress,
                        salt.count,
                        parameters.n,
                        parameters.r,
                        parameters.p,
                        maxMemory,
                        keyBuffer.baseAddress,
                        keyBuffer.count
                    )
                }
            }
        }
        guard result == 1 else {
            ERR_clear_error()
            throw Failure(description: "EVP_PBE_scrypt failed for \(parameters)")
        }
        return key
    }
}
