// The app: layout, routing table and page lifecycle. Pages are modules under pages/ whose exports render a page.
import { h, icon, mount } from "./lib/dom.js";
import { api } from "./lib/api.js";
import { matchRoute, navigate, safeNext, savedScroll, startRouter } from "./lib/router.js";
import { currentUser, isAdmin, onUserChange, refreshUser, setUser } from "./lib/session.js";
import { errorState, errorToast, loading } from "./components/states.js";
import { avatar } from "./components/user.js";

const root = document.getElementById("app");
const siteName = root.dataset.siteName || "Image App";

// `user`: "required" sends signed-out visitors to the login page, "guest" sends signed-in ones home.
const routes = [
  { path: "/", page: "home", user: "required", load: () => import("./pages/feed.js").then((m) => m.home) },
  { path: "/new", page: "new", load: () => import("./pages/feed.js").then((m) => m.latest) },
  { path: "/trending", page: "trending", load: () => import("./pages/feed.js").then((m) => m.trending) },
  { path: "/login", page: "login", user: "guest", load: () => import("./pages/auth.js").then((m) => m.login) },
  { path: "/signup", page: "signup", user: "guest", load: () => import("./pages/auth.js").then((m) => m.signup) },
  { path: "/forgot-password", page: "forgot", load: () => import("./pages/auth.js").then((m) => m.forgot) },
  { path: "/reset-password", page: "reset", load: () => import("./pages/auth.js").then((m) => m.reset) },
  { path: "/verify-email", page: "verify", load: () => import("./pages/auth.js").then((m) => m.verify) },
  { path: "/compose", page: "compose", user: "required", load: () => import("./pages/compose.js").then((m) => m.default) },
  { path: "/p/:id", page: "post", load: () => import("./pages/post.js").then((m) => m.default) },
  { path: "/u/:handle", page: "profile", load: () => import("./pages/profile.js").then((m) => m.profile) },
  { path: "/u/:handle/followers", page: "followers", load: () => import("./pages/profile.js").then((m) => m.followers) },
  { path: "/u/:handle/following", page: "following", load: () => import("./pages/profile.js").then((m) => m.following) },
  { path: "/tags/:tag", page: "tag", load: () => import("./pages/tag.js").then((m) => m.default) },
  {
    path: "/notifications",
    page: "notifications",
    user: "required",
    load: () => import("./pages/notifications.js").then((m) => m.default),
  },
  { path: "/settings", page: "settings", user: "required", load: () => import("./pages/settings.js").then((m) => m.default) },
  { path: "/admin", page: "admin", user: "required", load: () => import("./pages/admin.js").then((m) => m.default) },
];
const notFound = { page: "not-found", load: async () => notFoundPage };

let current = null; // {controller, leave: [fn]}
let firstRender = true;
const header = h("header", { class: "topbar" });
let main = h("main", { id: "main", tabindex: "-1" });
let badge = null;
let detachBadge = null;

function notFoundPage(ctx) {
  ctx.title("Page not found");
  return h(
    "section",
    { class: "page-narrow state" },
    h("h1", { text: "Page not found" }),
    h("p", { text: "This page does not exist, or it was removed." }),
    h("a", { class: "button", href: "/", text: "Go home" }),
  );
}

async function render({ pop }) {
  if (current) {
    current.controller.abort();
    for (const leave of current.leave) leave();
  }
  const match = matchRoute(routes, location.pathname) ?? { route: notFound, params: {} };
  const { route, params } = match;
  const user = currentUser();
  const query = Object.fromEntries(new URLSearchParams(location.search));
  if (route.user === "required" && !user) {
    const next = location.pathname === "/" ? "" : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return navigate(location.pathname === "/" ? "/new" : `/login${next}`, { replace: true });
  }
  if (route.user === "guest" && user) return navigate(safeNext(query.next), { replace: true });

  const page = { controller: new AbortController(), leave: [] };
  current = page;
  const next = h("main", { id: "main", tabindex: "-1", dataset: { page: route.page } }, loading());
  main.replaceWith(next);
  main = next;
  markCurrentNav();
  const ctx = {
    params,
    query,
    user,
    signal: page.controller.signal,
    onLeave: (fn) => page.leave.push(fn),
    title: (text) => (document.title = text ? `${text} · ${siteName}` : siteName),
    refreshUser,
    siteName,
  };
  ctx.title("");
  try {
    const renderPage = await route.load();
    const content = await renderPage(ctx);
    if (page.controller.signal.aborted || !content) return;
    mount(main, content);
  } catch (error) {
    if (page.controller.signal.aborted || error?.name === "AbortError") return;
    console.error(error);
    mount(main, errorState(error, () => render({ pop })));
  }
  window.scrollTo(0, pop ? savedScroll() : 0);
  if (!firstRender) main.focus({ preventScroll: true });
  firstRender = false;
}

function navLink(name, href, label, iconName, extra = null) {
  return h(
    "a",
    { href, class: "nav-link", dataset: { nav: name }, "aria-label": label, title: label },
    icon(iconName),
    h("span", { class: "nav-label", text: label }),
    extra,
  );
}

function renderHeader(user) {
  detachBadge?.();
  detachBadge = null;
  badge = null;
  const links = [];
  if (user) {
    badge = h("span", { class: "badge", hidden: true, dataset: { unreadCount: "0" }, "aria-live": "polite" });
    links.push(
      navLink("home", "/", "Home", "home"),
      navLink("new", "/new", "New", "new"),
      navLink("trending", "/trending", "Trending", "trending"),
      navLink("compose", "/compose", "New post", "compose"),
      navLink("notifications", "/notifications", "Notifications", "bell", badge),
      h(
        "a",
        {
          href: `/u/${encodeURIComponent(user.handle)}`,
          class: "nav-link",
          dataset: { nav: "profile" },
          "aria-label": "Your profile",
          title: "Your profile",
        },
        avatar(user, 24),
        h("span", { class: "nav-label", text: "Profile" }),
      ),
      navLink("settings", "/settings", "Settings", "settings"),
      isAdmin() ? navLink("admin", "/admin", "Admin", "shield") : null,
      h(
        "button",
        { type: "button", class: "nav-link", dataset: { action: "logout" }, "aria-label": "Log out", title: "Log out", on: { click: logout } },
        icon("logout"),
        h("span", { class: "nav-label", text: "Log out" }),
      ),
    );
  } else {
    links.push(
      navLink("new", "/new", "New", "new"),
      navLink("trending", "/trending", "Trending", "trending"),
      h("a", { href: "/login", class: "button button-quiet", dataset: { nav: "login" }, text: "Log in" }),
      h("a", { href: "/signup", class: "button", dataset: { nav: "signup" }, text: "Sign up" }),
    );
  }
  mount(
    header,
    h("a", { class: "brand", href: "/" }, h("span", { class: "brand-mark", "aria-hidden": "true" }), h("span", { text: siteName })),
    h("nav", { class: ["nav", user ? "nav-user" : "nav-guest"], "aria-label": "Main" }, links),
  );
  markCurrentNav();
  if (user && badge) {
    // The live badge and realtime connection live in their own modules; the app works without them.
    import("./components/unread-badge.js")
      .then((module) => {
        if (currentUser()?.id === user.id && badge?.isConnected) detachBadge = module.attachUnreadBadge(badge);
      })
      .catch((error) => console.warn("unread badge unavailable", error));
  }
}

function markCurrentNav() {
  for (const link of header.querySelectorAll("a.nav-link")) {
    const href = link.getAttribute("href");
    const active = href === location.pathname;
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function logout() {
  try {
    await api.post("/auth/logout");
  } catch (error) {
    if (error?.status !== 401) return errorToast(error);
  }
  setUser(null);
  navigate("/login");
}

async function boot() {
  mount(
    root,
    h("a", { class: "skip-link", href: "#main", text: "Skip to content" }),
    header,
    main,
  );
  // The first page's module downloads while /me is asked (the shell preloads only the shared modules).
  matchRoute(routes, location.pathname)
    ?.route.load()
    .catch(() => {});
  try {
    await refreshUser();
  } catch (error) {
    errorToast(error);
  }
  renderHeader(currentUser());
  onUserChange((user) => renderHeader(user));
  startRouter(render);
}

boot();
