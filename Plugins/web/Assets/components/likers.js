// Who likes a post: a modal list of people, newest like first, loaded as it scrolls.
import { h, icon } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { userLink } from "./user.js";
import { infiniteList } from "./infinite-list.js";

/** Opens the list of people who like post `id`; following a link in it closes it. */
export function showLikers(id) {
  const controller = new AbortController();
  const opener = document.activeElement;
  const titleId = `likers-${id}`;
  const list = infiniteList({
    fetchPage: (cursor, signal) => api.get(`/posts/${encodeURIComponent(id)}/likes`, { cursor }, { signal }),
    renderItem: (user) => h("li", { class: "liker", dataset: { handle: user.handle } }, userLink(user, { withAvatar: true, size: 40 })),
    signal: controller.signal,
    tag: "ul",
    className: "likers",
    label: "People who like this post",
    empty: "No likes yet.",
  });
  const close = h(
    "button",
    { type: "button", class: "icon-button dialog-close", "aria-label": "Close", on: { click: () => dialog.close() } },
    icon("close"),
  );
  const dialog = h(
    "dialog",
    { class: "likers-dialog", "aria-labelledby": titleId },
    h("div", { class: "likers-head" }, h("h2", { id: titleId, text: "Likes" }), close),
    h("div", { class: "likers-body" }, list),
  );
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
    // A profile link leaves the page: the router opens it, the dialog goes.
    if (event.target.closest?.("a[href]")) dialog.close();
  });
  dialog.addEventListener("close", () => {
    controller.abort();
    dialog.remove();
    if (opener?.isConnected) opener.focus({ preventScroll: true });
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}
