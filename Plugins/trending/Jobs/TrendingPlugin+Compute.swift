import ImageAppPlugin
import PluginSupport

extension TrendingPlugin {
    /// The job `compute`: one worker at a time (the host's job lease), every `interval_ms`, prunes the tables, scores
    /// posts and hashtags in SQL and publishes both rankings. Safe to repeat: each run replaces what the last wrote.
    func registerCompute(_ registrar: PluginRegistrar) throws {
        try registrar.job("compute", every: .milliseconds(settings.intervalMilliseconds)) { [self] _ in
            try compute()
        }
    }

    /// One computation.
    func compute() throws {
        _ = try host.dispatchCommand(
            "trending.prune",
            payload: PruneInput(windowHours: settings.windowHours, tagDays: settings.tagBaselineDays + 1)
        )
        let posts = try host.dispatchQuery(
            "trending.score_posts",
            payload: PostScoring(
                windowHours: settings.windowHours,
                halfLifeMinutes: settings.halfLifeMinutes,
                commentWeight: settings.commentWeight,
                limit: settings.topPosts
            ),
            as: ScoredPosts.self
        )
        try store.publishPosts(posts.items)
        let tags = try host.dispatchQuery(
            "trending.score_tags",
            payload: TagScoring(
                baselineDays: settings.tagBaselineDays,
                halfLifeMinutes: settings.tagHalfLifeMinutes,
                minAccounts: settings.tagMinAccounts,
                smoothing: settings.tagSmoothing,
                limit: settings.topTags
            ),
            as: ScoredTags.self
        )
        try store.publishTags(tags.items)
        // Cached first pages and tag lists show the old rankings (pages after a cursor keep theirs); the marker keeps
        // a page built from the old ranking just now from being stored after this.
        try GuardedCache.changed(tag: Self.rankingCacheTag, host: host)
    }

    /// The cache tag of answers that read the current rankings.
    static let rankingCacheTag = "trending:rankings"
}
