// Captions and comments as people read them: #hashtags and @mentions link inside the app, web addresses link out
// (rel=nofollow). The rules follow the server's (hashtags of any script with a letter in them, handles of 3–30
// [A-Za-z0-9_], neither glued to a word nor inside an address), so what is highlighted is what becomes a tag.
import { h } from "./dom.js";

const tagChar = /[\p{L}\p{M}\p{Nd}_]/u;
const tagRun = /^[\p{L}\p{M}\p{Nd}_]+/u;
const handleRun = /^[A-Za-z0-9_]+/;
const letter = /\p{L}/u;
const maxTagLength = 100;
// Closing punctuation after an address belongs to the sentence, not to the address.
const trailing = /[.,!?;:'")\]}>»”’]+$/u;

function isWordChar(character) {
  return tagChar.test(character) || character === "&" || character === "/" || character === "@";
}

function isAddress(word) {
  const lowered = word.toLowerCase();
  return lowered.includes("://") || lowered.startsWith("www.") || lowered.includes(".www.");
}

/** The hashtag as the server stores it (NFC, lowercase): the path of its page. */
export function normalizeTag(tag) {
  return tag.normalize("NFC").toLowerCase();
}

/**
 * Splits `text` into parts `{type: "text" | "tag" | "mention" | "url", text, value}`: `value` is the tag (normalized,
 * without `#`), the handle (without `@`) or the address to open. Joining every part's `text` gives `text` back.
 */
export function captionParts(text) {
  const parts = [];
  const push = (type, piece, value = null) => {
    if (!piece) return;
    const last = parts[parts.length - 1];
    if (type === "text" && last?.type === "text") last.text += piece;
    else parts.push({ type, text: piece, value });
  };
  for (const chunk of String(text ?? "").split(/(\s+)/u)) {
    if (!chunk || /^\s+$/u.test(chunk)) {
      push("text", chunk);
      continue;
    }
    if (isAddress(chunk)) {
      pushAddress(chunk, push);
      continue;
    }
    pushWord(chunk, push);
  }
  return parts;
}

function pushAddress(word, push) {
  const end = word.match(trailing);
  const address = end ? word.slice(0, end.index) : word;
  const rest = end ? end[0] : "";
  const lowered = address.toLowerCase();
  // Only web addresses become links (never javascript: or data:).
  let href = null;
  if (lowered.startsWith("http://") || lowered.startsWith("https://")) href = address;
  else if (lowered.startsWith("www.")) href = `https://${address}`;
  let valid = false;
  if (href) {
    try {
      const parsed = new URL(href);
      valid = (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname.includes(".");
    } catch {
      valid = false;
    }
  }
  if (valid) push("url", address, href);
  else push("text", address);
  push("text", rest);
}

function pushWord(word, push) {
  const characters = Array.from(word);
  let plain = "";
  let index = 0;
  while (index < characters.length) {
    const character = characters[index];
    const previous = index > 0 ? characters[index - 1] : null;
    const boundary = previous === null || !isWordChar(previous);
    if ((character === "#" || character === "＃") && boundary) {
      const body = characters.slice(index + 1).join("").match(tagRun)?.[0] ?? "";
      const length = Array.from(body).length;
      if (length > 0 && length <= maxTagLength && letter.test(body)) {
        push("text", plain);
        plain = "";
        push("tag", character + body, normalizeTag(body));
        index += 1 + length;
        continue;
      }
    }
    if (character === "@" && boundary) {
      const body = characters.slice(index + 1).join("").match(handleRun)?.[0] ?? "";
      const after = characters[index + 1 + body.length];
      if (body.length >= 3 && body.length <= 30 && after !== "@") {
        push("text", plain);
        plain = "";
        push("mention", character + body, body.toLowerCase());
        index += 1 + body.length;
        continue;
      }
    }
    plain += character;
    index += 1;
  }
  push("text", plain);
}

/**
 * A caption or comment as DOM nodes (text nodes and links, never HTML). `mentions` (the post's or comment's
 * resolved `[{handle}]`), when given, limits mention links to handles that exist.
 */
export function renderCaption(text, { mentions = null } = {}) {
  const known = Array.isArray(mentions) ? new Set(mentions.map((mention) => String(mention.handle).toLowerCase())) : null;
  const fragment = document.createDocumentFragment();
  for (const part of captionParts(text)) {
    if (part.type === "tag") {
      fragment.append(h("a", { class: "hashtag", href: `/tags/${encodeURIComponent(part.value)}`, text: part.text }));
    } else if (part.type === "mention" && (!known || known.has(part.value))) {
      fragment.append(h("a", { class: "mention", href: `/u/${encodeURIComponent(part.value)}`, text: part.text }));
    } else if (part.type === "url") {
      const link = { class: "external", href: part.value, rel: "nofollow noopener ugc", target: "_blank", text: shorten(part.text) };
      fragment.append(h("a", link));
    } else {
      fragment.append(document.createTextNode(part.text));
    }
  }
  return fragment;
}

/** Long addresses shortened for reading (the link keeps the whole address). */
function shorten(address) {
  const bare = address.replace(/^https?:\/\//i, "");
  return bare.length > 40 ? `${bare.slice(0, 38)}…` : bare;
}
