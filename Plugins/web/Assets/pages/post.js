// A post's own page (/p/:id): the post, large, and its comments with replies one level deep.
import { h } from "../lib/dom.js";
import { api, ApiError } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { isAdmin } from "../lib/session.js";
import { timeAgo } from "../lib/time.js";
import { renderCaption } from "../lib/caption.js";
import { postCard } from "../components/post-card.js";
import { infiniteList } from "../components/infinite-list.js";
import { avatar, userLink } from "../components/user.js";
import { field, form } from "../components/form.js";
import { errorToast, toast } from "../components/states.js";
import { confirmAction } from "../components/confirm.js";

const maxComment = 1000;

function notFound(ctx) {
  ctx.title("Post not found");
  return h(
    "section",
    { class: "page-narrow state not-found" },
    h("h1", { text: "Post not found" }),
    h("p", { text: "This post does not exist any more: its author may have deleted it." }),
    h("a", { class: "button", href: ctx.user ? "/" : "/new", text: "Back to the feed" }),
  );
}

function excerpt(text, length = 60) {
  const line = String(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

export default async function postPage(ctx) {
  const id = ctx.params.id;
  if (!/^[1-9][0-9]{0,18}$/.test(id)) return notFound(ctx);
  let post;
  try {
    post = await api.get(`/posts/${encodeURIComponent(id)}`, null, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return notFound(ctx);
    throw error;
  }
  const who = post.author?.display_name || post.author?.handle || "A post";
  ctx.title(post.caption ? `${who}: “${excerpt(post.caption)}”` : `Post by ${who}`);

  const card = postCard(post, {
    large: true,
    eager: true,
    onDeleted: () => navigate(ctx.user ? `/u/${encodeURIComponent(ctx.user.handle)}` : "/new", { replace: true }),
  });
  let commentCount = Number(post.comment_count) || 0;
  const setCommentCount = (count) => {
    commentCount = Math.max(0, count);
    card.updateCounts({ comment_count: commentCount });
  };

  // Threads: each top-level comment's element keeps the list of its replies.
  const threads = new Map();
  let replyingTo = null; // {parentId, handle}

  const canDelete = (comment) =>
    Boolean(ctx.user && !comment.deleted && (comment.author?.id === ctx.user.id || post.author?.id === ctx.user.id || isAdmin()));

  function renderComment(comment) {
    const isReply = Boolean(comment.parent_id);
    const element = h("li", {
      class: ["comment", isReply && "comment-reply", comment.deleted && "comment-deleted"],
      id: `comment-${comment.id}`,
      dataset: { commentId: String(comment.id), ...(comment.parent_id ? { parentId: String(comment.parent_id) } : {}) },
    });
    fillComment(element, comment);
    if (!isReply) {
      const replies = h("ul", { class: "replies", "aria-label": "Replies" });
      element.append(replies);
      threads.set(String(comment.id), { element, replies, comment });
      return element;
    }
    const thread = threads.get(String(comment.parent_id));
    if (thread) {
      thread.replies.append(element);
      return null;
    }
    return element; // its thread is not on the page (should not happen: threads come first)
  }

  function fillComment(element, comment) {
    const replies = element.querySelector(":scope > .replies");
    element.textContent = "";
    if (comment.deleted) {
      element.classList.add("comment-deleted");
      element.append(h("div", { class: "comment-main" }, h("p", { class: "comment-gone", text: "This comment was deleted." })));
    } else {
      const author = comment.author;
      element.append(
        h(
          "div",
          { class: "comment-main" },
          author
            ? h(
                "a",
                { class: "comment-avatar", href: `/u/${encodeURIComponent(author.handle)}`, tabindex: "-1", "aria-hidden": "true" },
                avatar(author, 32),
              )
            : null,
          h(
            "div",
            { class: "comment-content" },
            h(
              "p",
              { class: "comment-text" },
              userLink(author),
              " ",
              h("span", { class: "comment-body" }, renderCaption(comment.body, { mentions: comment.mentions })),
            ),
            h(
              "div",
              { class: "comment-meta" },
              timeAgo(comment.created_at),
              ctx.user
                ? h("button", {
                    type: "button",
                    class: "link-button",
                    dataset: { action: "reply" },
                    "aria-label": `Reply to ${author?.handle ?? "this comment"}`,
                    text: "Reply",
                    on: { click: () => startReply(comment) },
                  })
                : null,
              canDelete(comment)
                ? h("button", {
                    type: "button",
                    class: "link-button link-danger",
                    dataset: { action: "delete-comment" },
                    "aria-label": "Delete comment",
                    text: "Delete",
                    on: { click: () => deleteComment(comment, element) },
                  })
                : null,
            ),
          ),
        ),
      );
    }
    if (replies) element.append(replies);
  }

  async function deleteComment(comment, element) {
    if (!(await confirmAction("Delete this comment?", { detail: "This cannot be undone." }))) return;
    try {
      await api.del(`/comments/${encodeURIComponent(comment.id)}`);
    } catch (error) {
      if (error?.status !== 404) return errorToast(error);
    }
    setCommentCount(commentCount - 1);
    const thread = threads.get(String(comment.id));
    if (thread && thread.replies.children.length > 0) {
      // Its replies stay, under a placeholder.
      thread.comment = { ...comment, deleted: true, body: "", author: null };
      fillComment(element, thread.comment);
    } else {
      const parent = comment.parent_id ? threads.get(String(comment.parent_id)) : null;
      (element.querySelector("[data-action=reply]") ?? element).blur();
      element.remove();
      threads.delete(String(comment.id));
      // A placeholder goes with its last reply.
      if (parent && parent.comment.deleted && parent.replies.children.length === 0) {
        parent.element.remove();
        threads.delete(String(comment.parent_id));
      }
    }
    if (replyingTo && (replyingTo.parentId === String(comment.id) || replyingTo.commentId === String(comment.id))) cancelReply();
    toast("Comment deleted.");
    body.focus();
  }

  // The comment form.
  const bodyField = field("Add a comment", {
    name: "body",
    multiline: true,
    rows: 2,
    maxlength: maxComment,
    placeholder: "Add a comment…",
    required: true,
    autocomplete: "off",
  });
  const body = bodyField.control;
  const counter = h("span", { class: "char-count", "aria-live": "polite" });
  const replyLabel = h("span");
  const replyBanner = h(
    "div",
    { class: "replying", hidden: true },
    replyLabel,
    h("button", { type: "button", class: "link-button", dataset: { action: "cancel-reply" }, text: "Cancel", on: { click: () => cancelReply() } }),
  );
  const updateCounter = () => {
    const left = maxComment - body.value.length;
    counter.textContent = left < 100 ? `${left} characters left` : "";
  };
  body.addEventListener("input", () => {
    updateCounter();
    // The box grows with what is written (up to a point; then it scrolls).
    body.style.height = "auto";
    body.style.height = `${Math.min(body.scrollHeight + 2, 240)}px`;
  });
  const commentForm = ctx.user
    ? form({
        fields: [replyBanner, bodyField],
        submitLabel: "Post",
        dataset: { form: "comment" },
        className: "form comment-form",
        extra: counter,
        submit: async (values, element) => {
          const text = values.body.trim();
          if (!text) {
            bodyField.showError("Write something first.");
            body.focus();
            return;
          }
          const payload = { body: text };
          if (replyingTo) payload.parent_id = replyingTo.parentId;
          const comment = await api.post(`/posts/${encodeURIComponent(post.id)}/comments`, payload);
          element.reset();
          body.style.height = "";
          updateCounter();
          cancelReply();
          setCommentCount(commentCount + 1);
          const added = list.add(comment);
          const shown = added ?? document.getElementById(`comment-${comment.id}`);
          if (shown) {
            shown.classList.add("just-added");
            shown.scrollIntoView({ block: "nearest", behavior: "smooth" });
          }
        },
      })
    : h(
        "p",
        { class: "comment-login" },
        h("a", { href: `/login?next=${encodeURIComponent(location.pathname)}`, text: "Log in" }),
        " to like and comment.",
      );
  body.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line, as in chats.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && ctx.user) {
      event.preventDefault();
      commentForm.requestSubmit();
    }
    if (event.key === "Escape" && replyingTo) cancelReply();
  });

  function startReply(comment) {
    const parentId = String(comment.parent_id ?? comment.id);
    const handle = comment.author?.handle ?? "";
    replyingTo = { parentId, commentId: String(comment.id), handle };
    replyLabel.textContent = handle ? `Replying to @${handle}` : "Replying";
    replyBanner.hidden = false;
    // A reply to a reply joins the thread: name the person answered, so that they hear of it.
    const threadAuthor = threads.get(parentId)?.comment.author?.handle;
    if (comment.parent_id && handle && handle !== threadAuthor && !body.value.includes(`@${handle}`)) {
      body.value = `@${handle} ${body.value}`;
    }
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
    commentForm.scrollIntoView?.({ block: "nearest" });
  }

  function cancelReply() {
    replyingTo = null;
    replyBanner.hidden = true;
    replyLabel.textContent = "";
  }

  const list = infiniteList({
    fetchPage: (cursor, signal) => api.get(`/posts/${encodeURIComponent(post.id)}/comments`, { cursor, limit: 40 }, { signal }),
    renderItem: renderComment,
    signal: ctx.signal,
    tag: "ul",
    className: "comments",
    label: "Comments",
    empty: () => h("p", { class: "comments-empty", text: ctx.user ? "No comments yet. Start the conversation." : "No comments yet." }),
    onLoad: () => {
      const target = location.hash.startsWith("#comment-") ? document.getElementById(location.hash.slice(1)) : null;
      if (target && !target.classList.contains("just-added")) {
        target.classList.add("just-added");
        target.scrollIntoView({ block: "center" });
      }
    },
  });

  if (location.hash === "#comments") setTimeout(() => document.getElementById("comments")?.scrollIntoView({ block: "start" }), 0);

  return h(
    "div",
    { class: "post-page" },
    h("h1", { class: "visually-hidden", text: `Post by ${who}` }),
    card,
    h(
      "section",
      { class: "comments-section", id: "comments", "aria-labelledby": "comments-title" },
      h("h2", { id: "comments-title", text: "Comments" }),
      commentForm,
      list,
    ),
  );
}

