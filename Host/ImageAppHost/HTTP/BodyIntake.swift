import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Reads plain request bodies into memory within a process-wide budget (`host.body_bytes_in_flight`),
/// so many slow or concurrent uploads cannot grow memory without bound: a body that would take the
/// total past it is answered 503 `server_busy` (Retry-After) instead of being read. A declared
/// length is reserved before the first byte is read; a chunked body reserves as it arrives.
///
/// Multipart bodies are not counted here: the host keeps at most `multipart_memory_bytes` of each
/// part in memory and spools the rest to disk.
final class BodyIntake: Sendable {
    private let limit: Int
    private let used = Atomic<Int>(0)

    init(bytesInFlight limit: Int) {
        self.limit = limit
    }

    /// Why a body was not read.
    enum Refusal: Error {
        /// Longer than the route accepts.
        case tooLarge
        /// The process holds as many body bytes as it may.
        case busy
        /// The client stopped sending, or sent something that is not a body.
        case unreadable

        func response(limit: Int) -> Response {
            switch self {
            case .tooLarge: ErrorResponse.payloadTooLarge(limit: limit)
            case .busy: ErrorResponse.busy
            case .unreadable: ErrorResponse.make(.badRequest, code: "bad_request", message: "The request body could not be read.")
            }
        }
    }

    /// Bytes of request bodies now held, for `/metrics`.
    var bytesInFlight: Int { used.load(ordering: .relaxed) }

    /// The body, up to `limit` bytes, and the reservation that keeps its bytes counted until released (dropped).
    func read(_ request: Request, limit: Int) async -> Result<(ByteBuffer, Reservation), Refusal> {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limit { return .failure(.tooLarge) }
        let reservation = Reservation(intake: self)
        if let declared, !reservation.grow(to: declared) { return .failure(.busy) }
        var body = ByteBuffer()
        if let declared { body.reserveCapacity(declared) }
        do {
            for try await chunk in request.body {
                let total = body.readableBytes + chunk.readableBytes
                guard total <= limit else { return .failure(.tooLarge) }
                guard reservation.grow(to: total) else { return .failure(.busy) }
                body.writeImmutableBuffer(chunk)
            }
        } catch {
            return .failure(.unreadable)
        }
        return .success((body, reservation))
    }

    /// Body bytes counted against the budget until this is released.
    final class Reservation: Sendable {
        private let intake: BodyIntake
        private let bytes = Atomic<Int>(0)

        fileprivate init(intake: BodyIntake) {
            self.intake = intake
        }

        /// Counts up to `total` bytes; false, counting nothing more, when the budget has no room.
        fileprivate func grow(to total: Int) -> Bool {
            let more = total - bytes.load(ordering: .relaxed)
            guard more > 0 else { return true }
            let after = intake.used.add(more, ordering: .relaxed).newValue
            guard after <= intake.limit else {
                intake.used.subtract(more, ordering: .relaxed)
                Counter(label: "imageapp_http_body_refusals_total", dimensions: [("reason", "bytes_in_flight")]).increment()
                return false
            }
            bytes.add(more, ordering: .relaxed)
            Self.report(after)
            return true
        }

        deinit {
            let held = bytes.load(ordering: .relaxed)
            guard held > 0 else { return }
            Self.report(intake.used.subtract(held, ordering: .relaxed).newValue)
        }

        /// `imageapp_http_body_bytes_in_flight`: only bodies touch it, so a lookup per change is cheap enough.
        private static func report(_ total: Int) {
            Gauge(label: "imageapp_http_body_bytes_in_flight").record(total)
        }
    }

    // MARK: Before the body

    /// Whether the request says a body follows (a nonzero Content-Length or any Transfer-Encoding).
    static func announcesBody(_ headers: HTTPFields) -> Bool {
        if let length = headers[.contentLength] { return length != "0" }
        return headers[.transferEncoding] != nil
    }

    /// Sends `100 Continue` when the client waits for it before sending the body (`Expect: 100-continue`): called
    /// once the host has decided to read the body, so a client refused earlier never sends it.
    static func sendContinueIfExpected(_ request: Request, channel: any Channel) {
        guard let expect = request.headers[.expect], expect.lowercased() == "100-continue" else { return }
        channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue)), promise: nil)
    }

    /// Marks a response given before an announced body was read: the connection closes after it (the rest of the
    /// body is not wanted, and a client waiting for `100 Continue` learns it need not send it).
    static func closeAfter(_ response: inout Response) {
        response.headers[.connection] = "close"
    }
}
