import AuthContract
import ImageAppPlugin
import MediaContract

#if canImport(Glibc)
import Glibc
#endif

extension MediaPlugin {
    /// The service command `media.ingest` (ABI 1.13): the upload route's pipeline for a file another plugin holds, such
    /// as a part of the `posts` plugin's one-step form.
    func registerIngest(_ registrar: PluginRegistrar) throws {
        try registrar.serviceCommand(MediaCommand.ingest, ingestFile)
    }

    /// ``IngestMediaInput`` → ``MediaView``; see ``MediaCommand/ingest``.
    private func ingestFile(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(IngestMediaInput.self)
        let alt = try MediaRules.checkedAlt(input.alt)
        let bytes = try read(input.path)
        let host = command.host
        return .okJSON(try ingest(bytes, alt: alt, owner: input.ownerId) { host.log($0, $1) })
    }

    /// The bytes of the caller's file, with the route's size checks: 422 for a path that is not absolute or not a
    /// regular file (a link is not followed) or for an empty file, 413 over `max_bytes` (told before reading).
    private func read(_ path: String) throws -> [UInt8] {
        guard path.hasPrefix("/") else { throw HTTPError.unprocessable(fields: ["path": "must be an absolute path"]) }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw HTTPError.unprocessable(fields: ["path": "must name a regular file that can be read"]) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw HTTPError.unprocessable(fields: ["path": "must name a regular file that can be read"])
        }
        guard status.st_size <= settings.maxBytes else { throw fileTooLarge }
        guard status.st_size > 0 else { throw HTTPError.unprocessable(fields: ["file": "is empty"]) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            // A file that shrinks or fails while read is one the caller did not keep still: its problem, not a 500.
            guard count > 0 else { throw HTTPError.unprocessable(fields: ["path": "could not be read to its end"]) }
            filled += count
        }
        return bytes
    }
}
