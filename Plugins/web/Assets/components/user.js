// People as they appear everywhere: an avatar and a linked name.
import { h } from "../lib/dom.js";

/** The avatar of `user` (`size` CSS pixels, square), or their initial on a colour when they have none. */
export function avatar(user, size = 32) {
  const source = size <= 48 ? (user?.avatar_small_url ?? user?.avatar_url) : (user?.avatar_url ?? user?.avatar_small_url);
  const label = user?.display_name || user?.handle || "";
  if (source) {
    return h("img", { class: "avatar", src: source, alt: "", width: size, height: size, loading: "lazy", decoding: "async" });
  }
  const initial = h("span", { class: "avatar avatar-initial", "aria-hidden": "true", text: (label[0] ?? "?").toUpperCase() });
  initial.style.width = initial.style.height = `${size}px`;
  initial.style.fontSize = `${Math.round(size * 0.45)}px`;
  initial.style.setProperty("--hue", String(hue(user?.handle ?? "")));
  return initial;
}

function hue(text) {
  let value = 0;
  for (const character of text) value = (value * 31 + character.codePointAt(0)) % 360;
  return value;
}

/** The display name (or handle) and @handle, linking to the profile. */
export function userLink(user, { withAvatar = false, size = 32 } = {}) {
  if (!user) return h("span", { class: "user-link user-gone", text: "Deleted account" });
  return h(
    "a",
    { class: "user-link", href: `/u/${encodeURIComponent(user.handle)}` },
    withAvatar ? avatar(user, size) : null,
    h("span", { class: "user-name", text: user.display_name || user.handle }),
    user.display_name ? h("span", { class: "user-handle", text: `@${user.handle}` }) : null,
  );
}
