import Foundation
import Glibc

/// A minimal server-sent events client over a plain socket, for stream tests: it sends one `GET`, decodes the chunked
/// response as it arrives and collects the events, and reads only when told to (``pump(timeout:until:)``), so a test
/// can also play a client that stops reading.
///
/// `@unchecked Sendable` so a test can read on another task; use it from one task at a time.
public final class EventStreamClient: @unchecked Sendable {
    /// One event: its `event:` (empty when none) and its `data:` lines joined by `\n`.
    public struct Event: Equatable, Sendable {
        public var event: String
        public var data: String

        public init(event: String, data: String) {
            self.event = event
            self.data = data
        }
    }

    private var descriptor: Int32
    private var raw: [UInt8] = []
    private var headerEnd: Int?
    private var position = 0
    private var body: [UInt8] = []
    private var parsed = 0
    /// The response status, once the head has arrived.
    public private(set) var status: Int?
    /// The response head as text.
    public private(set) var head = ""
    public private(set) var events: [Event] = []
    /// Heartbeat comments received.
    public private(set) var comments = 0
    /// Whether the response ended: its last chunk arrived, or the connection closed.
    public private(set) var ended = false

    /// Connects and sends `GET path` with `headers`; `receiveBuffer` shrinks the socket's receive buffer (a slow
    /// reader fills it sooner).
    public init(port: Int, path: String, headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws {
        descriptor = try RawConnection.connectLoopback(port: port, receiveBuffer: receiveBuffer)
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw HostProcessError(message: "short send") }
    }

    /// Reads what arrives within `timeout`, stopping early once `done` holds or the response ends; returns `done`'s
    /// final answer.
    @discardableResult
    public func pump(timeout: Duration, until done: (EventStreamClient) -> Bool = { _ in false }) -> Bool {
        let closed = RawConnection.pump(descriptor, timeout: timeout, done: { done(self) || ended }) { chunk in
            raw += chunk
            decode()
        }
        if closed { ended = true }
        return done(self)
    }

    /// ``pump(timeout:until:)`` on a thread of its own.
    @discardableResult
    public func read(timeout: Duration, until done: @escaping @Sendable (EventStreamClient) -> Bool = { _ in false }) async -> Bool {
        await RawConnection.onThread { [self] in pump(timeout: timeout, until: done) }
    }

    /// The events of type `event`.
    public func events(_ event: String) -> [Event] { events.filter { $0.event == event } }

    private func decode() {
        if headerEnd == nil {
            guard let end = find([13, 10, 13, 10], in: raw, from: 0) else { return }
            headerEnd = end + 4
            position = end + 4
            head = String(decoding: raw[..<end], as: UTF8.self)
            status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            // A response without chunking (an error with Content-Length) is kept as it is.
            guard head.lowercased().contains("transfer-encoding: chunked") else {
                body = Array(raw[position...])
                position = raw.count
                return
            }
        }
        guard head.lowercased().contains("transfer-encoding: chunked") else {
            body += raw[position...]
            position = raw.count
            return
        }
        while let lineEnd = find([13, 10], in: raw, from: position) {
            guard let size = Int(String(decoding: raw[position..<lineEnd], as: UTF8.self), radix: 16) else { return }
            if size == 0 {
                ended = true
                break
            }
            guard raw.count >= lineEnd + 2 + size + 2 else { break }
            body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
            position = lineEnd + 2 + size + 2
        }
        parseEvents()
    }

    private func parseEvents() {
        while let end = find([10, 10], in: body, from: parsed) {
            let block = String(decoding: body[parsed..<end], as: UTF8.self)
            parsed = end + 2
            var event = ""
            var data: [String] = []
            var isComment = true
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { continue }
                isComment = false
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            if isComment { comments += 1 } else { events.append(Event(event: event, data: data.joined(separator: "\n"))) }
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
