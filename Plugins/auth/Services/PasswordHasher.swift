import Dispatch
import ImageAppPlugin
import PluginCrypto

/// Hashes and verifies passwords with scrypt, storing the parameters beside each hash so they can be raised later.
///
/// The stored form is `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>` (PHC string format, base64url without
/// padding): a 16-byte random salt and a 32-byte key. Hashing is CPU- and memory-bound by design, so at most
/// `maxConcurrent` run at once (each holds `memoryBytes`); the rest wait their turn instead of exhausting memory.
final class PasswordHasher: Sendable {
    let parameters: Scrypt.Parameters
    private let slots: DispatchSemaphore
    private let timing: Metric?
    /// A hash of a random password, verified against when an account does not exist, so that a login for an
    /// unknown account costs as much as one with a wrong password.
    private let decoy: String

    init(parameters: Scrypt.Parameters, maxConcurrent: Int, timing: Metric? = nil) throws {
        self.parameters = parameters
        self.slots = DispatchSemaphore(value: maxConcurrent)
        self.timing = timing
        let salt = SecureRandom.bytes(16)
        let key = try Scrypt.derive(password: SecureRandom.bytes(16), salt: salt, parameters: parameters)
        self.decoy = Self.encode(parameters: parameters, salt: salt, key: key)
    }

    /// How long a hash waits for a free slot before the request is refused with 503: under a flood of logins, the
    /// queue must not grow without bound while worker threads wait in it.
    static let slotTimeout: DispatchTimeInterval = .seconds(5)

    /// A new hash of `password` with the current parameters.
    func hash(_ password: String) throws -> String {
        let salt = SecureRandom.bytes(16)
        let key = try derive(Array(password.utf8), salt: salt, parameters: parameters)
        return Self.encode(parameters: parameters, salt: salt, key: key)
    }

    /// Whether `password` matches `stored` (with the parameters stored in it); a malformed `stored` never matches.
    ///
    /// - Throws: ``HTTPError`` 503 when every hashing slot stayed busy (see ``slotTimeout``).
    func verify(_ password: String, against stored: String) throws(HTTPError) -> Bool {
        guard let decoded = Self.decode(stored) else { return false }
        do {
            return ConstantTime.equals(try derive(Array(password.utf8), salt: decoded.salt, parameters: decoded.parameters), decoded.key)
        } catch let error as HTTPError {
            throw error
        } catch {
            return false
        }
    }

    /// Spends the time of one verification and fails: for logins of accounts that do not exist.
    func verifyDecoy(_ password: String) throws(HTTPError) {
        _ = try verify(password, against: decoy)
    }

    /// Whether `stored` was made with other parameters than today's (it is rehashed at the next successful login).
    func needsRehash(_ stored: String) -> Bool {
        Self.decode(stored)?.parameters != parameters
    }

    private func derive(_ password: [UInt8], salt: [UInt8], parameters: Scrypt.Parameters) throws -> [UInt8] {
        let started = DispatchTime.now().uptimeNanoseconds
        defer { timing?.observe(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9) }
        guard slots.wait(timeout: .now() + Self.slotTimeout) == .success else {
            throw HTTPError.unavailable("The server is busy checking passwords; try again shortly.", retryAfterSeconds: 2)
        }
        defer { slots.signal() }
        return try Scrypt.derive(password: password, salt: salt, parameters: parameters, length: 32)
    }

    static func encode(parameters: Scrypt.Parameters, salt: [UInt8], key: [UInt8]) -> String {
        let logN = UInt64.bitWidth - 1 - parameters.n.leadingZeroBitCount
        return "$scrypt$ln=\(logN),r=\(parameters.r),p=\(parameters.p)$\(Base64URL.encode(salt))$\(Base64URL.encode(key))"
    }

    static func decode(_ stored: String) -> (parameters: Scrypt.Parameters, salt: [UInt8], key: [UInt8])? {
        let fields = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [Substring: UInt64] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = UInt64(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let logN = values["ln"], logN > 0, logN < 40, let r = values["r"], let p = values["p"],
            let salt = Base64URL.decode(fields[3]), let key = Base64URL.decode(fields[4]), !key.isEmpty
        else { return nil }
        let parameters = Scrypt.Parameters(n: 1 << logN, r: r, p: p)
        guard parameters.isValid else { return nil }
        return (parameters, salt, key)
    }
}
