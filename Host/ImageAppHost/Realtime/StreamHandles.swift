import Synchronization

/// Every open stream of the process by id: what `ia_stream *` handles resolve through. A handle whose stream has
/// ended finds nothing (IA_ERR_STATE), even if a later stream reuses memory: ids are never reused.
final class StreamHandles: Sendable {
    static let shared = StreamHandles()

    private let streams = Mutex<[UInt64: ClientStream]>([:])
    private let counter = Atomic<UInt64>(0)

    /// A process-unique id (hubs of several runtimes in one process share the table).
    func makeID() -> UInt64 {
        counter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func insert(_ stream: ClientStream) {
        streams.withLock { $0[stream.id] = stream }
    }

    func remove(_ stream: ClientStream) {
        streams.withLock { _ = $0.removeValue(forKey: stream.id) }
    }

    func stream(id: UInt64) -> ClientStream? {
        streams.withLock { $0[id] }
    }

    /// The stream behind a plugin's handle, or nil when it is NULL or has ended.
    func stream(for handle: OpaquePointer?) -> ClientStream? {
        guard let handle else { return nil }
        return stream(id: UInt64(UInt(bitPattern: handle)))
    }

    func all(of hub: StreamHub) -> [ClientStream] {
        streams.withLock { Array($0.values) }.filter { $0.belongs(to: hub) }
    }
}
