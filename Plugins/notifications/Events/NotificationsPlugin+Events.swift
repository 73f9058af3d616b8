import AuthContract
import CommentsContract
import FollowsContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PostsContract

extension NotificationsPlugin {
    /// Worker handlers, one per source, so that each source's events are handled in their order (an unlike after
    /// its like). Each is idempotent: the commands record the event per recipient.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("likes", events: "like.*") { [self] event in
            let like = try event.decodePayload(LikeEvent.self)
            let target = NotificationTarget.like(like.postId, author: like.postAuthorId)
            switch event.type {
            case LikesEvent.created: try notify(event, actor: like.userId, [target])
            case LikesEvent.deleted: try retract(event, actor: like.userId, target)
            default: return
            }
            pushPostCounts(like.postId, to: like.postAuthorId)
        }
        try registrar.eventHandler("follows", events: "follow.*") { [self] event in
            let follow = try event.decodePayload(FollowEvent.self)
            let target = NotificationTarget.follow(follow.followeeId)
            switch event.type {
            case FollowsEvent.created: try notify(event, actor: follow.followerId, [target])
            case FollowsEvent.deleted: try retract(event, actor: follow.followerId, target)
            default: return
            }
        }
        try registrar.eventHandler("comments", events: "comment.*") { [self] event in
            switch event.type {
            case CommentsEvent.created:
                let comment = try event.decodePayload(CommentCreated.self)
                try notify(event, actor: comment.authorId, Self.targets(of: comment))
            case CommentsEvent.deleted:
                let comment = try event.decodePayload(CommentDeleted.self)
                try deleteAbout(DeletedSubject(commentId: comment.commentId))
            default: return
            }
        }
        try registrar.eventHandler("posts", events: "post.*") { [self] event in
            switch event.type {
            case PostsEvent.created:
                let post = try event.decodePayload(PostEvent.self)
                let targets = post.mentions.map {
                    NotificationTarget(userId: $0.id, type: .mention, groupKey: "mention:post:\(post.postId)", postId: post.postId)
                }
                try notify(event, actor: post.authorId, targets)
            case PostsEvent.deleted:
                try deleteAbout(DeletedSubject(postId: try event.decodePayload(PostEvent.self).postId))
            default: return  // An edit's new mentions do not notify: the post is not new to anyone.
            }
        }
        try registrar.eventHandler("users", events: AuthEvent.anyUserEvent) { [self] event in
            switch event.type {
            case AuthEvent.userDeleted: try userDeleted(try event.decodePayload(UserEvent.self).userId)
            case AuthEvent.userBanned, AuthEvent.userUnbanned: try banChanged(try event.decodePayload(UserEvent.self).userId)
            default: return
            }
        }
    }

    /// A comment's notifications: a reply to the parent's author, a comment to the post's author, a mention to the
    /// others it names — one each, the first that applies, never to the comment's author.
    static func targets(of comment: CommentCreated) -> [NotificationTarget] {
        var targets: [NotificationTarget] = []
        var notified: Set<UserID> = [comment.authorId]
        let (post, id) = (comment.postId, comment.commentId)
        if let parentAuthor = comment.parentAuthorId, notified.insert(parentAuthor).inserted {
            targets.append(NotificationTarget(userId: parentAuthor, type: .reply, groupKey: "reply:\(id)", postId: post, commentId: id))
        }
        if notified.insert(comment.postAuthorId).inserted {
            targets.append(NotificationTarget(userId: comment.postAuthorId, type: .comment, groupKey: "comment:\(id)", postId: post, commentId: id))
        }
        for mention in comment.mentions where notified.insert(mention.id).inserted {
            targets.append(NotificationTarget(userId: mention.id, type: .mention, groupKey: "mention:comment:\(id)", postId: post, commentId: id))
        }
        return targets
    }

    /// Adds the event's notifications and pushes them. A banned or deleted actor notifies no one (the command tells).
    private func notify(_ event: Event, actor: UserID, _ targets: [NotificationTarget]) throws {
        let targets = targets.filter { $0.userId != actor }
        guard !targets.isEmpty else { return }
        let touched = try host.dispatchCommand(
            "notifications.add",
            payload: NewNotifications(eventId: event.id, occurredAt: event.occurredAt, actorId: actor, targets: targets),
            as: Touched.self
        )
        push(touched.items)
    }

    /// Takes the actor out of the target's unread group and pushes the change.
    private func retract(_ event: Event, actor: UserID, _ target: NotificationTarget) throws {
        guard target.userId != actor else { return }
        let touched = try host.dispatchCommand(
            "notifications.retract",
            payload: Retraction(eventId: event.id, actorId: actor, target: target),
            as: Touched.self
        )
        push(touched.items)
    }

    private func deleteAbout(_ subject: DeletedSubject) throws {
        push(try host.dispatchCommand("notifications.delete_about", payload: subject, as: Touched.self).items)
    }

    private func userDeleted(_ user: UserID) throws {
        while true {
            let batch = try host.dispatchCommand("notifications.delete_for_user", payload: UserRef(userId: user), as: DeletedForUser.self)
            push(batch.userIds.map { Touched.Item(userId: $0, notificationId: nil) })
            if batch.done { return }
        }
    }

    /// Bans and unbans may be handled out of order: each event only says "look again", and the account decides.
    private func banChanged(_ user: UserID) throws {
        let account: Account
        do {
            account = try host.dispatchQuery(AuthQuery.account, payload: UserRef(userId: user), as: Account.self)
        } catch let error as HTTPError where error.status == 404 {
            return  // Deleted meanwhile: user.deleted takes the notifications.
        }
        _ = try host.dispatchCommand("notifications.set_banned", payload: BanState(userId: user, banned: account.banned))
    }
}
