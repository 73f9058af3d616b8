import CImageAppPlugin

/// The ABI facts a plugin declares in its descriptor, computed for the compiler and machine that build it.
public enum PluginABI {
    /// The ABI major version this SDK was built against (`IA_ABI_MAJOR`).
    public static var major: UInt16 { UInt16(IA_ABI_MAJOR) }

    /// The ABI minor version this SDK was built against (`IA_ABI_MINOR`).
    public static var minor: UInt16 { UInt16(IA_ABI_MINOR) }

    /// The ABI minor a plugin declares unless it says otherwise (``PluginDescriptor/make(name:version:dependencies:minimumABIMinor:initialize:start:stop:)``):
    /// 1.0, the lowest the SDK itself needs.
    ///
    /// Every SDK call to a slot newer than ABI 1.0 checks that the host has it (`IA_HAS`) and, when it does not,
    /// fails with ``PluginStatus/unsupported`` (a ``PluginError``, or a ``PluginRegistrationError`` from a
    /// registration) instead of calling past the end of the host's table. So a plugin rebuilt against a newer SDK
    /// still loads in an older host, and works there as far as that host has the slots it uses. Declare a higher
    /// minimum to have older hosts refuse the plugin at load time instead.
    public static var baselineMinor: UInt16 { 0 }

    /// The value of `IA_BUILD_SIGNATURE`: pointer width and byte order.
    ///
    /// The C macro is function-like (it uses `sizeof`), so Swift does not import it; this recomputes it.
    public static var buildSignature: UInt32 {
        #if _endian(little)
        let byteOrder: UInt32 = 0x01
        #else
        let byteOrder: UInt32 = 0x02
        #endif
        return 0x4941_0000 | (UInt32(MemoryLayout<UnsafeRawPointer>.size) << 8) | byteOrder
    }

    /// The value a C `sizeof` gives for `T`, for the `struct_size` field every ABI struct starts with.
    ///
    /// `stride` rather than `size`: Swift's `size` leaves out tail padding, C's `sizeof` includes it.
    static func structSize<T>(of type: T.Type) -> UInt32 {
        UInt32(MemoryLayout<T>.stride)
    }
}

extension PluginABI {
    /// A copy of a size-prefixed struct the host owns, read as the header says: only the bytes inside the host's
    /// `struct_size` (its first field), with fields beyond it reading as zero.
    ///
    /// Used for structs that grow in later minors (`ia_event`, `ia_job_run`): a host built against an older header
    /// hands a shorter one, and reading `pointee` whole would run past its end.
    static func sizedCopy<T>(of pointer: UnsafePointer<T>) -> T {
        let size = MemoryLayout<T>.size
        let raw = UnsafeRawPointer(pointer)
        let hostSize = Int(raw.load(as: UInt32.self))  // struct_size is the first field.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<T>.alignment)
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        storage.copyMemory(from: raw, byteCount: min(hostSize, size))
        return storage.load(as: T.self)
    }
}
