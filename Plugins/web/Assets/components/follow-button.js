// Follow and unfollow: one button whose pressed state is whether you follow the person. It changes at once and goes
// back if the server refuses; the server's answer (`{following, followers_count}`) has the last word.
import { h } from "../lib/dom.js";
import { api } from "../lib/api.js";
import { errorToast } from "./states.js";

function label(button) {
  const following = button.getAttribute("aria-pressed") === "true";
  const name = button.dataset.handle;
  button.textContent = following ? "Following" : button.dataset.followsYou === "true" ? "Follow back" : "Follow";
  button.setAttribute("aria-label", following ? `Unfollow @${name}` : `Follow @${name}`);
  button.classList.toggle("button-primary", !following);
}

/**
 * The follow button of `handle`. `following`: the current state; `followsYou` words it "Follow back";
 * `onChange({following, followers_count})` runs after the server answered.
 */
export function followButton(handle, { following = false, followsYou = false, onChange = null, small = false } = {}) {
  const button = h("button", {
    type: "button",
    class: ["button", "follow-button", small && "button-small"],
    dataset: { action: "follow", handle, followsYou: String(Boolean(followsYou)) },
    "aria-pressed": String(Boolean(following)),
  });
  label(button);
  let busy = false;
  button.addEventListener("click", async () => {
    if (busy) return; // one request at a time, so they cannot reach the server out of order
    busy = true;
    const want = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(want));
    button.setAttribute("aria-busy", "true");
    label(button);
    try {
      const path = `/users/${encodeURIComponent(handle)}/follow`;
      const answer = want ? await api.put(path) : await api.del(path);
      button.setAttribute("aria-pressed", String(Boolean(answer?.following)));
      label(button);
      onChange?.(answer);
    } catch (error) {
      button.setAttribute("aria-pressed", String(!want));
      label(button);
      errorToast(error);
    } finally {
      busy = false;
      button.removeAttribute("aria-busy");
    }
  });
  return button;
}
