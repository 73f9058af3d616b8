import Foundation
import PluginCrypto

/// A ``Mailer`` that hands each message to the system's `sendmail` (`sendmail -t -i`, as Postfix, Exim, msmtp and
/// nullmailer all provide): the local mail system then does delivery, TLS, relay authentication, queueing and retries,
/// which a web process should not.
///
/// `-t` takes the recipients from the message's headers, `-i` keeps a line with a single dot from ending it. A
/// non-zero exit, or no exit within `timeout`, is a failure.
struct SendmailMailer: Mailer {
    let path: String
    let from: String
    var timeout: Duration = .seconds(30)

    func send(_ message: MailMessage) throws {
        let id = "\(Int64(Date().timeIntervalSince1970 * 1_000_000))-\(Base64URL.encode(SecureRandom.bytes(6)))"
        let text = message.rfc5322(from: from, messageID: id, date: Date())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-i"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw MailerError(message: "cannot run \(path): \(error)")
        }
        // A program that exits without reading all of it makes this an EPIPE error (the host ignores SIGPIPE); its
        // exit status below says what went wrong.
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let (seconds, attoseconds) = timeout.components
        guard finished.wait(timeout: .now() + .milliseconds(Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000))) == .success
        else {
            process.terminate()
            throw MailerError(message: "\(path) did not finish within \(timeout)")
        }
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: errors.fileHandleForReading.availableData.prefix(500), as: UTF8.self)
            throw MailerError(message: "\(path) exited with \(process.terminationStatus): \(detail)")
        }
    }
}
