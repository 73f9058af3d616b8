import CImageAppPlugin

/// Carries a Swift closure through a C callback's `void *user_data`.
///
/// C function pointers cannot capture, so each trampoline is a non-capturing closure that gets its Swift closure (and
/// the host table, which route callbacks are not passed) back from `user_data`. Boxes are retained forever with
/// `Unmanaged.passRetained`: the host keeps `user_data` for the life of the process and plugins are never unloaded.
final class CallbackBox<Callback> {
    let callback: Callback
    let api: UnsafePointer<ia_host_api>?

    init(_ callback: Callback, api: UnsafePointer<ia_host_api>?) {
        self.callback = callback
        self.api = api
    }

    /// A `+1` pointer for `user_data` that is never released.
    func retainedForever() -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(self).toOpaque()
    }

    /// The box behind `user_data`, without touching its retain count.
    static func from(_ userData: UnsafeMutableRawPointer) -> CallbackBox {
        Unmanaged<CallbackBox>.fromOpaque(userData).takeUnretainedValue()
    }
}
