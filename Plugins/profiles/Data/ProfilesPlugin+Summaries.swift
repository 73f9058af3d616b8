import AuthContract
import ImageAppPlugin
import ProfilesContract

extension ProfilesPlugin {
    /// ``UserIDs`` → ``UserSummaryList``: accounts from `auth.public_accounts` (banned ones dropped), joined with
    /// the profile rows in one statement.
    func summaries(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(UserIDs.self)
        guard input.userIds.count <= UserIDs.maxCount else {
            throw HTTPError.unprocessable(fields: ["user_ids": "must list at most \(UserIDs.maxCount) ids"])
        }
        guard !input.userIds.isEmpty else { return try .ok(UserSummaryList(items: [])) }
        let accounts = try host.dispatchQuery(
            AuthQuery.publicAccounts,
            payload: AccountsLookup(userIds: input.userIds),
            as: PublicAccountList.self
        ).items.filter { !$0.banned }
        guard !accounts.isEmpty else { return try .ok(UserSummaryList(items: [])) }
        let rows = try query.db.execute(
            "SELECT user_id::text AS user_id, \(StoredProfile.columns) FROM profiles WHERE user_id = ANY($1::bigint[])",
            [.text("{" + accounts.map(\.id.description).joined(separator: ",") + "}")]
        )
        var profiles: [UserID: StoredProfile] = [:]
        for row in rows {
            guard let id = row["user_id"].flatMap({ Int64($0) }).map(UserID.init) else { continue }
            profiles[id] = StoredProfile(userId: id, row: row)
        }
        let byID = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = try input.userIds.compactMap { id throws -> UserSummary? in
            guard let account = byID[id] else { return nil }
            let profile = try (profiles[id] ?? StoredProfile(userId: id)).withAvatarURL(query.host)
            return UserSummary(id: id, handle: account.handle, displayName: profile.displayName, avatarUrl: profile.avatarUrl)
        }
        return try .ok(UserSummaryList(items: items))
    }
}
