// A list that loads more as you scroll: cursor pages of the API (`{items, next_cursor}`), the next one asked for when
// the end comes near (IntersectionObserver), with a "Load more" button for when that cannot tell, and loading,
// empty and error states instead of a blank area.
import { h, mount } from "../lib/dom.js";
import { emptyState, errorState, loading } from "./states.js";

/**
 * `fetchPage(cursor, signal)` → `{items, next_cursor}`; `renderItem(item, index)` → an Element (or null to skip).
 * Options: `signal` (stops everything when aborted, usually `ctx.signal`), `empty` (a text, or a function giving an
 * Element, for a list without items), `tag`/`className` of the items' container, `label` (its accessible name),
 * `onLoad(items, {first})` after each page. Returns the wrapper; `wrapper.reload()` starts again from the first page.
 */
export function infiniteList({ fetchPage, renderItem, signal, empty = "Nothing here yet.", tag = "div", className = "list", label = null, onLoad = null }) {
  const items = h(tag, { class: className, "aria-label": label, "aria-busy": "true" });
  const status = h("div", { class: "list-status" });
  const more = h("button", { type: "button", class: "button list-more", text: "Load more", hidden: true, on: { click: () => loadNext() } });
  const sentinel = h("div", { class: "list-sentinel", "aria-hidden": "true" });
  const wrapper = h("div", { class: "infinite-list" }, items, status, more, sentinel);

  let cursor = null;
  let done = false;
  let busy = false;
  let generation = 0;
  let count = 0;
  const seen = new Set();

  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) loadNext();
        }, { rootMargin: "1200px 0px" })
      : null;
  observer?.observe(sentinel);
  signal?.addEventListener("abort", () => observer?.disconnect(), { once: true });

  async function loadNext() {
    if (busy || done || signal?.aborted) return;
    busy = true;
    const run = generation;
    const first = count === 0 && cursor === null;
    more.hidden = true;
    mount(status, loading(first ? "Loading…" : "Loading more…"));
    try {
      const page = await fetchPage(cursor, signal);
      if (run !== generation || signal?.aborted) return;
      const fresh = (page?.items ?? []).filter((item) => {
        const key = item?.id === undefined ? null : String(item.id);
        if (key === null) return true;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      for (const item of fresh) {
        const element = renderItem(item, count);
        if (element) {
          items.append(element);
          count += 1;
        }
      }
      cursor = page?.next_cursor ?? null;
      done = !cursor;
      mount(status);
      if (count === 0 && done) mount(status, typeof empty === "function" ? empty() : emptyState(empty));
      else if (done && !first) mount(status, h("p", { class: "list-end", text: "You are all caught up." }));
      more.hidden = done;
      items.removeAttribute("aria-busy");
      onLoad?.(fresh, { first });
    } catch (error) {
      if (run !== generation || signal?.aborted || error?.name === "AbortError") return;
      items.removeAttribute("aria-busy");
      mount(status, errorState(error, () => loadNext()));
    } finally {
      if (run === generation) busy = false;
    }
    // The sentinel may still be in view after a short page: the observer does not fire again by itself.
    if (!done && !signal?.aborted && run === generation && isNearView(sentinel)) queueMicrotask(loadNext);
  }

  wrapper.reload = () => {
    generation += 1;
    busy = false;
    cursor = null;
    done = false;
    count = 0;
    seen.clear();
    mount(items);
    items.setAttribute("aria-busy", "true");
    return loadNext();
  };
  wrapper.items = items;
  /**
   * Shows an item made on this page (a new comment): `renderItem` places it, at the top with `prepend`. Its id is
   * remembered, so that a later page does not show it twice.
   */
  wrapper.add = (item, { prepend = false } = {}) => {
    if (item?.id !== undefined) {
      if (seen.has(String(item.id))) return null;
      seen.add(String(item.id));
    }
    const element = renderItem(item, count);
    if (element) {
      if (prepend) items.prepend(element);
      else items.append(element);
      count += 1;
    }
    if (status.querySelector(".state-empty")) mount(status);
    return element;
  };
  wrapper.isComplete = () => done;

  loadNext();
  return wrapper;
}

function isNearView(element) {
  if (!element.isConnected) return false;
  const box = element.getBoundingClientRect();
  return box.top < window.innerHeight + 1200;
}
