// Loading, empty and error states, and toasts: every page shows one of these instead of a blank area.
import { h } from "../lib/dom.js";
import { describeError } from "../lib/api.js";

/** A spinner with a label for screen readers. */
export function loading(label = "Loading…") {
  return h("div", { class: "state state-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { class: "visually-hidden", text: label }));
}

/** A quiet message for an empty list, with an optional action (an element, such as a link). */
export function emptyState(text, action = null) {
  return h("div", { class: "state state-empty" }, h("p", { text }), action);
}

/** The error as a sentence (429 and 503 named as such) and a retry button when `retry` is given. */
export function errorState(error, retry = null) {
  return h(
    "div",
    { class: "state state-error", role: "alert" },
    h("p", { text: describeError(error) }),
    retry ? h("button", { type: "button", class: "button", on: { click: retry }, text: "Try again" }) : null,
  );
}

let toastRegion = null;

/** A short message at the bottom of the screen for a few seconds (errors stay until dismissed or replaced). */
export function toast(text, { error = false } = {}) {
  if (!toastRegion || !toastRegion.isConnected) {
    toastRegion = h("div", { class: "toasts", "aria-live": "polite" });
    document.body.append(toastRegion);
  }
  const item = h(
    "div",
    { class: ["toast", error && "toast-error"], role: error ? "alert" : "status" },
    h("span", { text }),
    h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", text: "×", on: { click: () => item.remove() } }),
  );
  toastRegion.append(item);
  setTimeout(() => item.remove(), error ? 10_000 : 4_000);
  return item;
}

/** A toast for a failed API call. */
export function errorToast(error) {
  return toast(describeError(error), { error: true });
}
