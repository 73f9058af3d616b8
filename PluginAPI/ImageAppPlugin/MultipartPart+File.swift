#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MultipartPart {
    /// Calls `body` with the path of a file that holds the part's bytes, for code that reads files (such as the
    /// `media.ingest` command, which another plugin runs on the same machine).
    ///
    /// A large part is already in a file the host spooled (``fileURL``), and `body` gets its path. A part the host kept
    /// in memory is written to a new temporary file (mode 0600, under `$TMPDIR` or `/tmp`), removed when `body`
    /// returns or throws. Either way the file is only to be read, during the call.
    ///
    /// ```swift
    /// let media = try part.withFile { path in
    ///     try host.dispatchCommand(MediaCommand.ingest, payload: IngestMediaInput(ownerId: owner, path: path, alt: alt))
    /// }
    /// ```
    ///
    /// - Throws: ``HTTPError/internalError`` when the temporary file cannot be written (or the host cannot read the
    ///   part); what `body` throws.
    public func withFile<Result>(_ body: (String) throws -> Result) throws -> Result {
        if let fileURL { return try body(fileURL.path) }
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/imageapp-part-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw HTTPError.internalError }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let written = try withBytes { bytes in
            defer { close(descriptor) }
            var offset = 0
            while offset < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written else { throw HTTPError.internalError }
        return try body(path)
    }
}
