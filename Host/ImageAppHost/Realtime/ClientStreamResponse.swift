import HTTPTypes
import Hummingbird

/// The HTTP response of a stream: the plugin's status and headers plus the event-stream ones, and a body that the
/// stream feeds until it closes.
enum ClientStreamResponse {
    static func make(_ stream: ClientStream, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "text/event-stream; charset=utf-8"
        fields[.cacheControl] = "no-store"
        // nginx would otherwise buffer the events.
        fields[HTTPField.Name("X-Accel-Buffering")!] = "no"
        stream.startHeartbeat()
        return Response(status: status, headers: fields, body: stream.responseBody())
    }
}
