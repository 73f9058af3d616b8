/// What a notification is about (PRODUCT.md, "Notification").
enum NotificationType: String, Codable, CaseIterable, Sendable {
    /// Someone liked your post (grouped per post).
    case like
    /// Someone commented on your post.
    case comment
    /// Someone replied to your comment.
    case reply
    /// Someone mentioned you in a post or a comment.
    case mention
    /// Someone followed you (grouped).
    case follow

    /// The names, for messages and schemas.
    static let names = allCases.map(\.rawValue)
}
