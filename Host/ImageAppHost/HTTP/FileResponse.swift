import Hummingbird
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A response body that is a range of an open file (`response_send_file`), streamed from disk as
/// the client reads it: at most one chunk of it is in memory, and none while the client is not
/// reading (the writer waits on the channel's backpressure).
///
/// Owns the descriptor and closes it when the last reference goes: after the body has been sent,
/// or with the exchange when the request ended otherwise (timeout, refusal, client gone).
/// Reads are `pread`s on NIO's shared blocking pool; `NonBlockingFileIO` would need the
/// descriptor wrapped in an `NIOFileHandle` that then insists on closing it itself.
final class FileResponse: Sendable {
    let descriptor: Int32
    let offset: UInt64
    let length: UInt64
    static let chunkSize = 64 * 1024

    /// Takes ownership of `descriptor`.
    init(descriptor: Int32, offset: UInt64, length: UInt64) {
        self.descriptor = descriptor
        self.offset = offset
        self.length = length
    }

    deinit {
        close(descriptor)
    }

    /// Why the file could not be sent as promised.
    enum Failure: Error {
        case read(errno: Int32)
        /// The file ended before `length` bytes: the connection is closed rather than the body padded.
        case truncated
    }

    /// The body: `length` bytes from `offset`, chunk by chunk, each read once `channel` has taken the one before.
    func body(on channel: any Channel) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            var position = self.offset
            let end = self.offset + self.length
            while position < end {
                let count = Int(min(UInt64(Self.chunkSize), end - position))
                let chunk = try await NIOThreadPool.singleton.runIfActive { [position] in try self.read(at: position, count: count) }
                try await writer.write(chunk)
                position += UInt64(count)
                try await WritabilityGate.wait(for: channel)
            }
            try await writer.finish(nil)
        }
    }

    /// `count` bytes at `position`, all of them or an error. Blocks.
    private func read(at position: UInt64, count: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        while buffer.readableBytes < count {
            let done = buffer.readableBytes
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { space in
                result = pread(descriptor, space.baseAddress, count - done, off_t(position) + off_t(done))
                return max(result, 0)
            }
            if result < 0 {
                guard errno == EINTR else { throw Failure.read(errno: errno) }
            } else if result == 0 {
                throw Failure.truncated
            }
        }
        return buffer
    }
}
