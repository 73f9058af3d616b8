// A list that loads more as you scroll: cursor pages of the API (`{items, next_cursor}`), the next one asked for when
// the end comes near (IntersectionObserver), with a "Load more" button for when that cannot tell, and loading,
// empty and error states instead of a blank area.
import { h, mount } from "../lib/dom.js";
import { emptyState, errorState, loading } from "./states.js";

// What the last few lists held, by `cacheKey`: going back to a feed shows it as it was, at once, so that the
// router can put the reader back where they were (a list refetched from its first page could not).
const cache = new Map();
const cachedLists = 4;

function remember(key, entry) {
  cache.delete(key);
  cache.set(key, entry);
  while (cache.size > cachedLists) cache.delete(cache.keys().next().value);
}

/** Whether this page was reached by going back or forward (the router saved a scroll position for it). */
function returning() {
  return history.state !== null && typeof history.state === "object" && "scrollY" in history.state;
}

/**
 * `fetchPage(cursor, signal)` → `{items, next_cursor}`; `renderItem(item, index, {cached})` → an Element (or null to
 * skip; `cached` when the item comes from the list as it was before going back). Options: `signal` (stops everything
 * when aborted, usually `ctx.signal`), `empty` (a text, or a function giving an Element, for a list without items),
 * `tag`/`className` of the items' container, `label` (its accessible name), `onLoad(items, {first})` after each page,
 * `cacheKey` to show the list as it was when the reader comes back to it. Returns the wrapper; `wrapper.reload()`
 * starts again from the first page.
 */
export function infiniteList({
  fetchPage,
  renderItem,
  signal,
  empty = "Nothing here yet.",
  tag = "div",
  className = "list",
  label = null,
  onLoad = null,
  cacheKey = null,
}) {
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
  let kept = { items: [], cursor: null, done: false };

  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) loadNext();
        }, { rootMargin: "1200px 0px" })
      : null;
  observer?.observe(sentinel);
  signal?.addEventListener("abort", () => observer?.disconnect(), { once: true });

  function show(list, options) {
    for (const item of list) {
      const element = renderItem(item, count, options);
      if (element) {
        items.append(element);
        count += 1;
      }
    }
  }

  function showEnd(first) {
    mount(status);
    if (count === 0 && done) mount(status, typeof empty === "function" ? empty() : emptyState(empty));
    else if (done && !first) mount(status, h("p", { class: "list-end", text: "You are all caught up." }));
    more.hidden = done;
    items.removeAttribute("aria-busy");
  }

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
      show(fresh, { cached: false });
      cursor = page?.next_cursor ?? null;
      done = !cursor;
      kept.items.push(...fresh);
      kept.cursor = cursor;
      kept.done = done;
      showEnd(first);
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
    kept = { items: [], cursor: null, done: false };
    if (cacheKey) remember(cacheKey, kept);
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
    const element = renderItem(item, count, { cached: false });
    if (element) {
      if (prepend) items.prepend(element);
      else items.append(element);
      count += 1;
    }
    if (prepend) kept.items.unshift(item);
    else kept.items.push(item);
    if (status.querySelector(".state-empty")) mount(status);
    return element;
  };
  wrapper.isComplete = () => done;

  const before = cacheKey && returning() ? cache.get(cacheKey) : null;
  if (before && before.items.length > 0) {
    // Back to this list: as it was, then on from where it stopped.
    kept = before;
    for (const item of before.items) if (item?.id !== undefined) seen.add(String(item.id));
    show(before.items, { cached: true });
    cursor = before.cursor;
    done = before.done;
    showEnd(false);
  } else {
    if (cacheKey) remember(cacheKey, kept);
    loadNext();
  }
  return wrapper;
}

function isNearView(element) {
  if (!element.isConnected) return false;
  const box = element.getBoundingClientRect();
  return box.top < window.innerHeight + 1200;
}
