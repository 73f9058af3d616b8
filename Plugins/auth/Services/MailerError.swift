/// A mailer could not hand a message over.
struct MailerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
