import ImageAppPlugin

extension TrendingPlugin {
    /// The scoring queries the job runs (README.md, "Trending", has the formulas).
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query("trending.score_posts", scorePosts)
        try registrar.query("trending.score_tags", scoreTags)
    }

    /// ``PostScoring`` → ``ScoredPosts``: the best posts of the window, best first.
    ///
    /// score = Σ over engagements of weight × 2^(−age / half-life), where a like weighs 1 and a comment
    /// `comment_weight`; each account counts once per kind and post, at its latest engagement of that kind. Posts
    /// outside the window, deleted or by a hidden (banned, deleted) author are left out, and so are engagements of
    /// hidden accounts and of the post's own author; a post with no engagement left has no score.
    private func scorePosts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostScoring.self)
        let rows = try query.db.execute(
            """
            SELECT p.post_id::text AS post_id,
                   sum(CASE e.kind WHEN 1 THEN 1.0 ELSE $2::float8 END
                       * power(2.0::float8, -greatest(0, extract(epoch FROM now() - e.at)) / 60.0 / $3::float8)) AS score
            FROM trending_posts p
            JOIN (SELECT post_id, kind, user_id, max(created_at) AS at FROM trending_engagements
                  GROUP BY post_id, kind, user_id) e ON e.post_id = p.post_id
            WHERE NOT p.deleted AND p.created_at > now() - make_interval(hours => $1::int)
              AND e.user_id <> p.author_id
              AND NOT EXISTS (SELECT 1 FROM trending_hidden_users h WHERE h.user_id = p.author_id)
              AND NOT EXISTS (SELECT 1 FROM trending_hidden_users h WHERE h.user_id = e.user_id)
            GROUP BY p.post_id
            ORDER BY score DESC, p.post_id DESC
            LIMIT $4
            """,
            [.int(input.windowHours), .text(String(input.commentWeight)), .int(input.halfLifeMinutes), .int(input.limit)]
        )
        let items = rows.compactMap { row -> ScoredPosts.Item? in
            guard let post = row["post_id"].flatMap({ Int64($0) }), let score = row["score"].flatMap({ Double($0) }) else { return nil }
            return ScoredPosts.Item(postId: post, score: score)
        }
        return try .ok(ScoredPosts(items: items))
    }

    /// ``TagScoring`` → ``ScoredTags``: the hashtags that draw more accounts today than they usually do, best first.
    ///
    /// Over accounts that are not hidden: today = the last 24 hours; `accounts` = distinct accounts that used the
    /// hashtag today (at least `min_accounts`); decayed = Σ over those accounts of 2^(−age / half-life), the age
    /// being that of the account's latest use; baseline = distinct (account, day) pairs over the `baseline_days` days
    /// before today, divided by `baseline_days`; score = decayed / (baseline + smoothing).
    private func scoreTags(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(TagScoring.self)
        let rows = try query.db.execute(
            """
            WITH uses AS (
                SELECT u.tag, u.user_id, u.created_at, extract(epoch FROM now() - u.created_at) AS age FROM trending_tag_uses u
                WHERE u.created_at > now() - make_interval(days => 1 + $1::int)
                  AND NOT EXISTS (SELECT 1 FROM trending_hidden_users h WHERE h.user_id = u.user_id)
            ), today AS (
                SELECT tag, count(*) AS accounts,
                       sum(power(2.0::float8, -greatest(0, min_age) / 60.0 / $2::float8)) AS decayed
                FROM (SELECT tag, user_id, min(age) AS min_age FROM uses WHERE age < 86400 GROUP BY tag, user_id) t
                GROUP BY tag HAVING count(*) >= $3::int
            ), baseline AS (
                SELECT tag, count(*)::float8 / $1::int AS per_day
                FROM (SELECT DISTINCT tag, user_id, floor(age / 86400) AS day FROM uses
                      WHERE age >= 86400 AND tag IN (SELECT tag FROM today)) d
                GROUP BY tag
            )
            SELECT t.tag, t.accounts, t.decayed / (coalesce(b.per_day, 0) + $4::float8) AS score
            FROM today t LEFT JOIN baseline b USING (tag)
            ORDER BY score DESC, t.accounts DESC, t.tag
            LIMIT $5
            """,
            [.int(input.baselineDays), .int(input.halfLifeMinutes), .int(input.minAccounts), .text(String(input.smoothing)), .int(input.limit)]
        )
        let items = rows.compactMap { row -> ScoredTags.Item? in
            guard let tag = row["tag"], let accounts = row["accounts"].flatMap({ Int64($0) }), let score = row["score"].flatMap({ Double($0) })
            else { return nil }
            return ScoredTags.Item(tag: tag, accounts: accounts, score: score)
        }
        return try .ok(ScoredTags(items: items))
    }
}
