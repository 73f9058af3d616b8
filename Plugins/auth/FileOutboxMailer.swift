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
        let stamp = String(Int64(now.timeIntervalSince1970 * 1_000_000))
        let name = "\(stamp)-\(Base64URL.encode(SecureRandom.bytes(6)))"
        let text = """
            From: \(Self.headerSafe(from))\r
            To: \(Self.headerSafe(message.to))\r
            Subject: \(Self.headerSafe(message.subject))\r
            Date: \(Self.rfc5322Date(now))\r
            Message-ID: <\(name)@image-app>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"))\r

            """
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

    /// Header values may not carry line breaks (header injection).
    private static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

