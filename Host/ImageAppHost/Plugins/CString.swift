import CImageAppPlugin

/// Helpers for strings crossing the C ABI.
enum CString {
    /// A malloc'd NUL-terminated copy of `text`; the caller owns it.
    static func allocate(_ text: String) -> UnsafeMutablePointer<CChar> {
        var text = text
        return text.withUTF8 { bytes in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withMemoryRebound(to: CChar.self) { source in
                if let base = source.baseAddress { pointer.update(from: base, count: bytes.count) }
            }
            pointer[bytes.count] = 0
            return pointer
        }
    }

    /// The text of a view passed in by a plugin (copied); invalid UTF-8 is repaired.
    static func string(_ view: ia_str) -> String {
        guard let data = view.data, view.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: view.len), as: UTF8.self)
    }

    /// Calls `body` with a view of `text` valid for the call.
    static func withView<R>(_ text: String, _ body: (ia_str) -> R) -> R {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body(ia_str(data: $0.baseAddress, len: $0.count)) }
        }
    }
}

/// Owns NUL-terminated copies of strings handed to a plugin for the lifetime of one request.
final class CStringArena {
    private var allocations: [UnsafeMutablePointer<CChar>] = []

    /// A view of a copy of `text`, valid until the arena is freed.
    func view(_ text: String) -> ia_str {
        let copy = CString.allocate(text)
        allocations.append(copy)
        return ia_str(data: copy, len: text.utf8.count)
    }

    /// A view of a copy of `bytes` (NUL-terminated too), valid until the arena is freed.
    func bytes(_ bytes: [UInt8]) -> ia_str {
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(copy).copyMemory(from: source.baseAddress ?? UnsafeRawPointer(copy), byteCount: bytes.count)
        }
        copy[bytes.count] = 0
        allocations.append(copy)
        return ia_str(data: copy, len: bytes.count)
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }
}
