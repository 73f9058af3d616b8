// The unread notifications count on the bell, kept live over the realtime stream. It also notices when the server ends
// this session (logout elsewhere, revocation, ban, deletion) and signs the app out.
import { api } from "../lib/api.js";
import { realtime } from "../lib/realtime.js";
import { currentUser, refreshUser, sessionEnded } from "../lib/session.js";

/** The badge's text: the count, "99+" past 99. */
export function badgeText(count) {
  return count > 99 ? "99+" : String(count);
}

let setCurrent = null;

/** Shows `count` on the attached badge at once (a page that marked notifications read knows the new count). */
export function setUnreadCount(count) {
  if (Number.isFinite(count)) setCurrent?.(count);
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
    } catch {
      // Keep what is shown: the next push or reconnect corrects it (a 401 signs the app out by itself).
    }
  }

  let refused = 0;
  let ending = null;
  // The server closed this session's stream for good (logout elsewhere, revocation, ban, deletion). A logout in this
  // tab closes it too, just before its own answer arrives: wait a moment so that one is not taken for an end elsewhere.
  function ended({ reason }) {
    clearTimeout(ending);
    ending = setTimeout(async () => {
      const user = currentUser();
      if (detached || !user) return;
      sessionEnded((await accountGone(user.handle, reason)) ? "banned" : reason);
    }, 1_000);
  }

  // A ban ends the sessions first, so its stream closes as `session_ended`; a profile that is no longer there tells a
  // ban from an ordinary end (an account deleted in another tab of this browser leaves a mark and is not one).
  async function accountGone(handle, reason) {
    if (reason === "banned") return true;
    if (localStorage.getItem("ia-deleted") === handle) return false;
    try {
      await api.get(`/users/${encodeURIComponent(handle)}`);
      return false;
    } catch (error) {
      return error?.status === 404;
    }
  }

  // A stream refused twice in a row may mean the session expired (a browser WebSocket cannot see the 401): asking
  // for the user answers 401 then, which signs the app out (lib/api.js); anything else keeps it signed in.
  function maybeExpired() {
    refreshUser().catch(() => {});
  }

  function onVisible() {
    if (document.visibilityState === "visible") refetch();
  }

  // A count pushed or answered to a change is newer than any answer to a read still on its way.
  const setNow = (count) => {
    request += 1;
    show(count);
  };
  setCurrent = setNow;
  const offs = [
    realtime.on("unread_count", (data) => setNow(data?.count)),
    realtime.on("reconnected", refetch),
    realtime.on("ended", ended),
    realtime.on("close", ({ wasOpen }) => {
      refused = wasOpen ? 0 : refused + 1;
      if (refused === 2) maybeExpired();
    }),
    realtime.on("open", () => (refused = 0)),
  ];
  document.addEventListener("visibilitychange", onVisible);
  refetch();
  realtime.start();

  return function detach() {
    detached = true;
    clearTimeout(ending);
    if (setCurrent === setNow) setCurrent = null;
    for (const off of offs) off();
    document.removeEventListener("visibilitychange", onVisible);
    realtime.stop();
  };
}
