import CImageAppPlugin
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One HTTP request/response as plugins see it: what crosses the ABI as `ia_request *`.
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
    let peer: String
    let requestID: String
    let parameters: [String: String]
    let isHead: Bool
    let logger: Logger
    /// The body, copied into memory the exchange owns so C code may hold a pointer to it.
    private let bodyStorage: UnsafeMutableRawBufferPointer?

    // MARK: Plugin-facing state (one thread at a time)
    /// The plugin whose code runs now (for `request_log`).
    var currentPlugin: PluginContext?
    let arena = CStringArena()
    var principal: Principal?
    var attributes: [String: String] = [:]
    private var cachedViews: [Int: ia_str] = [:]

    // MARK: Response (one thread at a time)
    var status: Int32 = 200
    var responseHeaders: [(HTTPField.Name, String)] = []
    var responseBody: [UInt8] = []

    // MARK: Completion
    private enum State {
        case idle
        case waiting(CheckedContinuation<Response, Never>)
        case finished
    }

    private let state = Mutex<State>(.idle)
    /// Set when the handler returned IA_PENDING, so a late `request_complete` can release it.
    let pendingRelease = Atomic<Bool>(false)

    init(
        method: String,
        path: String,
        rawQuery: Substring,
        headers: HTTPFields,
        body: ByteBuffer,
        peer: String,
        requestID: String,
        parameters: [String: String],
        logger: Logger
    ) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.peer = peer
        self.requestID = requestID
        self.parameters = parameters
        self.isHead = method == "HEAD"
        self.logger = logger
        if body.readableBytes > 0 {
            let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: body.readableBytes, alignment: 1)
            body.withUnsafeReadableBytes { storage.copyMemory(from: $0) }
            self.bodyStorage = storage
        } else {
            self.bodyStorage = nil
        }
    }

    deinit {
        bodyStorage?.deallocate()
    }

    /// The exchange behind an `ia_request *`.
    static func from(_ handle: OpaquePointer?) -> Exchange? {
        guard let handle else { return nil }
        return Unmanaged<Exchange>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// The body bytes (pointer valid for the life of the exchange).
    var body: (pointer: UnsafeRawPointer?, count: Int) {
        (bodyStorage.flatMap { UnsafeRawPointer($0.baseAddress) }, bodyStorage?.count ?? 0)
    }

    /// A NUL-terminated view of one of the fixed request strings, made once per request.
    func view(_ slot: Int, _ text: @autoclosure () -> String) -> ia_str {
        if let cached = cachedViews[slot] { return cached }
        let made = arena.view(text())
        cachedViews[slot] = made
        return made
    }

    // MARK: Completion

    /// Waits until a plugin (or a timeout) finishes the exchange; `start` runs once the waiter is in place.
    func response(start: () -> Void) async -> Response {
        await withCheckedContinuation { continuation in
            state.withLock { $0 = .waiting(continuation) }
            start()
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
        resume(response)
    }

    var isFinished: Bool {
        state.withLock { if case .finished = $0 { true } else { false } }
    }

    private func resume(_ make: () -> Response) -> Bool {
        let continuation: CheckedContinuation<Response, Never>? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished
            return continuation
        }
        guard let continuation else { return false }
        continuation.resume(returning: make())
        return true
    }

    /// The Hummingbird response for what the plugin wrote.
    private func makeResponse() -> Response {
        var fields = HTTPFields()
        for (name, value) in responseHeaders { fields.append(HTTPField(name: name, value: value)) }
        let status = HTTPResponse.Status(code: Int(self.status))
        if isHead {
            fields[.contentLength] = String(responseBody.count)
            return Response(status: status, headers: fields)
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: responseBody)))
    }
}

/// The authenticated caller that middleware attached to a request.
struct Principal: Sendable, Equatable {
    var userID: Int64
    var handle: String
    var role: String
}
