import AuthContract
import ImageAppPlugin
import PluginSupport

extension NotificationsPlugin {
    /// `GET` and `PATCH /api/v1/notifications/settings`.
    func registerSettingsRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/notifications/settings",
            flags: .requireUser,
            summary: "Which notification types are on",
            description: "`{\"like\", \"comment\", \"reply\", \"mention\", \"follow\"}`, each `true` (the default) or `false`.",
            tag: "notifications",
            responseSchema: NotificationsSchemas.settings,
            handler: { [self] request in try settingsResponse(Self.caller(request), nil) }
        )
        try registrar.route(
            .patch,
            "/api/v1/notifications/settings",
            flags: .requireUser,
            summary: "Turns notification types on or off",
            description: "Any of `like`, `comment`, `reply`, `mention` and `follow` as booleans; the others stay as they "
                + "were. A type turned off makes no new notifications (those made stay). Answers every type's setting.",
            tag: "notifications",
            requestSchema: NotificationsSchemas.settingsPatch,
            responseSchema: NotificationsSchemas.settings,
            maxBodyBytes: 4 * 1024,
            handler: { [self] request in
                let user = try Self.caller(request)
                return try settingsResponse(user, try Self.settingsChanges(request.body))
            }
        )
    }

    /// The settings after `changes` (when given), as `{"<type>": bool}`.
    private func settingsResponse(_ user: UserID, _ changes: [String: Bool]?) throws -> Response {
        let disabled =
            try changes.map {
                try host.dispatchCommand("notifications.update_settings", payload: SettingsChange(userId: user, changes: $0), as: DisabledTypes.self)
            }
            ?? host.dispatchQuery("notifications.settings", payload: UserRef(userId: user), as: DisabledTypes.self)
        var settings: [String: Bool] = [:]
        for type in NotificationType.allCases { settings[type.rawValue] = !disabled.disabled.contains(type.rawValue) }
        return try Self.noStore(settings)
    }

    /// The body of `PATCH`: an object of the types' booleans; 422 naming unknown fields and values that are not
    /// booleans.
    private static func settingsChanges(_ body: [UInt8]) throws(HTTPError) -> [String: Bool] {
        let object = try JSONObjectBody(body, known: Set(NotificationType.names))
        var problems = object.unknownFieldProblems(of: "the notification settings")
        var changes: [String: Bool] = [:]
        for name in NotificationType.names {
            switch object.fields[name] {
            case nil: continue
            case .bool(let on)?: changes[name] = on
            default: problems.check(name, "must be true or false")
            }
        }
        try problems.throwIfAny()
        return changes
    }
}
