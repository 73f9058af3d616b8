// A hashtag's page (/tags/:tag): its posts, newest first, as a grid of photos.
import { h, icon } from "../lib/dom.js";
import { api, ApiError } from "../lib/api.js";
import { normalizeTag } from "../lib/caption.js";
import { mediaImage } from "../components/media.js";
import { infiniteList } from "../components/infinite-list.js";
import { emptyState } from "../components/states.js";

const numberFormat = new Intl.NumberFormat();

/** A grid cell linking to the post: its first photo, a mark for several, counts on hover. */
export function gridItem(post) {
  const first = post.media?.[0];
  const by = `Post by ${post.author?.handle ?? "someone"}`;
  const label = post.caption ? `${by}: ${post.caption.slice(0, 100)}` : by;
  return h(
    "a",
    { class: "grid-item", href: `/p/${encodeURIComponent(post.id)}`, "aria-label": label, dataset: { postId: String(post.id) } },
    first ? mediaImage(first, { thumbnail: true }) : h("div", { class: "media media-thumb" }),
    post.media?.length > 1 ? h("span", { class: "grid-multi", title: `${post.media.length} photos`, "aria-hidden": "true" }, stackIcon()) : null,
    h(
      "span",
      { class: "grid-counts", "aria-hidden": "true" },
      h("span", {}, icon("heart"), numberFormat.format(post.like_count ?? 0)),
      h("span", {}, icon("comment"), numberFormat.format(post.comment_count ?? 0)),
    ),
  );
}

function stackIcon() {
  const svg = h("svg:svg", { viewBox: "0 0 24 24", class: "icon", "aria-hidden": "true", focusable: "false" });
  svg.append(h("svg:path", { d: "M8 8h12v12H8zM4 16V4h12" }));
  return svg;
}

export default function tagPage(ctx) {
  const tag = normalizeTag(String(ctx.params.tag ?? "").replace(/^[#＃]/, ""));
  ctx.title(`#${tag}`);
  const heading = h(
    "header",
    { class: "tag-header" },
    h("h1", { class: "tag-title", text: `#${tag}` }),
    h("p", { class: "tag-sub", text: "Newest posts with this hashtag" }),
  );
  const list = infiniteList({
    fetchPage: async (cursor, signal) => {
      try {
        return await api.get(`/tags/${encodeURIComponent(tag)}/posts`, { cursor, limit: 24 }, { signal });
      } catch (error) {
        // Not something that could be a hashtag: nothing to list, and nothing to retry.
        if (error instanceof ApiError && error.status === 404) return { items: [], next_cursor: null };
        throw error;
      }
    },
    renderItem: (post) => gridItem(post),
    cacheKey: `tag ${tag}`,
    signal: ctx.signal,
    className: "post-grid",
    label: `Posts tagged #${tag}`,
    empty: () => {
      const start = `/compose?caption=${encodeURIComponent(`#${tag} `)}`;
      return emptyState(`No posts with #${tag} yet.`, ctx.user ? h("a", { class: "button button-primary", href: start, text: "Be the first" }) : null);
    },
  });
  return h("section", { class: "tag-page" }, heading, list);
}
