import AuthContract
import ImageAppPlugin
import PluginSupport
import ProfilesContract

extension FollowsPlugin {
    /// Worker handlers, each idempotent: a deleted account's follows go, both directions, and the counts others show
    /// fall with them.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { [host] event in
            let user = try event.decodePayload(UserEvent.self)
            while true {
                let batch = try host.dispatchCommand("follows.delete_for_user", payload: UserRef(userId: user.userId), as: DeletedFollows.self)
                for other in batch.userIds {
                    try GuardedCache.changed(tag: ProfilesCollaboration.countsTag(other), host: host)
                }
                if batch.done { break }
            }
        }
    }
}
