public import Foundation
import Glibc

/// A plain TCP connection to 127.0.0.1, for requests a URL session cannot make: a body abandoned midway, a header
/// sent byte by byte, `Expect: 100-continue`, a client that never reads.
///
/// `@unchecked Sendable` so a test can pace it from a thread of its own; use it from one thread at a time.
public final class RawConnection: @unchecked Sendable {
    private var descriptor: Int32

    public init(port: Int) throws {
        descriptor = try Self.connectLoopback(port: port)
    }

    /// A TCP socket connected to 127.0.0.1:`port`; `receiveBuffer` sets `SO_RCVBUF` before connecting.
    static func connectLoopback(port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, result == 0 else {
            if descriptor >= 0 { Glibc.close(descriptor) }
            throw HostProcessError(message: "cannot connect to port \(port)")
        }
        return descriptor
    }

    /// Reads `descriptor` for up to `timeout`, handing each chunk to `received`, until `done` holds or the peer closes
    /// (then returns true). What stream clients share.
    static func pump(_ descriptor: Int32, timeout: Duration, done: () -> Bool, received: (ArraySlice<UInt8>) -> Void) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(), ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let millis = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&poller, 1, min(millis, 200)) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
            received(buffer[..<count])
        }
        return false
    }

    /// Runs `work` on a thread of its own, so that waiting never holds one of the few threads that run every test's
    /// tasks (blocking them would stall other tests' timers).
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// Sends all of `data`.
    public func send(_ data: Data) throws {
        let sent = data.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == data.count else { throw HostProcessError(message: "short send: \(sent) of \(data.count)") }
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) throws {
        try send(Data(text.utf8))
    }

    /// What arrives within `timeout`, stopping early once `until` holds for it or the peer closes; `closed` tells
    /// whether it did (end of stream or a reset).
    public func receive(
        timeout: Duration,
        until done: (String) -> Bool = { _ in false }
    ) -> (text: String, closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let millis = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&poller, 1, millis) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (String(decoding: bytes, as: UTF8.self), true) }
            bytes += buffer[..<count]
            if done(String(decoding: bytes, as: UTF8.self)) { break }
        }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    /// ``receive(timeout:until:)`` on a thread of its own (see ``onThread(_:)``).
    public func read(timeout: Duration, until done: @escaping @Sendable (String) -> Bool = { _ in false }) async -> (text: String, closed: Bool) {
        await Self.onThread { [self] in receive(timeout: timeout, until: done) }
    }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
