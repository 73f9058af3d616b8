import AuthContract
import CommentsContract
import MediaContract

/// One notification an event makes: for whom, of what type, about what.
struct NotificationTarget: Codable, Sendable {
    var userId: UserID
    var type: NotificationType
    /// The subject: recipients' unread notifications with the same key group into one.
    var groupKey: String
    var postId: PostID?
    var commentId: CommentID?

    static func like(_ post: PostID, author: UserID) -> NotificationTarget {
        NotificationTarget(userId: author, type: .like, groupKey: "like:\(post)", postId: post)
    }

    static func follow(_ followee: UserID) -> NotificationTarget {
        NotificationTarget(userId: followee, type: .follow, groupKey: "follow")
    }
}

/// The payload of `notifications.add`: the event's targets, all for one actor.
struct NewNotifications: Codable, Sendable {
    var eventId: String
    /// RFC 3339: when the actor acted (the event's time, not the handling's: the list's order is what happened).
    var occurredAt: String
    var actorId: UserID
    var targets: [NotificationTarget]
}

/// The payload of `notifications.retract`: an unlike or unfollow takes the actor out of the unread group.
struct Retraction: Codable, Sendable {
    var eventId: String
    var actorId: UserID
    var target: NotificationTarget
}

/// The result of the commands that change notifications: the recipients whose notifications changed, with the
/// changed notification's id (`nil` when it went).
struct Touched: Codable, Sendable {
    struct Item: Codable, Sendable {
        var userId: UserID
        var notificationId: Int64?
    }

    var items: [Item]
}

/// The payload of `notifications.delete_about`: a deleted post or comment.
struct DeletedSubject: Codable, Sendable {
    var postId: PostID?
    var commentId: CommentID?
}

/// The result of `notifications.delete_for_user`: recipients whose notifications changed in this batch.
struct DeletedForUser: Codable, Sendable {
    var userIds: [UserID]
    var done: Bool
}

/// The payload of `notifications.set_banned`.
struct BanState: Codable, Sendable {
    var userId: UserID
    var banned: Bool
}

/// The payload of `notifications.read`: exactly one of `ids`, `up_to` and `all`.
struct ReadInput: Codable, Sendable {
    var userId: UserID
    var ids: [Int64]?
    var upTo: Int64?
    var all: Bool?
}

/// The payload of `notifications.page`.
struct NotificationSlice: Codable, Sendable {
    var userId: UserID
    /// `nil` for every type.
    var types: [NotificationType]?
    /// Microseconds since 1970 and the id of the last item of the page before; `nil` for the first page.
    var beforeTime: Int64?
    var beforeId: Int64?
    var limit: Int
}

/// The payload of `notifications.changes`.
struct NotificationIDs: Codable, Sendable {
    var userId: UserID
    var ids: [Int64]
}

/// What `notifications.changes` answers for a push: the changed notifications as they are now, and the unread count.
struct NotificationChanges: Codable, Sendable {
    var items: [NotificationRow]
    var unreadCount: Int64
}

/// One stored notification, as the queries answer it: the newest visible actors' ids (up to five, so that a few
/// banned in the meantime still leave three) and the count of all visible ones.
struct NotificationRow: Codable, Sendable {
    var id: Int64
    var type: NotificationType
    var postId: PostID?
    var commentId: CommentID?
    var read: Bool
    /// Microseconds since 1970 of the last activity: the cursor's time.
    var time: Int64
    /// RFC 3339 of the same.
    var at: String
    var actorCount: Int64
    var actorIds: [UserID]
}

/// The result of `notifications.page`.
struct NotificationRows: Codable, Sendable {
    var items: [NotificationRow]
}

/// The payload of `notifications.update_settings`: the types to turn on or off.
struct SettingsChange: Codable, Sendable {
    var userId: UserID
    var changes: [String: Bool]
}

/// The result of `notifications.settings` and `notifications.update_settings`: the types turned off.
struct DisabledTypes: Codable, Sendable {
    var disabled: [String]
}

/// The payload of `notifications.prune`.
struct PruneInput: Codable, Sendable {
    var keepDays: Int
    var limit: Int
}

/// The result of `notifications.prune`.
struct Pruned: Codable, Sendable {
    var deleted: Int
}
