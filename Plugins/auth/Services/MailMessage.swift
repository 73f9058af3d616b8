/// One plain-text message.
struct MailMessage: Sendable, Equatable {
    var to: String
    var subject: String
    var text: String
}
