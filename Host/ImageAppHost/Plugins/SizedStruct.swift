import CImageAppPlugin

/// Reading and writing size-prefixed boundary structs whose size may differ from ours.
///
/// Sizes are C `sizeof` values, which in Swift is `MemoryLayout<T>.stride` (it counts tail
/// padding; `size` does not).
enum SizedStruct {
    /// The C `sizeof` of `T`, for the `struct_size` of structs the host fills.
    static func size<T>(of type: T.Type) -> UInt32 {
        UInt32(MemoryLayout<T>.stride)
    }

    /// A copy of a plugin-filled struct: fields beyond the plugin's `struct_size` read as zero,
    /// and bytes beyond what this host knows (a newer plugin's grown struct) are ignored.
    /// Returns nil when `struct_size` is smaller than `minimumSize`, the struct's size in the
    /// minor that introduced it (see ``MinimumSize``): growing a struct later never raises it.
    static func read<T>(_ pointer: UnsafePointer<T>, minimumSize: Int) -> T? {
        let declared = Int(UnsafeRawPointer(pointer).load(as: UInt32.self))
        guard declared >= minimumSize else { return nil }
        let known = MemoryLayout<T>.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: known, alignment: MemoryLayout<T>.alignment)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: known)
        buffer.copyMemory(from: pointer, byteCount: min(declared, known))
        return buffer.load(as: T.self)
    }

    /// Writes `value` into a plugin-owned struct, no further than the plugin's `struct_size`.
    static func write<T>(_ value: T, to pointer: UnsafeMutablePointer<T>) {
        let declared = Int(UnsafeRawPointer(pointer).load(as: UInt32.self))
        let count = min(declared, MemoryLayout<T>.size)
        guard count > MemoryLayout<UInt32>.size else { return }
        withUnsafeBytes(of: value) { bytes in
            // Keep the plugin's own struct_size; copy the fields after it.
            let offset = MemoryLayout<UInt32>.size
            UnsafeMutableRawPointer(pointer).advanced(by: offset).copyMemory(
                from: bytes.baseAddress!.advanced(by: offset),
                byteCount: count - offset
            )
        }
    }

    /// Where field `field` of `T` ends: the smallest `struct_size` that covers it.
    static func end<T, Field>(of field: KeyPath<T, Field>) -> Int {
        MemoryLayout<T>.offset(of: field)! + MemoryLayout<Field>.size
    }
}

/// The smallest `struct_size` the host accepts for each plugin-filled struct: the end of the
/// last field the struct had in the minor that introduced it. These stay fixed when fields are
/// appended, so a grown struct never makes the host refuse an older plugin. (Tail padding is
/// not required: a plugin that wrote the unpadded size still covers every field.)
enum MinimumSize {
    /// ABI 1.0 structs.
    static let descriptor = SizedStruct.end(of: \ia_plugin_descriptor.toolchain)
    static let route = SizedStruct.end(of: \ia_route_def.response_schema)
    static let middleware = SizedStruct.end(of: \ia_middleware_def.user_data)
    static let cliCommand = SizedStruct.end(of: \ia_cli_command_def.user_data)
    static let metric = SizedStruct.end(of: \ia_metric_def.bucket_count)
    static let principal = SizedStruct.end(of: \ia_principal.role)
    /// ABI 1.1.
    static let migration = SizedStruct.end(of: \ia_migration_def.sql)
    static let command = SizedStruct.end(of: \ia_command_def.user_data)
    /// ABI 1.2.
    static let eventHandler = SizedStruct.end(of: \ia_event_handler_def.reserved)
    /// ABI 1.3.
    static let job = SizedStruct.end(of: \ia_job_def.user_data)
    /// ABI 1.4.
    static let blobStore = SizedStruct.end(of: \ia_blob_store_def.user_data)
}
