import Foundation
import PluginSupport

extension MailMessage {
    /// The message as RFC 5322 text with CRLF line ends: plain text in UTF-8, sent as 8-bit (every relay of the
    /// last two decades accepts it).
    func rfc5322(from: String, messageID: String, date: Date) -> String {
        let body = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return """
            From: \(Self.headerSafe(from))\r
            To: \(Self.headerSafe(to))\r
            Subject: \(Self.headerSafe(subject))\r
            Date: \(Self.rfc5322Date(date))\r
            Message-ID: <\(Self.headerSafe(messageID))@image-app>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(body)\r

            """
    }

    /// Header values may not carry line breaks of any kind (CR, LF, NEL, the Unicode separators: header injection)
    /// nor other controls and invisible formatting characters. Addresses with them are refused at sign-up; this
    /// guards rows stored before that rule. Non-ASCII text stays UTF-8 (RFC 6532), as `Content-Type` says.
    private static func headerSafe(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { !UnsafeCharacters.isRefused($0) }))
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
