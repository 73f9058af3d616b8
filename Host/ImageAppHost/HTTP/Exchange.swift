import CImageAppPlugin
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One HTTP request/response as plugins see it. What crosses the ABI as `ia_request *` is a
/// checked handle (``RequestHandles``) that finds the exchange until it is finished.
///
/// `@unchecked Sendable`: the ABI lets exactly one thread at a time use a request (the handler's,
/// or after `IA_PENDING` whichever thread finishes it), so the request and response fields need
/// no lock; hand-over between threads happens through the thread pool or `request_complete`,
/// both of which synchronise. Completion itself is guarded by `state`.
final class Exchange: @unchecked Sendable {
    // MARK: Request (immutable)
    let method: String
    let path: String
    let rawQuery: Substring
    let headers: HTTPFields
    let requestID: String
    let parameters: [String: String]
    /// The matched route (`request_route`): its pattern as registered, flags and owning plugin.
    let route: MatchedRoute
    let isHead: Bool
    private let baseLogger: Logger
    private let client: ClientAddress.Source
    /// The body, copied into memory the exchange owns so C code may hold a pointer to it. Set once,
    /// by ``setBody(_:)``, before the first step that may read it runs.
    private var bodyStorage: UnsafeMutableRawBufferPointer?
    /// Keeps the body's bytes counted in the host's in-flight budget for as long as the exchange lives.
    var bodyReservation: BodyIntake.Reservation?

    // MARK: Plugin-facing state (one thread at a time)
    /// The plugin whose code runs now (for `request_log`).
    var currentPlugin: PluginContext?
    /// Whether the current step runs on a worker thread (`request_can_block`).
    var canBlock = true
    let arena = CStringArena()
    var principal: Principal?
    var attributes: [String: String] = [:]
    private var cachedViews: [Int: ia_str] = [:]
    /// The parts of a multipart route's body, read by the host (`request_part_*`); nil for other routes.
    var multipart: MultipartBody?

    // MARK: Response (one thread at a time)
    var status: Int32 = 200
    var responseHeaders = HTTPFields()
    var responseBody = ByteBuffer() {
        didSet { responseFile = nil }
    }
    /// A file to send instead of `responseBody` (`response_send_file`).
    var responseFile: FileResponse?
    /// A long-lived stream opened by the handler (`stream_open`, ABI 1.12): the response becomes it. Locked: a
    /// timeout on the event loop may race the handler.
    let stream = Mutex<ClientStream?>(nil)

    /// The connection the request arrived on.
    var channel: any Channel { client.channel }
    /// Set when the request asks for a WebSocket and the connection can still upgrade: a WebSocket stream opened on it
    /// turns the response into the upgrade.
    let webSocketUpgrade: WebSocketUpgrade?

    // MARK: Completion
    private enum State {
        /// Handlers are running and nobody waits yet.
        case running
        /// The responder waits for the response.
        case waiting(CheckedContinuation<Response, Never>)
        /// Finished before anybody waited: the response is kept for the responder.
        case finishedEarly(Response)
        /// The response has been handed over.
        case finished
    }

    private let state = Mutex<State>(.running)

    /// A middleware's `IA_PENDING` (ABI 1.11): whether `request_resume` came first, or who waits for it.
    private enum Resumption {
        case idle
        case waiting(@Sendable (ia_status) -> Void)
        case resumed(ia_status)
    }

    private let resumption = Mutex<Resumption>(.idle)
    /// The plugins' handle for this exchange, set by the dispatcher before any plugin code runs;
    /// closed when the exchange is finished, so later calls with it answer IA_ERR_STATE.
    var handle: OpaquePointer?

    init(
        method: String,
        path: String,
        rawQuery: Substring,
        headers: HTTPFields,
        client: ClientAddress.Source,
        requestID: String,
        parameters: [String: String],
        route: MatchedRoute,
        logger: Logger,
        webSocketUpgrade: WebSocketUpgrade? = nil
    ) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.client = client
        self.requestID = requestID
        self.parameters = parameters
        self.route = route
        self.isHead = method == "HEAD"
        self.baseLogger = logger
        self.webSocketUpgrade = webSocketUpgrade
    }

    /// Keeps a copy of the body the host read. Call at most once, before handing the exchange to the step that reads it.
    func setBody(_ body: ByteBuffer) {
        precondition(bodyStorage == nil, "the body is set once")
        guard body.readableBytes > 0 else { return }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: body.readableBytes, alignment: 1)
        body.withUnsafeReadableBytes { storage.copyMemory(from: $0) }
        bodyStorage = storage
    }

    deinit {
        bodyStorage?.deallocate()
    }

    /// The exchange behind an `ia_request *`, or nil (logged) when the handle is stale: the
    /// request was completed, by the plugin or by the host. The reference keeps it alive.
    static func from(_ handle: OpaquePointer?) -> Exchange? {
        RequestHandles.shared.exchange(for: handle)
    }

    /// The body bytes (pointer valid for the life of the exchange).
    var body: (pointer: UnsafeRawPointer?, count: Int) {
        (bodyStorage.flatMap { UnsafeRawPointer($0.baseAddress) }, bodyStorage?.count ?? 0)
    }

    /// The client address the host believes (computed on first use: most handlers never ask).
    private(set) lazy var peer: String = client.resolve()

    /// The host's logger with this request's ID attached (built on first use).
    private(set) lazy var logger: Logger = {
        var logger = baseLogger
        logger[metadataKey: "request_id"] = .string(requestID)
        return logger
    }()

    /// A NUL-terminated view of one of the fixed request strings, made once per request.
    func view(_ slot: Int, _ text: @autoclosure () -> String) -> ia_str {
        if let cached = cachedViews[slot] { return cached }
        let made = arena.view(text())
        cachedViews[slot] = made
        return made
    }

    // MARK: Completion

    /// The response, once a handler, a plugin's `request_complete` or a timeout has finished the
    /// exchange. Returns at once, without suspending, when that already happened.
    func response() async -> Response {
        let early: Response? = state.withLock { state in
            guard case .finishedEarly(let response) = state else { return nil }
            state = .finished
            return response
        }
        if let early { return early }
        return await withCheckedContinuation { continuation in
            let ready: Response? = state.withLock { state in
                if case .finishedEarly(let response) = state {
                    state = .finished
                    return response
                }
                state = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    // MARK: Pending middleware

    /// `request_resume`: goes on with the run that waits for it, or keeps `status` for the dispatcher when the
    /// middleware has not returned yet. False when the exchange is finished or a resumption is already kept.
    func resume(with status: ia_status) -> Bool {
        guard !isFinished else { return false }
        let waiting: (@Sendable (ia_status) -> Void)?? = resumption.withLock { resumption in
            switch resumption {
            case .idle:
                resumption = .resumed(status)
                return .some(nil)
            case .waiting(let goOn):
                resumption = .idle
                return .some(goOn)
            case .resumed:
                return .none
            }
        }
        guard let waiting else { return false }
        waiting?(status)
        return true
    }

    /// After a middleware returned `IA_PENDING`: the status when `request_resume` came already, else nil, with `goOn`
    /// kept to run when it comes.
    func awaitResume(_ goOn: @escaping @Sendable (ia_status) -> Void) -> ia_status? {
        resumption.withLock { resumption in
            if case .resumed(let status) = resumption {
                resumption = .idle
                return status
            }
            resumption = .waiting(goOn)
            return nil
        }
    }

    /// Finishes with the response the plugin wrote. Returns false when already finished.
    @discardableResult
    func finish() -> Bool {
        resume { self.makeResponse() }
    }

    /// Finishes with a host-made response (errors, timeouts). Returns false when already finished.
    @discardableResult
    func finish(with response: @autoclosure () -> Response) -> Bool {
        let finished = resume(response)
        // A stream opened by a handler that then failed or timed out never starts.
        if finished, let opened = stream.withLock({ $0 }) { opened.close(reason: "closed") }
        return finished
    }

    var isFinished: Bool {
        state.withLock {
            switch $0 {
            case .running, .waiting: false
            case .finishedEarly, .finished: true
            }
        }
    }

    private func resume(_ make: () -> Response) -> Bool {
        let response = make()
        let continuation: CheckedContinuation<Response, Never>?? = state.withLock { state in
            switch state {
            case .running:
                state = .finishedEarly(response)
                return .some(nil)
            case .waiting(let continuation):
                state = .finished
                return .some(continuation)
            case .finishedEarly, .finished:
                return .none
            }
        }
        guard let continuation else { return false }
        if let handle { RequestHandles.shared.close(handle) }
        continuation?.resume(returning: response)
        return true
    }

    /// The Hummingbird response for what the plugin wrote.
    private func makeResponse() -> Response {
        let status = HTTPResponse.Status(code: Int(self.status))
        if isHead {
            var fields = responseHeaders
            fields[.contentLength] = String(responseFile.map { Int($0.length) } ?? responseBody.readableBytes)
            return Response(status: status, headers: fields)
        }
        if let opened = stream.withLock({ $0 }) {
            if opened.kind == .webSocket, let webSocketUpgrade {
                // The upgrader sends the 101 with the handshake headers; these are the plugin's additions.
                webSocketUpgrade.accept(opened)
                return Response(status: .switchingProtocols, headers: responseHeaders)
            }
            return ClientStreamResponse.make(opened, status: status, headers: responseHeaders)
        }
        if let responseFile {
            return Response(status: status, headers: responseHeaders, body: responseFile.body(on: client.channel))
        }
        return Response(status: status, headers: responseHeaders, body: ResponseBody(byteBuffer: responseBody))
    }
}

/// The route the router matched for an exchange, as `request_route` hands it to plugins.
struct MatchedRoute: Sendable {
    /// The path pattern as registered, e.g. `/api/v1/users/{handle}`.
    var pattern: String
    /// The route's `IA_ROUTE_*` flags.
    var flags: UInt32
    /// The plugin that registered it.
    var owner: String
    /// Its metadata for middleware (`request_route_metadata`).
    var labels: [String: String] = [:]
}

/// The authenticated caller that middleware attached to a request.
struct Principal: Sendable, Equatable {
    var userID: Int64
    var handle: String
    var role: String
}
