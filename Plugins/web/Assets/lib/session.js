// Who is signed in: `GET /me` once at start, again after logging in or out.
import { api, ApiError, onUnauthorized } from "./api.js";
import { navigate } from "./router.js";

let user = null;
const listeners = new Set();

/** The signed-in user (the `/me` profile, with `role`), or null. */
export function currentUser() {
  return user;
}

/** Reloads the signed-in user; returns it (null when signed out). */
export async function refreshUser() {
  // The CSRF cookie comes and goes with the session cookie (which scripts cannot see): without it nobody is signed
  // in, and asking would only log a 401 in the console.
  if (!/(?:^|;\s*)ia_csrf=[^;]/.test(document.cookie)) {
    user = null;
    for (const listener of listeners) listener(user);
    return user;
  }
  try {
    user = await api.get("/me");
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) throw error;
    user = null;
  }
  for (const listener of listeners) listener(user);
  return user;
}

/** Sets the user after a call that answered with it, without another request. */
export function setUser(next) {
  user = next;
  for (const listener of listeners) listener(user);
}

/** Calls `listener(user)` whenever the signed-in user changes; returns the unsubscribe function. */
export function onUserChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The signed-in user, or null after sending the browser to the login page (which comes back here after). */
export function requireUser() {
  if (user) return user;
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  return null;
}

/** Whether the signed-in user is an admin. */
export function isAdmin() {
  return user?.role === "admin";
}

/**
 * The session ended on the server (logged out elsewhere, revoked, banned, expired): forget the user and go to the
 * login page with a word of why. `reason` is the realtime stream's close reason or the 401's code.
 */
export function sessionEnded(reason = "") {
  if (!user) return;
  setUser(null);
  const why = reason === "banned" ? "banned" : "ended";
  navigate(`/login?session=${why}&next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
}

onUnauthorized((error) => sessionEnded(error.code));
