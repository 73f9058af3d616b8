import CImageAppPlugin
import Synchronization

extension HostAPI {
    /// ABI 1.12: long-lived streams and channels across instances (``StreamHub``).
    static func addStreams(to api: inout ia_host_api) {
        api.stream_open = { request, kind, onClose, userData, out in
            out?.pointee = nil
            guard let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            let streamKind: ClientStream.Kind
            switch kind {
            case IA_STREAM_SSE: streamKind = .serverSentEvents
            // Only a request the host can still upgrade (the first on its connection, a valid handshake).
            case IA_STREAM_WEBSOCKET where exchange.webSocketUpgrade != nil: streamKind = .webSocket
            case IA_STREAM_WEBSOCKET: return IA_ERR_UNSUPPORTED
            default: return IA_ERR_INVALID_ARGUMENT
            }
            guard !exchange.isHead else { return IA_ERR_UNSUPPORTED }
            guard let hub = exchange.currentPlugin?.registry.services.streams else { return IA_ERR_INTERNAL }
            let callback = onClose.map { ClientStream.CloseCallback(function: $0, userData: userData) }
            return exchange.stream.withLock { current in
                guard current == nil else { return IA_ERR_STATE }
                // Shutting down: no new streams (the caller answers as it would to any failure).
                guard let stream = hub.open(kind: streamKind, channel: exchange.channel, onClose: callback) else {
                    return IA_ERR_UNAVAILABLE
                }
                current = stream
                out.pointee = stream.handle
                return IA_OK
            }
        }
        api.stream_send = { handle, event, data in
            guard data.data != nil || data.len == 0, event.data != nil || event.len == 0 else { return IA_ERR_INVALID_ARGUMENT }
            let eventBytes = UnsafeRawBufferPointer(start: event.data, count: event.len)
            guard !eventBytes.contains(where: { $0 == 10 || $0 == 13 }) else { return IA_ERR_INVALID_ARGUMENT }
            guard let stream = StreamHandles.shared.stream(for: handle) else { return handle == nil ? IA_ERR_INVALID_ARGUMENT : IA_ERR_STATE }
            let frame = stream.encode(event: CString.string(event), data: UnsafeRawBufferPointer(start: data.data, count: data.len))
            switch stream.enqueue(frame) {
            case .queued: return IA_OK
            case .closed: return IA_ERR_STATE
            case .overflow: return IA_ERR_TOO_LARGE
            }
        }
        api.stream_close = { handle, reason in
            guard let stream = StreamHandles.shared.stream(for: handle) else { return handle == nil ? IA_ERR_INVALID_ARGUMENT : IA_ERR_STATE }
            let text = CString.string(reason)
            return stream.close(reason: text.isEmpty ? "closed" : text) ? IA_OK : IA_ERR_STATE
        }
        api.stream_subscribe = { handle, channel in
            guard let name = HostAPI.channelName(channel) else { return IA_ERR_INVALID_ARGUMENT }
            guard let stream = StreamHandles.shared.stream(for: handle) else { return handle == nil ? IA_ERR_INVALID_ARGUMENT : IA_ERR_STATE }
            return stream.hubForChannels.subscribe(stream, to: name)
        }
        api.stream_unsubscribe = { handle, channel in
            guard let name = HostAPI.channelName(channel) else { return IA_ERR_INVALID_ARGUMENT }
            guard let stream = StreamHandles.shared.stream(for: handle) else { return handle == nil ? IA_ERR_INVALID_ARGUMENT : IA_ERR_STATE }
            return stream.hubForChannels.unsubscribe(stream, from: name)
        }
        api.channel_publish = { host, channel, event, data in
            guard let context = PluginContext.from(host), let name = HostAPI.channelName(channel) else { return IA_ERR_INVALID_ARGUMENT }
            guard data.data != nil || data.len == 0 else { return IA_ERR_INVALID_ARGUMENT }
            let eventText = CString.string(event)
            guard !eventText.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return IA_ERR_INVALID_ARGUMENT }
            let bytes = Array(UnsafeRawBufferPointer(start: data.data, count: data.len))
            return context.registry.services.streams.publish(channel: name, event: eventText, data: bytes) ? IA_OK : IA_ERR_UNAVAILABLE
        }
        api.channel_close = { host, channel, reason in
            guard let context = PluginContext.from(host), let name = HostAPI.channelName(channel) else { return IA_ERR_INVALID_ARGUMENT }
            let text = CString.string(reason)
            return context.registry.services.streams.publishClose(channel: name, reason: text.isEmpty ? "closed" : text) ? IA_OK : IA_ERR_UNAVAILABLE
        }
    }

    /// A channel name: 1-200 bytes of UTF-8 without line breaks.
    private static func channelName(_ view: ia_str) -> String? {
        guard view.data != nil, (1...200).contains(view.len) else { return nil }
        let name = CString.string(view)
        guard !name.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return nil }
        return name
    }
}
