import CImageAppPlugin

// Reading the NUL-terminated character arrays of an ia_error the SDK passed to the host, and filling the ones the
// host passes to the SDK's callbacks (init, start, event handlers, jobs).

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

    /// Fills the host's error buffer for an error a callback threw and returns the status to report: the status the
    /// error carries when it is one of the SDK's (a refused registration or host call, a failed statement; 503
    /// `HTTPError`s, such as a dispatch that found the database unavailable, as `IA_ERR_UNAVAILABLE`), otherwise
    /// `IA_ERR_INTERNAL`. The message is the error's description.
    static func report(_ error: any Error, into buffer: UnsafeMutablePointer<ia_error>?) -> ia_status {
        let status: ia_status =
            switch error {
            case let error as PluginRegistrationError: error.status.rawValue
            case let error as PluginError where error.status.isError: error.status.rawValue
            case let error as DatabaseError where error.status.isError: error.status.rawValue
            case let error as HTTPError where error.status == 503: IA_ERR_UNAVAILABLE
            default: IA_ERR_INTERNAL
            }
        return report(status, String(describing: error), into: buffer)
    }

    /// Writes `message` into the host's error buffer (cut to fit on a UTF-8 boundary), sets its code, and returns
    /// `status`. A NULL buffer is fine.
    static func report(
        _ status: ia_status,
        _ message: String,
        into buffer: UnsafeMutablePointer<ia_error>?
    ) -> ia_status {
        // ia_error_set would cut at 255 bytes, possibly inside a multi-byte character.
        let capacity = MemoryLayout.size(ofValue: ia_error().message) - 1
        var utf8Count = 0
        var fitting = String.UnicodeScalarView()
        for scalar in message.unicodeScalars {
            utf8Count += UTF8.width(scalar)
            guard utf8Count <= capacity else { break }
            fitting.append(scalar)
        }
        ia_error_set(buffer, status, String(fitting))
        return status
    }
}
