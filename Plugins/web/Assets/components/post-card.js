// A post as it appears in feeds and on its own page: author, images (a swipeable carousel for several), likes with
// an instant answer, the comment count and the caption.
import { h, icon } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { currentUser, isAdmin } from "../lib/session.js";
import { timeAgo } from "../lib/time.js";
import { renderCaption } from "../lib/caption.js";
import { mediaImage } from "./media.js";
import { avatar, userLink } from "./user.js";
import { errorToast, toast } from "./states.js";
import { confirmAction } from "./confirm.js";

// Cards on screen by post id, for counts pushed by the server (`post.counts`).
const cardsByPost = new Map();
let listening = false;
// What this page learnt about posts since it loaded them (a like, a new comment, a deletion), so that a list shown
// again from memory (going back to a feed) is not older than what the reader just did.
const learnt = new Map();

function learn(id, facts) {
  learnt.set(id, { ...learnt.get(id), ...facts });
}

/** The server's limit on a caption (posts' `captionCharacters`). */
const maxCaption = 2200;

/** "· edited", with the time in its tooltip; null for a post never edited. */
function editedMark(editedAt) {
  return editedAt ? h("span", { class: "post-edited", title: `Edited ${new Date(editedAt).toLocaleString()}`, text: "· edited" }) : null;
}

/** Whether the post was deleted from this page since it loaded. */
export function wasDeleted(id) {
  return Boolean(learnt.get(String(id))?.deleted);
}

function listenForCounts() {
  if (listening) return;
  listening = true;
  import("../lib/realtime.js")
    .then(({ realtime }) => realtime.on("post.counts", (data) => updateCounts(data?.post_id, data)))
    .catch(() => {});
}

/** Sets the counts of every card of post `id` on screen (`like_count`, `comment_count`, either may be missing). */
export function updateCounts(id, counts) {
  const cards = cardsByPost.get(String(id));
  if (!cards) return;
  for (const card of cards) {
    if (!card.isConnected) cards.delete(card);
    else card.updateCounts(counts);
  }
  if (cards.size === 0) cardsByPost.delete(String(id));
}

let registered = 0;

function register(id, card) {
  // Now and then, forget cards that left the page (a card is registered before it is shown, so not every time).
  if (++registered % 100 === 0) {
    for (const [key, cards] of cardsByPost) {
      for (const other of cards) if (!other.isConnected) cards.delete(other);
      if (cards.size === 0) cardsByPost.delete(key);
    }
  }
  if (!cardsByPost.has(id)) cardsByPost.set(id, new Set());
  cardsByPost.get(id).add(card);
  listenForCounts();
}

const numberFormat = new Intl.NumberFormat();

function plural(count, one, many) {
  return count === 1 ? one : many;
}

/**
 * The card of `post` (the API's post shape): `article.post[data-post-id]`. Options: `onDeleted(post)` after its author
 * deleted it (the card removes itself otherwise), `large` for the post page (whole caption, larger images), `eager`
 * to load its first image at once (the first card of a page), `cached` for a post object kept from before (what this
 * page learnt since is shown instead of its counts).
 */
export function postCard(post, { onDeleted = null, large = false, eager = false, cached = false } = {}) {
  const id = String(post.id);
  const since = cached ? learnt.get(id) : null;
  const postPath = `/p/${encodeURIComponent(id)}`;
  const user = currentUser();
  const mine = Boolean(user && post.author && user.id === post.author.id);

  // Likes: `state` is what the server last said, `wanted` what the person asked for since.
  let state = { liked: Boolean(since?.liked ?? post.liked), likeCount: Number(since?.like_count ?? post.like_count) || 0 };
  let wanted = state.liked;
  let syncing = false;
  let commentCount = Number(since?.comment_count ?? post.comment_count) || 0;

  const likeCount = h("span", { dataset: { likeCount: String(state.likeCount) }, text: numberFormat.format(state.likeCount) });
  const likeWord = h("span", { text: plural(state.likeCount, " like", " likes") });
  const likeButton = h(
    "button",
    {
      type: "button",
      class: "icon-button like-button",
      dataset: { action: "like" },
      "aria-pressed": String(state.liked),
      "aria-label": "Like",
      title: "Like",
      on: { click: () => setLiked(!wanted) },
    },
    icon("heart"),
  );
  const commentCountText = h("span", { dataset: { commentCount: String(commentCount) }, text: numberFormat.format(commentCount) });
  const commentWord = h("span", { class: "visually-hidden", text: plural(commentCount, " comment", " comments") });

  function showLikes() {
    const shown = Math.max(0, state.likeCount + (wanted === state.liked ? 0 : wanted ? 1 : -1));
    likeButton.setAttribute("aria-pressed", String(wanted));
    likeButton.title = wanted ? "Unlike" : "Like";
    likeCount.dataset.likeCount = String(shown);
    likeCount.textContent = numberFormat.format(shown);
    likeWord.textContent = plural(shown, " like", " likes");
    // What the reader sees is what a list shown again from memory shows (even before the server answered).
    learn(id, { liked: wanted, like_count: shown });
  }

  function showComments() {
    commentCountText.dataset.commentCount = String(commentCount);
    commentCountText.textContent = numberFormat.format(commentCount);
    commentWord.textContent = plural(commentCount, " comment", " comments");
  }

  async function sync() {
    if (syncing) return;
    syncing = true;
    likeButton.dataset.pending = "";
    try {
      // Clicks while a request runs only change `wanted`; the loop sends what is still different.
      while (state.liked !== wanted) {
        const path = `/posts/${encodeURIComponent(id)}/like`;
        const answer = wanted ? await api.put(path) : await api.del(path);
        state = { liked: Boolean(answer?.liked), likeCount: Number(answer?.like_count) || 0 };
      }
    } catch (error) {
      wanted = state.liked;
      errorToast(error);
    } finally {
      syncing = false;
      delete likeButton.dataset.pending;
      showLikes();
    }
  }

  function setLiked(liked) {
    if (!currentUser()) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    wanted = liked;
    showLikes();
    if (liked) likeButton.classList.add("pop");
    sync();
  }
  likeButton.addEventListener("animationend", () => likeButton.classList.remove("pop"));

  const heading = h(
    "header",
    { class: "post-header" },
    post.author
      ? h(
          "a",
          { class: "post-avatar", href: `/u/${encodeURIComponent(post.author.handle)}`, tabindex: "-1", "aria-hidden": "true" },
          avatar(post.author, 36),
        )
      : null,
    h(
      "div",
      { class: "post-byline" },
      userLink(post.author),
      h(
        "span",
        { class: "post-when" },
        h("a", { class: "post-time", href: postPath }, timeAgo(post.created_at)),
        editedMark(post.edited_at),
      ),
    ),
    mine
      ? h(
          "button",
          {
            type: "button",
            class: "icon-button post-edit",
            dataset: { action: "edit-post" },
            "aria-label": "Edit caption",
            title: "Edit caption",
            on: { click: () => edit() },
          },
          icon("edit"),
        )
      : null,
    mine || isAdmin()
      ? h(
          "button",
          {
            type: "button",
            class: "icon-button post-delete",
            dataset: { action: "delete-post" },
            "aria-label": mine ? "Delete post" : "Delete post (admin)",
            title: "Delete post",
            on: { click: () => remove() },
          },
          icon("trash"),
        )
      : null,
  );

  const media = Array.isArray(post.media) ? post.media.filter(Boolean) : [];
  const sizes = large ? "(max-width: 720px) 100vw, 720px" : "(max-width: 640px) 100vw, 640px";
  let mediaElement = null;
  if (media.length > 1) mediaElement = carousel(media, { sizes, eager });
  else if (media.length === 1) mediaElement = mediaImage(media[0], { sizes, eager });
  const heart = h("span", { class: "like-burst", "aria-hidden": "true" }, icon("heart"));
  const mediaBox = mediaElement ? h("div", { class: "post-media" }, mediaElement, heart) : null;
  // Double-click (double tap) on the image likes it, as people expect; it never takes a like back.
  mediaBox?.addEventListener("dblclick", (event) => {
    if (event.target.closest("button")) return;
    if (!currentUser()) return setLiked(true); // to the login page
    heart.classList.remove("show");
    void heart.offsetWidth;
    heart.classList.add("show");
    if (!wanted) setLiked(true);
  });
  heart.addEventListener("animationend", () => heart.classList.remove("show"));

  // The caption (a clamped long one with its "more" button) lives in one box, so that an edit can replace it.
  const captionBox = h("div", { class: "post-text" });
  function showCaption(text, mentions) {
    captionBox.textContent = "";
    if (!text) return;
    const caption = h(
      "p",
      { class: ["post-caption", !large && isLong(text) && "clamped"] },
      post.author ? h("a", { class: "caption-author", href: `/u/${encodeURIComponent(post.author.handle)}`, text: post.author.handle }) : null,
      " ",
      renderCaption(text, { mentions }),
    );
    const more = caption.classList.contains("clamped")
      ? h("button", {
          type: "button",
          class: "link-button post-more",
          text: "more",
          "aria-label": "Show the whole caption",
          on: {
            click: () => {
              caption.classList.remove("clamped");
              more.remove();
            },
          },
        })
      : null;
    captionBox.append(caption, more);
  }
  showCaption(post.caption, post.mentions);

  const card = h(
    "article",
    {
      class: ["post", large && "post-large"],
      dataset: { postId: id },
      "aria-label": `Post by ${post.author?.display_name || post.author?.handle || "a deleted account"}`,
    },
    heading,
    mediaBox,
    h(
      "div",
      { class: "post-actions" },
      likeButton,
      h(
        "span",
        { class: "post-likes", "aria-live": "polite" },
        h(
          "button",
          {
            type: "button",
            class: "link-button likes-link",
            dataset: { action: "likers" },
            title: "See who likes this",
            on: { click: () => import("./likers.js").then(({ showLikers }) => showLikers(id)).catch(errorToast) },
          },
          likeCount,
          likeWord,
        ),
      ),
      h(
        "a",
        { class: "icon-button comment-link", href: `${postPath}#comments`, title: "Comments" },
        icon("comment"),
        h("span", { class: "visually-hidden", text: "Comments: " }),
        commentCountText,
        commentWord,
      ),
    ),
    captionBox,
  );
  card.updateCounts = (counts = {}) => {
    if (Number.isFinite(counts.like_count) && !syncing) {
      state = { ...state, likeCount: counts.like_count };
      showLikes();
    }
    if (Number.isFinite(counts.comment_count)) {
      commentCount = counts.comment_count;
      learn(id, { comment_count: commentCount });
      showComments();
    }
  };
  card.post = post;
  register(id, card);

  /** The author changes the caption in a dialog; hashtags and mentions are read again by the server. */
  async function edit() {
    const [{ formDialog }, { field }] = await Promise.all([import("./form-dialog.js"), import("./form.js")]).catch((error) => {
      errorToast(error);
      return [];
    });
    if (!formDialog) return;
    const text = field("Caption", { name: "caption", multiline: true, rows: 5, maxlength: maxCaption, hint: "#tags and @mentions are linked." });
    text.control.value = post.caption ?? "";
    const updated = await formDialog({
      title: "Edit caption",
      fields: [text],
      confirmLabel: "Save",
      dataset: { form: "edit-caption" },
      submit: ({ caption }) => api.patch(`/posts/${encodeURIComponent(id)}`, { caption }),
    });
    if (!updated || typeof updated !== "object") return;
    post.caption = updated.caption;
    post.mentions = updated.mentions;
    post.edited_at = updated.edited_at;
    showCaption(updated.caption, updated.mentions);
    heading.querySelector(".post-edited")?.remove();
    heading.querySelector(".post-when")?.append(editedMark(updated.edited_at) ?? "");
    toast("Caption saved.");
  }

  async function remove() {
    const sure = await confirmAction("Delete this post?", { detail: "Its images, likes and comments go with it. This cannot be undone." });
    if (!sure) return;
    try {
      await api.del(`/posts/${encodeURIComponent(id)}`);
    } catch (error) {
      if (error?.status !== 404) return errorToast(error);
    }
    learn(id, { deleted: true });
    toast("Post deleted.");
    if (onDeleted) onDeleted(post, card);
    else card.remove();
  }

  return card;
}

function isLong(text) {
  return text.length > 160 || text.split("\n").length > 3;
}

/** Several images side by side: swipe (scroll snapping), buttons, arrow keys, and dots that tell where you are. */
function carousel(items, { sizes, eager }) {
  const ratio = Math.min(1.91, Math.max(0.8, (Number(items[0].width) || 1) / (Number(items[0].height) || 1)));
  const slides = items.map((item, index) => {
    const image = mediaImage(item, { sizes, eager: eager && index === 0 });
    image.style.aspectRatio = String(ratio);
    return h("div", { class: "carousel-slide", role: "group", "aria-label": `Photo ${index + 1} of ${items.length}` }, image);
  });
  const track = h("div", { class: "carousel-track", tabindex: "0", "aria-label": "Photos: use the arrow keys to move between them" }, slides);
  const dots = items.map((_, index) => h("span", { class: ["carousel-dot", index === 0 && "current"] }));
  const counter = h("span", { class: "carousel-counter", "aria-hidden": "true", text: `1/${items.length}` });
  const status = h("span", { class: "visually-hidden", "aria-live": "polite" });
  let current = 0;

  const go = (index) => {
    const target = Math.max(0, Math.min(items.length - 1, index));
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    track.scrollTo({ left: target * track.clientWidth, behavior: smooth ? "smooth" : "auto" });
  };
  const previous = h(
    "button",
    {
      type: "button",
      class: "carousel-button carousel-prev",
      "aria-label": "Previous photo",
      title: "Previous photo",
      hidden: true,
      on: { click: () => go(current - 1) },
    },
    icon("left"),
  );
  const next = h(
    "button",
    {
      type: "button",
      class: "carousel-button carousel-next",
      "aria-label": "Next photo",
      title: "Next photo",
      on: { click: () => go(current + 1) },
    },
    icon("right"),
  );
  const show = (index) => {
    if (index === current) return;
    current = index;
    dots.forEach((dot, position) => dot.classList.toggle("current", position === index));
    counter.textContent = `${index + 1}/${items.length}`;
    status.textContent = `Photo ${index + 1} of ${items.length}`;
    previous.hidden = index === 0;
    next.hidden = index === items.length - 1;
  };
  let frame = 0;
  track.addEventListener(
    "scroll",
    () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => show(Math.round(track.scrollLeft / Math.max(1, track.clientWidth))));
    },
    { passive: true },
  );
  const onKey = (event) => {
    if (event.key === "ArrowRight") go(current + 1);
    else if (event.key === "ArrowLeft") go(current - 1);
    else return;
    event.preventDefault();
  };
  const root = h(
    "div",
    { class: "carousel", role: "region", "aria-label": `Carousel of ${items.length} photos` },
    track,
    previous,
    next,
    counter,
    h("div", { class: "carousel-dots", "aria-hidden": "true" }, dots),
    status,
  );
  root.addEventListener("keydown", onKey);
  return root;
}
