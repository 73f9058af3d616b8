// The unread notifications count on the bell, kept live over the realtime stream. It also notices when the server ends
// this session (logout elsewhere, revocation, ban) and takes the person to the login page.
import { api } from "../lib/api.js";
import { realtime } from "../lib/realtime.js";
import { navigate } from "../lib/router.js";
import { currentUser, refreshUser } from "../lib/session.js";
import { toast } from "./states.js";

/** The badge's text: the count, "99+" past 99. */
export function badgeText(count) {
  return count > 99 ? "99+" : String(count);
}

/**
 * Shows the unread count in `badge` (`[data-unread-count]`, hidden at 0) and on its link's accessible name, fetched
 * now, after every reconnect and when the tab comes back, and live from `unread_count` messages. Starts the realtime
 * stream; the returned `detach()` stops both (logging out).
 */
export function attachUnreadBadge(badge) {
  const link = badge.closest("a");
  const baseLabel = link?.getAttribute("aria-label") ?? "Notifications";
  let detached = false;
  let request = 0;

  function show(count) {
    const value = Math.max(0, Number(count) || 0);
    badge.dataset.unreadCount = String(value);
    badge.textContent = value ? badgeText(value) : "";
    badge.hidden = value === 0;
    if (link) {
      const label = value ? `${baseLabel}, ${value} unread` : baseLabel;
      link.setAttribute("aria-label", label);
      link.title = label;
    }
  }

  async function refetch() {
    const mine = ++request;
    try {
      const answer = await api.get("/notifications/unread_count");
      if (!detached && mine === request) show(answer?.count);
    } catch (error) {
      if (error?.status === 401) sessionMayHaveEnded();
      // Anything else: keep what is shown; the next push or reconnect corrects it.
    }
  }

  let checking = false;
  let refused = 0;
  // A logout in this tab closes the stream too: wait a moment so that one is not mistaken for an end from elsewhere.
  function sessionMayHaveEnded() {
    if (checking || detached) return;
    checking = true;
    setTimeout(async () => {
      checking = false;
      if (detached || !currentUser()) return;
      try {
        // Refreshing to nobody re-renders the header, which detaches this badge: decide from the answer.
        if (await refreshUser()) return;
      } catch {
        return;
      }
      toast("You were signed out.", { error: true });
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }, 1_000);
  }

  function onVisible() {
    if (document.visibilityState === "visible") refetch();
  }

  const offs = [
    realtime.on("unread_count", (data) => {
      request += 1; // a pushed count is newer than any answer still on its way
      show(data?.count);
    }),
    realtime.on("reconnected", refetch),
    realtime.on("ended", sessionMayHaveEnded),
    // A stream refused twice in a row (a browser WebSocket cannot see the 401) may mean the session expired.
    realtime.on("close", ({ wasOpen }) => {
      refused = wasOpen ? 0 : refused + 1;
      if (refused === 2) sessionMayHaveEnded();
    }),
    realtime.on("open", () => (refused = 0)),
  ];
  document.addEventListener("visibilitychange", onVisible);
  refetch();
  realtime.start();

  return function detach() {
    detached = true;
    for (const off of offs) off();
    document.removeEventListener("visibilitychange", onVisible);
    realtime.stop();
  };
}
