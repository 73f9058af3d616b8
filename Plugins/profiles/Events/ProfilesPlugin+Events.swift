import AuthContract
import ImageAppPlugin
import PluginSupport
import ProfilesContract

extension ProfilesPlugin {
    /// Worker handlers for `auth`'s `user.registered` and `user.deleted`. Both are safe to run again for the same
    /// event (delivery is at least once): creating does nothing when the row exists, deleting leaves a tombstone that
    /// answers the same avatar keys again.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("user-registered", events: AuthEvent.userRegistered, onRegistered)
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted, onDeleted)
        // Any change to a user (a ban, a role, a verified email, by auth or anyone) drops the cached answers about them,
        // right after the commit and again after auth's own invalidation: a body built from the old state and stored
        // just after that invalidation is caught by the change marker this sets (see ``cache(_:of:_:)``).
        try registrar.eventHandler("refresh-cached-user", events: AuthEvent.anyUserEvent, inProcess: true) { event in
            // This plugin's own changes were invalidated by the route that made them, before it answered.
            guard event.source != "profiles", let user = try? event.decodePayload(UserRef.self) else { return }
            profileChanged(user.userId)
        }
        // Profile sync: nothing copies an author's profile into rows (posts, comments and feeds embed the summary
        // when they render, and cache what they render under `user:<id>`), so one tag invalidation refreshes every
        // copy at once. The route that made the change invalidated already; this worker handler does it again from
        // the durable event stream, so a process that died between the commit and its invalidation cannot leave
        // stale copies behind (delivery is retried until it succeeds).
        try registrar.eventHandler("profile-sync", events: ProfilesEvent.profileUpdated) { event in
            let user = try event.decodePayload(UserRef.self)
            try GuardedCache.changed(tag: ProfilesCollaboration.userTag(user.userId), host: host)
        }
    }

    /// Creates the profile with the display name given at registration.
    private func onRegistered(_ event: Event) throws {
        let user = try event.decodePayload(UserRegistered.self)
        _ = try host.dispatchCommand(
            "profiles.create",
            payload: CreateInput(userId: user.userId, displayName: user.displayName, handle: user.handle)
        )
        // A `/me` cached before the profile existed showed the defaults.
        profileChanged(user.userId)
    }

    /// Deletes the profile, then the avatar's blobs (which the command cannot do: it may run more than once and
    /// touches only the database). A failure to delete a blob fails the delivery, so it is tried again.
    private func onDeleted(_ event: Event) throws {
        let user = try event.decodePayload(UserRef.self)
        let deleted = try host.dispatchCommand(
            "profiles.delete",
            payload: UserRef(userId: user.userId),
            as: DeleteOutput.self
        )
        profileChanged(user.userId)
        for key in deleted.avatarKeys {
            try host.deleteBlob(key)
        }
    }
}
