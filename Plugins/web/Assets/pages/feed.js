// The three feeds: home (the accounts you follow, and yours), new (everyone's newest) and trending (with its tags).
import { h } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { postCard, wasDeleted } from "../components/post-card.js";
import { infiniteList } from "../components/infinite-list.js";
import { emptyState } from "../components/states.js";

const pageSize = 10;

function arrowUp() {
  const svg = h("svg:svg", { viewBox: "0 0 24 24", class: "icon", "aria-hidden": "true", focusable: "false" });
  svg.append(h("svg:path", { d: "M12 19V5M5 12l7-7 7 7" }));
  return svg;
}

function tabs(current, user) {
  const tab = (name, href, label) =>
    h("a", { class: "tab", href, dataset: { tab: name }, "aria-current": current === name ? "page" : null, text: label });
  return h(
    "nav",
    { class: "tabs", "aria-label": "Feeds" },
    user ? tab("home", "/", "Following") : null,
    tab("new", "/new", "New"),
    tab("trending", "/trending", "Trending"),
  );
}

function postList(ctx, path, { empty, label, onLoad = null }) {
  const list = infiniteList({
    fetchPage: (cursor, signal) => api.get(path, { cursor, limit: pageSize }, { signal }),
    renderItem: (post, index, { cached } = {}) =>
      cached && wasDeleted(post.id) ? null : postCard(post, { eager: index === 0, cached, onDeleted: (_, card) => card.remove() }),
    cacheKey: `${ctx.user?.id ?? "anonymous"} ${path}`,
    signal: ctx.signal,
    empty,
    className: "feed",
    label,
    onLoad,
  });
  return list;
}

export function home(ctx) {
  ctx.title("Home");
  const list = postList(ctx, "/feed/home", {
    label: "Posts from people you follow",
    onLoad: (items, { first }) => {
      if (first && items.length === 0) recheck(0);
    },
    empty: () =>
      h(
        "div",
        { class: "state state-empty feed-empty" },
        h("h2", { text: "Your feed is empty" }),
        h("p", { text: "Follow people to see their posts here. Find someone in the newest posts or what is trending." }),
        h(
          "p",
          { class: "feed-empty-actions" },
          h("a", { class: "button button-primary", href: "/new", text: "See new posts" }),
          h("a", { class: "button", href: "/trending", text: "See what is trending" }),
        ),
      ),
  });
  // Someone just followed lands here before the server has merged their posts into the feed (that runs in the
  // background): an empty feed looks again, quietly, a few times, and shows the posts once they are there.
  const delays = [1500, 4000, 10000];
  function recheck(attempt) {
    if (attempt >= delays.length) return;
    const timer = setTimeout(async () => {
      if (ctx.signal.aborted || list.items.childElementCount > 0) return;
      try {
        const page = await api.get("/feed/home", { limit: 1 }, { signal: ctx.signal });
        if (ctx.signal.aborted || list.items.childElementCount > 0) return;
        if (page?.items?.length) list.reload();
        else recheck(attempt + 1);
      } catch {
        // Nothing to do: the reader still has the empty feed and its suggestions.
      }
    }, delays[attempt]);
    ctx.onLeave(() => clearTimeout(timer));
  }
  let fresh = 0;
  const pill = h(
    "button",
    { type: "button", class: "new-posts", dataset: { newPosts: "" }, hidden: true, on: { click: () => showNew() } },
    arrowUp(),
    h("span", { text: "New posts" }),
  );
  function showNew() {
    fresh = 0;
    pill.hidden = true;
    window.scrollTo({ top: 0, behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    list.reload();
  }
  import("../lib/realtime.js")
    .then(({ realtime }) => {
      if (ctx.signal.aborted) return;
      const shown = (id) => Boolean(list.items.querySelector(`article.post[data-post-id="${CSS.escape(String(id ?? ""))}"]`));
      const offs = [
        realtime.on("feed.post", (data) => {
          if (shown(data?.post_id)) return;
          fresh += 1;
          pill.lastChild.textContent = fresh === 1 ? "1 new post" : `${fresh} new posts`;
          pill.hidden = false;
        }),
        // Messages sent while the connection was down are lost: ask whether the feed starts with something unseen.
        realtime.on("reconnected", async () => {
          try {
            const page = await api.get("/feed/home", { limit: 1 }, { signal: ctx.signal });
            const first = page?.items?.[0];
            if (first && !shown(first.id) && list.items.childElementCount > 0 && pill.hidden) {
              pill.lastChild.textContent = "New posts";
              pill.hidden = false;
            }
          } catch {
            // The next message or reload will do.
          }
        }),
      ];
      ctx.onLeave(() => offs.forEach((off) => off?.()));
    })
    .catch(() => {});
  return h(
    "section",
    { class: "feed-page" },
    h("h1", { class: "visually-hidden", text: "Home" }),
    tabs("home", ctx.user),
    h("div", { class: "new-posts-bar" }, pill),
    list,
  );
}

export function latest(ctx) {
  ctx.title("New posts");
  return h(
    "section",
    { class: "feed-page" },
    h("h1", { class: "visually-hidden", text: "New posts" }),
    tabs("new", ctx.user),
    postList(ctx, "/feed/new", {
      label: "Newest posts",
      empty: () =>
        emptyState(
          "No posts yet. Be the first to share a photo!",
          ctx.user ? h("a", { class: "button button-primary", href: "/compose", text: "New post" }) : null,
        ),
    }),
  );
}

export function trending(ctx) {
  ctx.title("Trending");
  const chips = h("ul", { class: "tag-chips", "aria-label": "Trending hashtags" });
  const tagsBox = h("div", { class: "trending-tags", hidden: true }, h("h2", { class: "section-title", text: "Trending tags" }), chips);
  api
    .get("/tags/trending", { limit: 12 }, { signal: ctx.signal })
    .then((answer) => {
      const items = answer?.items ?? [];
      if (ctx.signal.aborted || items.length === 0) return;
      for (const item of items) {
        chips.append(
          h(
            "li",
            {},
            h(
              "a",
              {
                class: "tag-chip",
                href: `/tags/${encodeURIComponent(item.tag)}`,
                title: `${item.accounts} ${item.accounts === 1 ? "person" : "people"} today`,
              },
              `#${item.tag}`,
            ),
          ),
        );
      }
      tagsBox.hidden = false;
    })
    .catch(() => {}); // the tags are extra: the posts below still show
  return h(
    "section",
    { class: "feed-page" },
    h("h1", { class: "visually-hidden", text: "Trending" }),
    tabs("trending", ctx.user),
    tagsBox,
    postList(ctx, "/feed/trending", {
      label: "Trending posts",
      empty: () =>
        emptyState(
          "Nothing is trending right now. Posts that get likes and comments show up here.",
          h("a", { class: "button", href: "/new", text: "See new posts" }),
        ),
    }),
  );
}
