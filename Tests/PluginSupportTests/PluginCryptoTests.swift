import ImageAppTesting
import PluginCrypto
import Testing

/// The OpenSSL wrappers the account plugins rely on: scrypt against RFC 7914's test vectors, base64url round trips
/// and refusals (fuzzed), SHA-256 against FIPS 180-2, HMAC-SHA-256 against RFC 4231, and constant-time equality.
struct PluginCryptoTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test func scryptMatchesRFC7914() throws {
        // RFC 7914 §12, vectors 2 and 3 (vector 4 needs 1 GiB and is left out to keep the suite light).
        let two = try Scrypt.derive(
            password: Array("password".utf8),
            salt: Array("NaCl".utf8),
            parameters: .init(n: 1024, r: 8, p: 16),
            length: 64
        )
        #expect(
            hex(two)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
        let three = try Scrypt.derive(
            password: Array("pleaseletmein".utf8),
            salt: Array("SodiumChloride".utf8),
            parameters: .init(n: 16384, r: 8, p: 1),
            length: 64
        )
        #expect(
            hex(three)
                == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        )
        // An empty password and salt are valid input.
        let empty = try Scrypt.derive(password: [], salt: [], parameters: .init(n: 16, r: 1, p: 1), length: 64)
        #expect(
            hex(empty)
                == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        )
    }

    @Test func scryptRefusesBadParameters() {
        for parameters in [
            Scrypt.Parameters(n: 1000, r: 8, p: 1), .init(n: 1, r: 8, p: 1), .init(n: 1024, r: 0, p: 1),
            .init(n: 1 << 30, r: 8, p: 1), .init(n: 1 << 39, r: 1_073_741_823, p: 1),
            .init(n: 1 << 62, r: .max, p: .max),
        ] {
            #expect(!parameters.isValid)
            #expect(throws: Scrypt.Failure.self) { try Scrypt.derive(password: [1], salt: [2], parameters: parameters) }
        }
    }

    @Test func sha256MatchesFIPS180() {
        #expect(hex(SHA256Digest.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256Digest.hash("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hmacSHA256MatchesRFC4231() {
        // RFC 4231 §4.2 and §4.3 (test cases 1 and 2).
        #expect(
            hex(HMACSHA256.code(Array("Hi There".utf8), key: [UInt8](repeating: 0x0B, count: 20)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        )
        #expect(
            hex(HMACSHA256.code(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
    }

    @Test func base64URLRoundTripsAndRefusesNonCanonicalText() {
        #expect(Base64URL.encode(Array("hello?>".utf8)) == "aGVsbG8_Pg")
        #expect(Base64URL.decode("aGVsbG8_Pg") == Array("hello?>".utf8))
        for refused in ["aGVsbG8_Pg==", "aGVs bG8", "a", "aGVsbG8/Pg", "aGVsbG8_Ph", "é"] {
            #expect(Base64URL.decode(refused) == nil, "\(refused)")
        }
        var random = SplitMix64(state: 7)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let text = Base64URL.encode(bytes)
            #expect(Base64URL.decode(text) == bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            // Arbitrary text never traps, and what decodes re-encodes to the same text (canonical form).
            let junk = String(decoding: (0..<(length % 40)).map { _ in UInt8(truncatingIfNeeded: random.next() % 128) }, as: UTF8.self)
            if let decoded = Base64URL.decode(junk) { #expect(Base64URL.encode(decoded) == junk) }
        }
    }

    @Test func randomBytesAndConstantTimeEquality() {
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(ConstantTime.equals(a, a))
        #expect(!ConstantTime.equals(a, b))
        #expect(!ConstantTime.equals(a, Array(a.dropLast())))
        #expect(ConstantTime.equals([], []))
    }
}
