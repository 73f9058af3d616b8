import AuthContract
import ImageAppPlugin
import MediaContract

extension MediaPlugin {
    /// Worker handlers: blobs of deleted media are deleted (after the rows' deletion committed), and a deleted
    /// user's media goes with them. Both are idempotent: deleting a blob twice, or rows already gone, does nothing.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("delete-blobs", events: MediaEvent.deleted) { [host] event in
            let deleted = try event.decodePayload(DeletedMedia.self)
            for key in deleted.blobKeys {
                try host.deleteBlob(key)
            }
        }
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { [host] event in
            let user = try event.decodePayload(UserEvent.self)
            _ = try host.dispatchCommand("media.delete_for_owner", payload: UserRef(userId: user.userId))
        }
    }
}
