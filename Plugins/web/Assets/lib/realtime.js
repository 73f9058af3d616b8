// The live connection: one WebSocket to /api/v1/stream (the session cookie authenticates it) carrying the signed-in
// user's messages `{type, data}` (`notification`, `unread_count`, `feed.post`, `post.counts`). Delivery is at most
// once, so after a reconnect views hear `reconnected` and refetch what they show. A dropped connection comes back
// with exponential backoff and jitter (so a restarted server is not hit by every tab at once), and at once when the
// browser goes back online or the tab becomes visible.

const handlers = new Map(); // type -> Set of handlers
const baseDelay = 1_000;
const maxDelay = 30_000;
// A connection that stayed up this long was healthy: the next drop starts the backoff again from the beginning.
const healthyAfter = 10_000;

let socket = null;
let wanted = false;
let failures = 0;
let timer = null;
let connectedOnce = false;
let openedAt = 0;
let stopTimer = null;

function emit(type, data) {
  for (const handler of [...(handlers.get(type) ?? [])]) {
    try {
      handler(data);
    } catch (error) {
      console.error(`realtime: a "${type}" handler failed`, error);
    }
  }
}

function streamURL() {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/v1/stream`;
}

/** Full jitter: a random wait up to the exponential step, never under half a second. */
export function backoffDelay(failureCount, random = Math.random) {
  const ceiling = Math.min(maxDelay, baseDelay * 2 ** Math.max(0, failureCount - 1));
  return Math.max(500, Math.round(ceiling * random()));
}

function connect() {
  clearTimeout(timer);
  timer = null;
  if (!wanted || socket) return;
  if (navigator.onLine === false) return; // the `online` event connects
  let ws;
  try {
    ws = new WebSocket(streamURL());
  } catch (error) {
    console.warn("realtime: cannot open the stream", error);
    return schedule();
  }
  socket = ws;
  ws.addEventListener("open", () => {
    if (socket !== ws) return;
    openedAt = Date.now();
    const again = connectedOnce;
    connectedOnce = true;
    emit("open", null);
    if (again) emit("reconnected", null);
  });
  ws.addEventListener("message", (event) => {
    if (socket !== ws || typeof event.data !== "string") return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message && typeof message.type === "string") emit(message.type, message.data ?? {});
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    const wasOpen = openedAt > 0;
    if (wasOpen && Date.now() - openedAt > healthyAfter) failures = 0;
    openedAt = 0;
    failures += 1;
    // 1000 with a reason is the server ending this session's streams (logout, revocation, ban, deletion).
    if (event.code === 1000 && event.reason) emit("ended", { reason: event.reason });
    emit("close", { code: event.code, reason: event.reason, wasOpen });
    schedule();
  });
}

function schedule() {
  if (!wanted || timer) return;
  timer = setTimeout(connect, backoffDelay(failures));
}

/** Reconnects at once (skipping the backoff) when the connection is down: back online, or back to the tab. */
function reconnectNow() {
  if (!wanted || socket) return;
  if (document.visibilityState === "hidden") return;
  failures = 0;
  connect();
}

function onVisibility() {
  if (document.visibilityState === "visible") reconnectNow();
}

export const realtime = {
  /** Calls `handler(data)` for each message of `type` (and for "open", "close", "ended", "reconnected"); returns off(). */
  on(type, handler) {
    if (!handlers.has(type)) handlers.set(type, new Set());
    handlers.get(type).add(handler);
    return () => handlers.get(type)?.delete(handler);
  },
  /** Opens the stream (once; calling again is harmless). */
  start() {
    if (stopTimer) {
      // stop() then start() in the same task (the header re-rendered for the same person): keep the connection.
      clearTimeout(stopTimer);
      stopTimer = null;
      wanted = true;
      if (!socket && !timer) connect();
      return;
    }
    if (wanted) return;
    wanted = true;
    failures = 0;
    connectedOnce = false;
    window.addEventListener("online", reconnectNow);
    document.addEventListener("visibilitychange", onVisibility);
    connect();
  },
  /** Closes the stream and stops reconnecting (logging out). */
  stop() {
    if (!wanted || stopTimer) return;
    wanted = false;
    stopTimer = setTimeout(() => {
      stopTimer = null;
      clearTimeout(timer);
      timer = null;
      window.removeEventListener("online", reconnectNow);
      document.removeEventListener("visibilitychange", onVisibility);
      const ws = socket;
      socket = null;
      openedAt = 0;
      if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, "bye");
    }, 0);
  },
  /** Whether the stream is open now. */
  get connected() {
    return socket?.readyState === WebSocket.OPEN;
  },
};
