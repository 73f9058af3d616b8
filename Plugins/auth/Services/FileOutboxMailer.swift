import Foundation
import PluginCrypto

/// A ``Mailer`` that writes each message as an RFC 5322 file (`.eml`) in a local folder, for development, tests
/// and operators without a mail relay: the links in it are what a user would have received.
///
/// Files are written under a temporary name and renamed, so a reader never sees half a message; names sort by time.
struct FileOutboxMailer: Mailer {
    let directory: String
    let from: String

    func send(_ message: MailMessage) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = Date()
        let name = "\(Int64(now.timeIntervalSince1970 * 1_000_000))-\(Base64URL.encode(SecureRandom.bytes(6)))"
        let text = message.rfc5322(from: from, messageID: name, date: now)
        let temporary = "\(directory)/.\(name).tmp"
        let final = "\(directory)/\(name).eml"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw MailerError(message: "cannot write \(temporary)") }
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: final)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
