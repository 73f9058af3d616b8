import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// Reads a `multipart/form-data` request body (RFC 7578) as it streams in, chunk by chunk, with MultipartKit's
/// callback parser: parts up to `MultipartSettings.memoryBytes` are kept in memory, larger ones are written to a file
/// as their bytes arrive, and every limit is checked as soon as it is passed, so a refused body is never held whole.
///
/// Files are written in place on the event loop: a chunk is one socket read (tens of KiB) going to the page cache,
/// and moving each write to a thread would cost more than it saves at these sizes.
final class MultipartReader {
    private let limits: MultipartLimits
    private let settings: MultipartSettings
    private let form = MultipartBody()
    private var failure: MultipartFailure?

    // The part being read.
    private var inPart = false
    private var headers: [(name: String, value: String)] = []
    private var memory: [UInt8] = []
    private var file: (descriptor: Int32, path: String)?
    private var size = 0
    /// Whether the parser's last event ended a part (the body may end only then).
    private var lastEndedPart = false

    private let parser: MultipartParser
    private var scanner: MultipartScanner
    /// Body bytes so far, framing included.
    private var total = 0

    /// A reader for a body with `boundary` (see ``boundary(_:)``). Feed it with ``consume(_:)``, then ``finish()``.
    init(boundary: String, limits: MultipartLimits, settings: MultipartSettings) {
        self.limits = limits
        self.settings = settings
        parser = MultipartParser(boundary: boundary)
        scanner = MultipartScanner(boundary: Array(boundary.utf8))
        parser.onHeader = { [unowned self] name, value in header(name, value) }
        parser.onBody = { [unowned self] chunk in bodyBytes(chunk) }
        parser.onPartComplete = { [unowned self] in partComplete() }
    }

    /// The parts of `request`'s body, or why it is refused. Whatever happens, no file is left behind but those of the
    /// returned body, which its owner removes.
    static func read(
        _ request: Request,
        limits: MultipartLimits,
        settings: MultipartSettings
    ) async -> Result<MultipartBody, MultipartFailure> {
        let reader: MultipartReader
        switch boundary(request.headers[.contentType]) {
        case .success(let boundary): reader = MultipartReader(boundary: boundary, limits: limits, settings: settings)
        case .failure(let failure): return .failure(failure)
        }
        do {
            for try await chunk in request.body {
                if let failure = reader.consume(chunk) {
                    reader.discard()
                    return .failure(failure)
                }
            }
        } catch {
            // The connection closed or failed midway.
            reader.discard()
            return .failure(.malformed("The request body could not be read to its end."))
        }
        let result = reader.finish()
        if case .failure = result { reader.discard() }
        return result
    }

    /// Reads the next chunk of the body; a failure ends the reading (then call ``discard()``).
    func consume(_ chunk: ByteBuffer) -> MultipartFailure? {
        total += chunk.readableBytes
        guard total <= limits.maxTotalBytes else { return .tooLarge(limit: "total_bytes", maximum: limits.maxTotalBytes) }
        // The parser ignores what follows the closing delimiter; it is only counted.
        if scanner.isClosed { return nil }
        guard chunk.withUnsafeReadableBytes({ scanner.scan($0) }) else {
            return .malformed("A part has a header name that is not ASCII.")
        }
        do {
            try parser.execute(chunk)
        } catch {
            return failure ?? .malformed("The multipart body is malformed.")
        }
        return failure
    }

    /// After the last chunk: the parts, or why the body is refused (then call ``discard()``).
    func finish() -> Result<MultipartBody, MultipartFailure> {
        if let failure { return .failure(failure) }
        guard scanner.isClosed, lastEndedPart, !inPart else {
            return .failure(.malformed("The multipart body ends before its closing delimiter."))
        }
        return .success(form)
    }

    /// Whether a Content-Type's media type, parameters aside and in any case, is `multipart/form-data`.
    static func isFormData(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        return contentType.prefix(while: { $0 != ";" }).trimmingWhitespace().lowercased() == "multipart/form-data"
    }

    /// The boundary of a `multipart/form-data` Content-Type.
    static func boundary(_ contentType: String?) -> Result<String, MultipartFailure> {
        guard let contentType, isFormData(contentType) else { return .failure(.unsupportedMediaType) }
        guard let header = HeaderValue(parsing: contentType) else {
            return .failure(.malformed("The Content-Type's parameters cannot be read (an unclosed quote?)."))
        }
        guard let boundary = header.parameters["boundary"] else {
            return .failure(.malformed("The Content-Type has no boundary parameter."))
        }
        // RFC 2046 §5.1.1: 1-70 of letters, digits and '()+_,-./:=? and space, not ending in a space.
        let allowed = Set("'()+_,-./:=? ".utf8)
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " "),
            bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || allowed.contains($0) })
        else {
            return .failure(.malformed("The multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? characters."))
        }
        return .success(boundary)
    }

    // MARK: Parser events

    private func header(_ name: String, _ value: String) {
        guard failure == nil else { return }
        startPartIfNeeded()
        headers.append((name, value))
        lastEndedPart = false
    }

    private func bodyBytes(_ chunk: ByteBuffer) {
        guard failure == nil else { return }
        startPartIfNeeded()
        lastEndedPart = false
        size += chunk.readableBytes
        guard size <= limits.maxPartBytes else {
            failure = .tooLarge(limit: "part_bytes", maximum: limits.maxPartBytes)
            return
        }
        if let file {
            chunk.withUnsafeReadableBytes { write($0, to: file.descriptor) }
            return
        }
        memory.append(contentsOf: chunk.readableBytesView)
        if memory.count > settings.memoryBytes { spool() }
    }

    private func partComplete() {
        guard failure == nil else { return }
        startPartIfNeeded()
        lastEndedPart = true
        inPart = false
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }.flatMap { HeaderValue(parsing: $0.value) }
        guard let disposition, disposition.value == "form-data", let name = disposition.parameters["name"] else {
            failure = .malformed("Every part needs a 'Content-Disposition: form-data' header with a name.")
            return
        }
        let filename = disposition.parameters["filename*"].flatMap(Self.extendedValue) ?? disposition.parameters["filename"]
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
        let storage: MultipartBody.Storage
        if let file {
            close(file.descriptor)
            self.file = nil
            storage = .file(path: file.path)
        } else if memory.isEmpty {
            storage = .memory(nil)
        } else {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: memory.count, alignment: 1)
            bytes.copyBytes(from: memory)
            storage = .memory(bytes)
        }
        form.append(.init(name: name, filename: filename, contentType: contentType, size: size, storage: storage))
        headers = []
        memory = []
        size = 0
    }

    private func startPartIfNeeded() {
        guard !inPart else { return }
        inPart = true
        if form.parts.count + 1 > limits.maxParts {
            failure = .tooLarge(limit: "parts", maximum: limits.maxParts)
        }
    }

    // MARK: Spooling

    /// Moves the part's bytes so far to a new file; the rest of the part follows there.
    private func spool() {
        mkdir(settings.temporaryDirectory, 0o700)
        var template = Array((settings.temporaryDirectory + "/upload-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            failure = .storage("cannot create a file in \(settings.temporaryDirectory): errno \(errno)")
            return
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = (descriptor, path)
        memory.withUnsafeBytes { write($0, to: descriptor) }
        memory = []
    }

    private func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                if failure == nil { failure = .storage("cannot write a spooled part: errno \(errno)") }
                return
            }
            offset += result
        }
    }

    /// Closes and removes the file of an unfinished part and the files of finished ones.
    func discard() {
        if let file {
            close(file.descriptor)
            unlink(file.path)
            self.file = nil
        }
        form.removeFiles()
    }

    /// An RFC 8187 `ext-value` (`UTF-8''na%C3%AFve.png`), decoded; nil for another charset or a malformed one.
    private static func extendedValue(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return PercentDecoding.decode(pieces[2])
    }
}
