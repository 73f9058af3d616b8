import CImageAppPlugin

/// Bytes handed to a plugin as `ia_buffer *`; retained until `buffer_free`.
///
/// `@unchecked Sendable`: the storage is written once in `init` and only read afterwards.
final class HostBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    convenience init(_ text: String) {
        self.init(bytes: UnsafeRawBufferPointer(start: nil, count: 0), text: text)
    }

    /// A copy of `bytes`, NUL-terminated for C callers.
    convenience init(bytes: UnsafeRawBufferPointer) {
        self.init(bytes: bytes, text: nil)
    }

    private init(bytes: UnsafeRawBufferPointer, text: String?) {
        if let text {
            let utf8 = Array(text.utf8)
            storage = .allocate(byteCount: utf8.count + 1, alignment: 1)
            storage.copyBytes(from: utf8)
            storage[utf8.count] = 0
        } else {
            storage = .allocate(byteCount: bytes.count + 1, alignment: 1)
            if bytes.count > 0 { storage.copyMemory(from: bytes) }
            storage[bytes.count] = 0
        }
    }

    /// The bytes (without the trailing NUL).
    var bytes: [UInt8] { Array(UnsafeRawBufferPointer(rebasing: storage[..<(storage.count - 1)])) }

    deinit { storage.deallocate() }

    var view: ia_str {
        ia_str(data: storage.baseAddress?.assumingMemoryBound(to: CChar.self), len: storage.count - 1)
    }

    static func from(_ handle: OpaquePointer?) -> HostBuffer? {
        guard let handle else { return nil }
        return Unmanaged<HostBuffer>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }
}
