/// Sends mail. The default backend writes files (``FileOutboxMailer``); an SMTP backend can implement this later
/// without touching the flows that send.
protocol Mailer: Sendable {
    /// Sends one message; throws when it could not be handed over.
    func send(_ message: MailMessage) throws
}
