import CImageAppPlugin

// Conversions between Swift strings and the ABI's UTF-8 views. Views handed to the host live only for the call
// (the host copies what it keeps); views read from the host are copied into Swift strings straight away.

extension ia_str {
    /// The viewed bytes as a Swift string; invalid UTF-8 is repaired rather than trusted.
    var string: String {
        // `data` may be NULL when `len` is 0, which UnsafeRawBufferPointer accepts.
        String(decoding: UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: len), as: UTF8.self)
    }

    /// A NUL-terminated copy of `string` in memory that is never freed, for descriptor fields the host reads for
    /// the life of the process.
    static func permanent(_ string: String) -> ia_str {
        let utf8 = Array(string.utf8)
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
        utf8.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(storage).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        storage[utf8.count] = 0
        return ia_str(data: UnsafePointer(storage), len: utf8.count)
    }
}

extension String {
    /// Calls `body` with a view of the string's UTF-8 bytes, valid only for the duration of the call.
    func withIAStr<Result>(_ body: (ia_str) -> Result) -> Result {
        var copy = self  // withUTF8 is mutating (it may make the storage contiguous); the copy is O(1).
        return copy.withUTF8 { bytes in
            let data = UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
            return body(ia_str(data: data, len: bytes.count))
        }
    }
}

/// Calls `body` with views of all `strings` at once (for structs with several string fields), valid only for the
/// duration of the call.
func withIAStrs<Result>(_ strings: [String], _ body: (UnsafeBufferPointer<ia_str>) -> Result) -> Result {
    let byteCount = strings.reduce(0) { $0 + $1.utf8.count }
    let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(byteCount, 1))
    defer { bytes.deallocate() }
    let views = UnsafeMutableBufferPointer<ia_str>.allocate(capacity: max(strings.count, 1))
    defer { views.deallocate() }  // ia_str is trivial: no deinitialize needed.

    var offset = 0
    for (index, string) in strings.enumerated() {
        let start = bytes.baseAddress! + offset
        let free = UnsafeMutableBufferPointer(start: start, count: byteCount - offset)
        let count = free.initialize(fromContentsOf: string.utf8)
        views.initializeElement(
            at: index,
            to: ia_str(data: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), len: count)
        )
        offset += count
    }
    return body(UnsafeBufferPointer(rebasing: views[..<strings.count]))
}

extension ia_str {
    /// A copy of the viewed bytes, for binary data such as Redis values and pub/sub payloads.
    var bytes: [UInt8] {
        Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: len))
    }
}
