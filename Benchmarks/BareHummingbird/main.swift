// The benchmark baseline: a bare Hummingbird server with the C example plugin's hello route,
// answering the same bytes, so the host's per-request overhead can be measured against it.
import Hummingbird
import NIOCore

let listen = CommandLine.arguments.dropFirst().first ?? "127.0.0.1:8081"
let parts = listen.split(separator: ":")
let host = String(parts.first ?? "127.0.0.1")
let port = Int(parts.last ?? "8081") ?? 8081

let body = ByteBuffer(string: #"{"message":"Hello, world!"}"#)
let router = Router()
router.get("/api/v1/examples/c/hello") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
try await app.runService()
