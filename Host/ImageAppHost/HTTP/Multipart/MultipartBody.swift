import CImageAppPlugin
import Foundation

/// The parts of one multipart body, as the host read it: small parts in memory, large ones in files.
///
/// Owned by the exchange. Spooled files are removed by ``removeFiles()`` as soon as the host has answered (the
/// responder calls it however the request ended); memory and file mappings are freed with the exchange, once no
/// plugin code can hold a view any more. `@unchecked Sendable`: like the exchange, one thread at a time.
final class MultipartBody: @unchecked Sendable {
    /// One part.
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var size: Int
        var storage: Storage
    }

    /// Where a part's bytes are.
    enum Storage {
        /// In host memory (nil when empty).
        case memory(UnsafeMutableRawBufferPointer?)
        /// In a file under the host's temporary folder.
        case file(path: String)
    }

    private(set) var parts: [Part] = []
    /// Views handed out by `request_part_at`, made once per part.
    private var views: [Int: ia_multipart_part] = [:]
    /// Read-only mappings of spooled parts, made on first `request_part_bytes`.
    private var mappings: [Int: UnsafeRawBufferPointer] = [:]
    private let arena = CStringArena()
    private var filesRemoved = false

    func append(_ part: Part) {
        parts.append(part)
    }

    /// The paths of spooled parts.
    var spooledPaths: [String] {
        parts.compactMap { if case .file(let path) = $0.storage { path } else { nil } }
    }

    /// The ABI view of part `index` (views owned by this body).
    func view(_ index: Int) -> ia_multipart_part {
        if let made = views[index] { return made }
        let part = parts[index]
        var view = ia_multipart_part()
        view.struct_size = UInt32(MemoryLayout<ia_multipart_part>.size)
        view.name = arena.view(part.name)
        if let filename = part.filename {
            view.flags |= UInt32(IA_PART_HAS_FILENAME)
            view.filename = arena.view(filename)
        }
        if let type = part.contentType { view.content_type = arena.view(type) }
        view.size = UInt64(part.size)
        switch part.storage {
        case .memory(let bytes):
            view.data = bytes.flatMap { UnsafeRawPointer($0.baseAddress) }
        case .file(let path):
            view.flags |= UInt32(IA_PART_SPOOLED)
            view.path = arena.view(path)
        }
        views[index] = view
        return view
    }

    /// The bytes of part `index`: its memory, or its file mapped read-only. Nil when the file cannot be mapped.
    func bytes(_ index: Int) -> UnsafeRawBufferPointer? {
        let part = parts[index]
        switch part.storage {
        case .memory(let bytes):
            return bytes.map { UnsafeRawBufferPointer($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        case .file(let path):
            if let mapped = mappings[index] { return mapped }
            guard part.size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            guard let address = mmap(nil, part.size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
                return nil
            }
            let mapped = UnsafeRawBufferPointer(start: address, count: part.size)
            mappings[index] = mapped
            return mapped
        }
    }

    /// Removes the spooled files. Mappings stay valid: an unlinked file lives on while it is mapped.
    func removeFiles() {
        guard !filesRemoved else { return }
        filesRemoved = true
        for path in spooledPaths { unlink(path) }
    }

    deinit {
        removeFiles()
        for mapping in mappings.values { munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count) }
        for part in parts {
            if case .memory(let bytes?) = part.storage { bytes.deallocate() }
        }
    }
}
