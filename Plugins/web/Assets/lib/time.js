// Relative times ("3 min", "2 d") that stay current, with the exact time as a tooltip.
import { h } from "./dom.js";

const units = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "5 min. ago", "yesterday", "now". */
export function relativeText(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (!Number.isFinite(seconds)) return "";
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), "minute");
}

const live = new Set();
setInterval(() => {
  for (const element of live) {
    if (!element.isConnected) live.delete(element);
    else element.textContent = relativeText(element.dateTime);
  }
}, 60_000);

/** A `<time>` element showing `iso` relative to now (kept current), the exact date in its title. */
export function timeAgo(iso) {
  const date = new Date(iso);
  const element = h("time", { datetime: iso, title: Number.isNaN(date.getTime()) ? "" : absolute.format(date) });
  element.textContent = relativeText(iso);
  live.add(element);
  return element;
}
