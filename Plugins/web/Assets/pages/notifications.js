// Notifications: who liked, commented, replied, mentioned or followed, grouped ("bea, carl and 3 others liked your
// post"), newest activity first, with new ones arriving live at the top. What the page shows is marked read.
import { h, icon } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { realtime } from "../lib/realtime.js";
import { avatar } from "../components/user.js";
import { infiniteList } from "../components/infinite-list.js";
import { errorToast, emptyState } from "../components/states.js";
import { setUnreadCount } from "../components/unread-badge.js";
import { timeAgo } from "../lib/time.js";

// Handles, as people know each other here (display names can be long and are not unique).
const name = (user) => user?.handle || "Someone";

/** The actors part of a sentence: "bea", "bea and carl", "bea, carl and dan", "bea, carl and 3 others". */
export function actorsText(actors = [], actorCount = actors.length) {
  const total = Math.max(Number(actorCount) || 0, actors.length);
  if (total === 0 || actors.length === 0) return total > 1 ? `${total} people` : "Someone";
  const shown = actors.slice(0, total > 3 ? 2 : 3).map(name);
  const others = total - shown.length;
  if (others > 0) return `${shown.join(", ")} and ${others} ${others === 1 ? "other" : "others"}`;
  if (shown.length === 1) return shown[0];
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** What happened, after the actors. */
export function actionText(notification) {
  switch (notification.type) {
    case "like":
      return "liked your post.";
    case "comment":
      return "commented on your post.";
    case "reply":
      return "replied to your comment.";
    case "mention":
      return notification.comment_id ? "mentioned you in a comment." : "mentioned you in a post.";
    case "follow":
      return "started following you.";
    default:
      return "did something.";
  }
}

/** Where opening the notification goes: the post (at the comment), or the follower's profile. */
export function targetOf(notification, me) {
  if (notification.post?.id) {
    const anchor = notification.comment_id ? `#comment-${encodeURIComponent(notification.comment_id)}` : "";
    return `/p/${encodeURIComponent(notification.post.id)}${anchor}`;
  }
  if (notification.type === "follow" && (notification.actor_count ?? 1) > 1 && me) return `/u/${encodeURIComponent(me.handle)}/followers`;
  const actor = notification.actors?.[0];
  return actor ? `/u/${encodeURIComponent(actor.handle)}` : "/notifications";
}

const typeIcons = { like: "heart", comment: "comment", reply: "comment", mention: "comment", follow: "user" };

export default async function notificationsPage(ctx) {
  ctx.title("Notifications");
  const me = ctx.user;
  // Rows highlighted as new (`unread`) stay so while the page is open. Those listed when it opened are marked read
  // at once (the badge goes to 0); those arriving live stay unread on the server until opened or the page is left, so
  // that more likes of the same post still gather in their group meanwhile.
  const pending = new Set();

  async function markRead(ids) {
    if (!ids.length) return;
    for (const id of ids) pending.delete(id);
    try {
      const answer = await api.post("/notifications/read", { ids });
      setUnreadCount(answer?.count);
    } catch (error) {
      console.warn("notifications: marking read failed", error);
    }
  }

  function render(notification) {
    const href = targetOf(notification, me);
    const actors = notification.actors ?? [];
    const who = actorsText(actors, notification.actor_count);
    const link = h(
      "a",
      { class: "notification-link", href, "aria-label": `${notification.read ? "" : "New: "}${who} ${actionText(notification)}` },
      h(
        "span",
        { class: ["notification-avatars", actors.length > 1 && "stacked"], "aria-hidden": "true" },
        actors.slice(0, 2).map((actor) => avatar(actor, 40)),
        h("span", { class: ["notification-type", `type-${notification.type}`] }, icon(typeIcons[notification.type] ?? "bell")),
      ),
      h(
        "span",
        { class: "notification-body" },
        h("span", { class: "notification-text" }, h("strong", { text: who }), ` ${actionText(notification)}`),
        timeAgo(notification.created_at),
      ),
      notification.post?.preview_url
        ? h(
          "img",
          { class: "notification-thumb", src: notification.post.preview_url, alt: "", width: 44, height: 44, loading: "lazy", decoding: "async" },
        )
        : null,
    );
    link.addEventListener("click", () => {
      if (pending.has(notification.id)) markRead([notification.id]);
    });
    return h(
      "li",
      { class: ["notification", !notification.read && "unread"], dataset: { notificationId: notification.id, type: notification.type } },
      link,
    );
  }

  function clearHighlights() {
    for (const item of list.items.querySelectorAll(".notification.unread")) {
      item.classList.remove("unread");
      const link = item.querySelector(".notification-link");
      link?.setAttribute("aria-label", (link.getAttribute("aria-label") ?? "").replace(/^New: /, ""));
    }
    markAll.hidden = true;
  }

  const list = infiniteList({
    fetchPage: (cursor, signal) => api.get("/notifications", { cursor }, { signal }),
    renderItem: render,
    signal: ctx.signal,
    tag: "ul",
    className: "notification-list",
    label: "Notifications",
    empty: () => emptyState("No notifications yet. When people like, comment on or follow, you will see it here."),
    onLoad: (items) => {
      markRead(items.filter((item) => !item.read).map((item) => item.id));
      updateMarkAll();
    },
  });

  const markAll = h("button", {
    type: "button",
    class: "button button-small",
    dataset: { action: "mark-all-read" },
    text: "Mark all as read",
    hidden: true,
    on: {
      click: async () => {
        markAll.disabled = true;
        try {
          const answer = await api.post("/notifications/read", { all: true });
          pending.clear();
          setUnreadCount(answer?.count ?? 0);
          clearHighlights();
        } catch (error) {
          errorToast(error);
        } finally {
          markAll.disabled = false;
        }
      },
    },
  });

  function updateMarkAll() {
    markAll.hidden = !list.items.querySelector(".notification.unread");
  }

  // Live: a new notification goes to the top; a group that grew replaces its old row (same id) and moves up.
  const offs = [
    realtime.on("notification", (notification) => {
      if (!notification?.id) return;
      if (!notification.read) pending.add(notification.id);
      const old = list.items.querySelector(`[data-notification-id="${CSS.escape(String(notification.id))}"]`);
      if (old) {
        const focused = old.contains(document.activeElement);
        const fresh = render(notification);
        old.replaceWith(fresh);
        list.items.prepend(fresh);
        if (focused) fresh.querySelector("a")?.focus({ preventScroll: true });
      } else {
        list.add(notification, { prepend: true });
      }
      live.textContent = `New: ${actorsText(notification.actors, notification.actor_count)} ${actionText(notification)}`;
      updateMarkAll();
    }),
    realtime.on("unread_count", (data) => {
      if (Number(data?.count) === 0) pending.clear(); // read elsewhere (another tab or device)
    }),
    realtime.on("reconnected", () => list.reload()),
  ];
  ctx.onLeave(() => {
    offs.forEach((off) => off());
    markRead([...pending]);
  });

  const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
  return h(
    "section",
    { class: "notifications-page" },
    h(
      "div",
      { class: "page-heading" },
      h("h1", { text: "Notifications" }),
      h(
        "div",
        { class: "page-heading-actions" },
        markAll,
        h("a", { class: "button button-small button-quiet", href: "/settings#notification-settings", text: "Settings" }),
      ),
    ),
    live,
    list,
  );
}
