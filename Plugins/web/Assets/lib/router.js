// Client-side navigation over the History API: same-origin links open pages without reloading the app.

let handler = null;

/** Paths the server answers itself (files, API, media): links to them load normally. */
const serverPaths = /^\/(api|assets|media|healthz|readyz|metrics)(\/|$)/;

/** Goes to `url` (a path with optional query); `replace` keeps the history entry count. */
export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.origin);
  if (target.origin !== location.origin || serverPaths.test(target.pathname)) {
    location.assign(target.href);
    return;
  }
  rememberScroll();
  if (replace) history.replaceState({}, "", target.pathname + target.search + target.hash);
  else history.pushState({}, "", target.pathname + target.search + target.hash);
  handler?.({ pop: false });
}

function rememberScroll() {
  history.replaceState({ ...(history.state ?? {}), scrollY: window.scrollY }, "");
}

/**
 * Matches `path` against `table` entries `{path: "/u/:handle", ...}`; returns `{route, params}` or null.
 * Parameters are percent-decoded.
 */
export function matchRoute(table, path) {
  for (const route of table) {
    const names = [];
    const source = route.path.replace(/:([a-z_]+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    const match = new RegExp(`^${source}/?$`).exec(path);
    if (!match) continue;
    const params = {};
    try {
      names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1])));
    } catch {
      continue;
    }
    return { route, params };
  }
  return null;
}

/** Starts routing: `onNavigate({pop})` runs now, on link clicks and on back/forward. */
export function startRouter(onNavigate) {
  handler = onNavigate;
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target.closest?.("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const target = new URL(link.href, location.href);
    if (target.origin !== location.origin || serverPaths.test(target.pathname)) return;
    event.preventDefault();
    if (target.pathname === location.pathname && target.search === location.search && target.hash) {
      location.hash = target.hash;
      return;
    }
    navigate(target.pathname + target.search + target.hash);
  });
  window.addEventListener("popstate", () => handler?.({ pop: true }));
  handler({ pop: false });
}

/** The scroll position saved for the current history entry (back/forward restores it). */
export function savedScroll() {
  return history.state?.scrollY ?? 0;
}

/** `next` (a `?next=` value) when it is a path on this site, never another origin; else home. */
export function safeNext(next) {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
