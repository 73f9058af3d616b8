import CImageAppPlugin

// Reading the NUL-terminated character arrays of an ia_error the SDK passed to the host.

extension ia_error {
    /// A zero-filled buffer with `struct_size` set, ready to hand to the host.
    static func empty() -> ia_error {
        var error = ia_error()
        error.struct_size = PluginABI.structSize(of: ia_error.self)
        return error
    }

    /// The message the host wrote (up to the first NUL; invalid UTF-8 repaired).
    var messageString: String {
        var copy = message
        return withUnsafeBytes(of: &copy) { Self.string(from: $0) }
    }

    /// The SQLSTATE the host wrote (ABI 1.1); empty when there is none.
    var sqlStateString: String {
        var copy = sqlstate
        return withUnsafeBytes(of: &copy) { Self.string(from: $0) }
    }

    private static func string(from bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
