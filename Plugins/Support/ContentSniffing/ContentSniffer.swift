import CMagic
import Synchronization

/// Tells what a sequence of bytes is by looking at its content, with libmagic (the library behind `file(1)`), rather
/// than believing a file name or a declared `Content-Type`.
///
/// ```swift
/// let sniffer = try ContentSniffer()
/// if sniffer.mimeType(of: upload) == "image/png" { … }
/// ```
///
/// A sniffer is safe to share between threads. A libmagic handle (`magic_t`) is not, so the sniffer keeps a small
/// pool of them: each call borrows one for its own use and hands it back, and a handle loads the magic database once,
/// when it is created. The first handle is created, and the database loaded, by ``init(maximumIdleHandles:)``, so a
/// missing or broken database is reported there rather than on first use.
///
/// It is `Sendable` without `@unchecked`: its only mutable state is the pool, behind a `Mutex`.
public final class ContentSniffer: Sendable {
    /// Idle handles, ready to be borrowed.
    private let idle: Mutex<[MagicHandle]>
    /// How many idle handles are kept; handles returned beyond that are closed.
    private let maximumIdleHandles: Int

    /// Creates a sniffer and loads the system's magic database (Debian: `/usr/lib/file/magic.mgc`, package
    /// `libmagic-mgc`; the `MAGIC` environment variable names another one).
    ///
    /// - Parameter maximumIdleHandles: How many libmagic handles to keep between calls (at least 1). More concurrent
    ///   calls than this still work; their extra handles are closed afterwards.
    /// - Throws: ``ContentSniffingError`` when libmagic cannot be set up or its database cannot be loaded.
    public init(maximumIdleHandles: Int = 8) throws(ContentSniffingError) {
        self.maximumIdleHandles = max(1, maximumIdleHandles)
        self.idle = Mutex([try MagicHandle.open()])
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { handle.close() }
            handles.removeAll()
        }
    }

    /// The MIME type of `bytes`, such as `image/png`, `text/plain` or `application/octet-stream`; `nil` when
    /// libmagic fails (out of memory, say).
    ///
    /// Only the content counts. Empty input is `application/x-empty`.
    public func mimeType(of bytes: UnsafeRawBufferPointer) -> String? {
        guard let handle = borrow() else { return nil }
        defer { giveBack(handle) }
        return handle.mimeType(of: bytes)
    }

    /// The MIME type of `bytes`; see ``mimeType(of:)-(UnsafeRawBufferPointer)``.
    public func mimeType(of bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { mimeType(of: $0) }
    }

    /// An idle handle, or a new one when all are in use; `nil` only if a new one cannot be opened.
    private func borrow() -> MagicHandle? {
        if let handle = idle.withLock({ $0.popLast() }) {
            return handle
        }
        return try? MagicHandle.open()
    }

    /// Returns a handle to the pool, or closes it when the pool is full.
    private func giveBack(_ handle: MagicHandle) {
        let kept = idle.withLock { handles in
            guard handles.count < maximumIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !kept { handle.close() }
    }
}

/// One libmagic handle with its database loaded.
///
/// The use of `@unchecked Sendable` is safe for this type because a handle is used by one thread at a time: the pool
/// in ``ContentSniffer`` hands it to one caller, who gives it back when done.
private struct MagicHandle: @unchecked Sendable {
    let cookie: magic_t

    /// Opens a handle that reports MIME types (`MAGIC_MIME_TYPE`) and errors as errors (`MAGIC_ERROR`) rather than as
    /// descriptions, and loads the default database.
    static func open() throws(ContentSniffingError) -> MagicHandle {
        guard let cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR) else {
            throw ContentSniffingError(message: "libmagic could not be initialised (magic_open failed)")
        }
        guard magic_load(cookie, nil) == 0 else {
            let reason = magic_error(cookie).map { String(cString: $0) } ?? "unknown error"
            magic_close(cookie)
            throw ContentSniffingError(message: "libmagic could not load its database: \(reason)")
        }
        return MagicHandle(cookie: cookie)
    }

    /// The MIME type libmagic reports for `bytes`, or `nil` on failure.
    func mimeType(of bytes: UnsafeRawBufferPointer) -> String? {
        // libmagic wants a valid pointer even for zero bytes.
        var empty: UInt8 = 0
        let result: UnsafePointer<CChar>? =
            if let base = bytes.baseAddress {
                magic_buffer(cookie, base, bytes.count)
            } else {
                magic_buffer(cookie, &empty, 0)
            }
        // The text belongs to the handle and lives until its next call: copy it now.
        return result.map { String(cString: $0) }
    }

    func close() {
        magic_close(cookie)
    }
}
