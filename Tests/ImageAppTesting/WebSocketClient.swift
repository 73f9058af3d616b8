import Foundation
import Glibc

/// A minimal WebSocket client over a plain socket (RFC 6455), for stream tests: it sends the upgrade request, keeps
/// the response head (and the body of a refusal), then decodes frames as they arrive — text messages, pings (answered
/// unless ``answersPings`` is off), the close frame (answered) — and reads only when told to
/// (``pump(timeout:until:)``), so a test can also play a client that stops reading or stops answering pings.
///
/// `@unchecked Sendable` so a test can read on another task; use it from one task at a time.
public final class WebSocketClient: @unchecked Sendable {
    /// A close frame: its code and reason.
    public struct Close: Equatable, Sendable {
        public var code: Int
        public var reason: String

        public init(code: Int, reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    private var descriptor: Int32
    private var raw: [UInt8] = []
    private var position = 0
    /// The response status (101 when upgraded), once the head has arrived.
    public private(set) var status: Int?
    /// The response head as text.
    public private(set) var head = ""
    /// A refusal's body (what follows the head of a response other than 101).
    public private(set) var body = ""
    /// Text messages received, in order.
    public private(set) var messages: [String] = []
    /// Pings received.
    public private(set) var pings = 0
    /// The payloads of pongs received.
    public private(set) var pongs: [[UInt8]] = []
    /// The server's close frame.
    public private(set) var close: Close?
    /// Whether the connection ended (the server closed it).
    public private(set) var ended = false
    /// Whether pings are answered with pongs as they are read.
    public var answersPings = true

    /// Connects and sends the upgrade request `GET path` with `headers`; `receiveBuffer` shrinks the socket's receive
    /// buffer (a slow reader fills it sooner).
    public init(port: Int, path: String, headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws {
        descriptor = try RawConnection.connectLoopback(port: port, receiveBuffer: receiveBuffer)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try sendAll(Array(request.utf8))
    }

    /// Reads what arrives within `timeout`, stopping early once `done` holds or the connection ends; returns `done`'s
    /// final answer.
    @discardableResult
    public func pump(timeout: Duration, until done: (WebSocketClient) -> Bool = { _ in false }) -> Bool {
        let closed = RawConnection.pump(descriptor, timeout: timeout, done: { done(self) || ended }) { chunk in
            raw += chunk
            decode()
        }
        if closed { ended = true }
        return done(self)
    }

    /// ``pump(timeout:until:)`` on a thread of its own.
    @discardableResult
    public func read(timeout: Duration, until done: @escaping @Sendable (WebSocketClient) -> Bool = { _ in false }) async -> Bool {
        await RawConnection.onThread { [self] in pump(timeout: timeout, until: done) }
    }

    /// Sends a text message.
    public func send(text: String) throws { try sendFrame(opcode: 0x1, payload: Array(text.utf8)) }

    /// Sends a ping with `payload` (at most 125 bytes).
    public func ping(_ payload: [UInt8]) throws { try sendFrame(opcode: 0x9, payload: payload) }

    /// Sends a close frame with `code`.
    public func sendClose(code: Int = 1000) throws { try sendFrame(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)]) }

    /// One masked frame (clients must mask, RFC 6455 §5.3).
    private func sendFrame(opcode: UInt8, payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case 0..<126: frame.append(0x80 | UInt8(payload.count))
        case 126...0xFFFF: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try sendAll(frame)
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw HostProcessError(message: "short send") }
    }

    private func decode() {
        if status == nil {
            guard let end = find([13, 10, 13, 10], in: raw) else { return }
            head = String(decoding: raw[..<end], as: UTF8.self)
            status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            position = end + 4
        }
        guard status == 101 else {
            body += String(decoding: raw[position...], as: UTF8.self)
            position = raw.count
            return
        }
        while let frame = nextFrame() {
            switch frame.opcode {
            case 0x1: messages.append(String(decoding: frame.payload, as: UTF8.self))
            case 0x8:
                let code = frame.payload.count >= 2 ? Int(frame.payload[0]) << 8 | Int(frame.payload[1]) : 1005
                close = Close(code: code, reason: String(decoding: frame.payload.dropFirst(2), as: UTF8.self))
                try? sendFrame(opcode: 0x8, payload: Array(frame.payload.prefix(2)))
            case 0x9:
                pings += 1
                if answersPings { try? sendFrame(opcode: 0xA, payload: frame.payload) }
            case 0xA: pongs.append(frame.payload)
            default: break
            }
        }
    }

    /// The next complete server frame (unmasked), if it has arrived.
    private func nextFrame() -> (opcode: UInt8, payload: [UInt8])? {
        guard raw.count - position >= 2 else { return nil }
        let opcode = raw[position] & 0x0F
        var length = Int(raw[position + 1] & 0x7F)
        var start = position + 2
        if length == 126 {
            guard raw.count >= start + 2 else { return nil }
            length = Int(raw[start]) << 8 | Int(raw[start + 1])
            start += 2
        } else if length == 127 {
            guard raw.count >= start + 8 else { return nil }
            length = raw[start..<(start + 8)].reduce(0) { $0 << 8 | Int($1) }
            start += 8
        }
        guard raw.count >= start + length else { return nil }
        position = start + length
        return (opcode, Array(raw[start..<position]))
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    public func closeConnection() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { closeConnection() }
}
