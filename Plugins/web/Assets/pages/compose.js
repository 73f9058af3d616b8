// A new post: pick (or drop) up to 10 photos, describe each (alt text), order them, write a caption whose #tags and
// @mentions light up as you type, and share — each image uploaded with a progress bar, then the post made of them.
import { h, icon, mount } from "../lib/dom.js";
import { api, ApiError, describeError, fieldErrors } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { captionParts } from "../lib/caption.js";
import { toast } from "../components/states.js";

const maxImages = 10;
const maxBytes = 16 * 1024 * 1024;
const maxCaption = 2200;
const maxAlt = 1500;
const accepted = ["image/jpeg", "image/png", "image/webp", "image/gif"];
const numberFormat = new Intl.NumberFormat();

let itemCount = 0;

/** The caption as highlighted nodes: the same text, #tags, @mentions and addresses marked (never HTML). */
function highlighted(text) {
  const fragment = document.createDocumentFragment();
  for (const part of captionParts(text)) {
    if (part.type === "text") fragment.append(document.createTextNode(part.text));
    else fragment.append(h("mark", { class: `hl hl-${part.type}`, text: part.text }));
  }
  // A final line break needs something after it to take up its line, as in the textarea.
  fragment.append(document.createTextNode("\n\u200b"));
  return fragment;
}

export default function compose(ctx) {
  ctx.title("New post");
  /** @type {{key, file, url, alt, mediaId, uploadedAlt, error, element, altField}[]} */
  let items = [];
  let busy = false;

  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  const showProblem = (text) => {
    problem.textContent = text ?? "";
    problem.hidden = !text;
  };

  // Choosing photos: the file input (inside its label, so the whole area opens the picker) or a drop.
  const input = h("input", {
    type: "file",
    name: "images",
    multiple: true,
    accept: accepted.join(","),
    class: "visually-hidden",
    id: "compose-files",
    on: {
      change: () => {
        addFiles(Array.from(input.files ?? []));
        input.value = "";
      },
    },
  });
  const dropHint = h("span", { class: "drop-hint", text: "JPEG, PNG, WebP or GIF, up to 16 MB each, 10 photos at most." });
  const drop = h(
    "label",
    { class: "dropzone", for: "compose-files" },
    icon("compose"),
    h("span", { class: "drop-title", text: "Choose photos" }),
    h("span", { class: "drop-sub", text: "or drag them here" }),
    dropHint,
  );
  const list = h("ol", { class: "compose-items", "aria-label": "Photos of the post" });

  // The caption, with an overlay that shows the same text with its #tags and @mentions marked.
  const caption = h("textarea", {
    id: "compose-caption",
    name: "caption",
    class: "caption-input",
    rows: 4,
    maxlength: maxCaption,
    placeholder: "Write a caption… #hashtags and @mentions welcome",
    "aria-describedby": "compose-caption-count compose-caption-error",
    spellcheck: "true",
  });
  const mirror = h("div", { class: "caption-mirror", "aria-hidden": "true" });
  const count = h("span", { class: "char-count", id: "compose-caption-count" });
  const captionError = h("p", { class: "field-error", id: "compose-caption-error", hidden: true });
  const syncCaption = () => {
    mount(mirror, highlighted(caption.value));
    caption.style.height = "auto";
    caption.style.height = `${caption.scrollHeight + 2}px`;
    mirror.scrollTop = caption.scrollTop;
    const used = caption.value.length;
    count.textContent = `${numberFormat.format(used)} / ${numberFormat.format(maxCaption)}`;
    count.classList.toggle("near-limit", used > maxCaption - 100);
    captionError.hidden = true;
    caption.removeAttribute("aria-invalid");
  };
  caption.addEventListener("input", syncCaption);
  caption.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      element.requestSubmit();
    }
  });
  caption.addEventListener("scroll", () => (mirror.scrollTop = caption.scrollTop));

  const progress = h("progress", { class: "upload-progress", max: "100", value: "0", "aria-label": "Upload progress", hidden: true });
  const progressText = h("span", { class: "progress-text", role: "status" });
  const submit = h("button", { type: "submit", class: "button button-primary share-button", text: "Share", disabled: true });

  const element = h(
    "form",
    { class: "compose-form", dataset: { form: "compose" }, novalidate: true, on: { submit: (event) => share(event) } },
    h("div", { class: "compose-media" }, input, drop, list),
    h(
      "div",
      { class: "field compose-caption" },
      h("label", { for: "compose-caption", text: "Caption" }),
      h("div", { class: "caption-editor" }, mirror, caption),
      h("div", { class: "caption-footer" }, h("span", { class: "field-hint", text: "#tags and @mentions are linked." }), count),
      captionError,
    ),
    h("div", { class: "compose-submit" }, progress, progressText, problem, submit),
  );

  // Drag and drop, anywhere on the form.
  let dragDepth = 0;
  element.addEventListener("dragenter", (event) => {
    if (!event.dataTransfer?.types?.includes("Files")) return;
    event.preventDefault();
    dragDepth += 1;
    element.classList.add("dragging");
  });
  element.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types?.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  element.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) element.classList.remove("dragging");
  });
  element.addEventListener("drop", (event) => {
    event.preventDefault();
    dragDepth = 0;
    element.classList.remove("dragging");
    addFiles(Array.from(event.dataTransfer?.files ?? []));
  });

  // Pasted images (a screenshot, a copied photo) join the post too.
  element.addEventListener("paste", (event) => {
    const files = Array.from(event.clipboardData?.files ?? []).filter((file) => file.type.startsWith("image/"));
    if (files.length === 0) return;
    event.preventDefault();
    addFiles(files);
  });

  // Closing or reloading the tab with a post in progress asks first (leaving within the app does not: no prompt
  // can stop the router).
  const guard = (event) => {
    if (!busy && items.length === 0 && !caption.value.trim()) return;
    event.preventDefault();
    event.returnValue = "";
  };
  window.addEventListener("beforeunload", guard);
  ctx.onLeave(() => {
    window.removeEventListener("beforeunload", guard);
    for (const item of items) URL.revokeObjectURL(item.url);
  });

  function addFiles(files) {
    if (busy) return;
    showProblem(null);
    const room = maxImages - items.length;
    const images = files.filter((file) => file.type === "" || file.type.startsWith("image/"));
    const skipped = files.length - images.length;
    for (const file of images.slice(0, Math.max(0, room))) {
      const item = { key: ++itemCount, file, url: URL.createObjectURL(file), alt: "", mediaId: null, uploadedAlt: null, error: null };
      if (file.type && !accepted.includes(file.type)) item.error = "This kind of image is not supported: use JPEG, PNG, WebP or GIF.";
      else if (file.size > maxBytes) item.error = `This image is too large (${formatBytes(file.size)}); the limit is 16 MB.`;
      items.push(item);
    }
    const notes = [];
    if (images.length > room) notes.push(`A post has ${maxImages} photos at most: ${images.length - Math.max(0, room)} were left out.`);
    if (skipped > 0) notes.push(skipped === 1 ? "One file is not an image." : `${skipped} files are not images.`);
    if (notes.length) showProblem(notes.join(" "));
    render();
  }

  function move(item, by) {
    const from = items.indexOf(item);
    const to = from + by;
    if (to < 0 || to >= items.length) return;
    items.splice(from, 1);
    items.splice(to, 0, item);
    render();
    // Keep the focus on the moved photo's button, or its other one at an end.
    const buttons = item.element.querySelectorAll(".move-button");
    const again = by < 0 ? buttons[0] : buttons[1];
    const fallback = item.element.querySelector(".move-button:not(:disabled)") ?? item.element.querySelector(".remove-button");
    (again && !again.disabled ? again : fallback)?.focus();
  }

  function removeItem(item) {
    const index = items.indexOf(item);
    items.splice(index, 1);
    URL.revokeObjectURL(item.url);
    render();
    const next = items[Math.min(index, items.length - 1)];
    (next?.element.querySelector(".remove-button") ?? drop).focus();
    showProblem(null);
  }

  function itemElement(item, index) {
    const altId = `compose-alt-${item.key}`;
    const altInput = h("textarea", {
      id: altId,
      name: "alt",
      rows: 2,
      maxlength: maxAlt,
      placeholder: "Describe the photo for people who cannot see it",
      "aria-describedby": `${altId}-error`,
      value: item.alt,
      readonly: busy,
      on: { input: () => (item.alt = altInput.value) },
    });
    const errorLine = h("p", {
      class: "field-error item-error",
      id: `${altId}-error`,
      role: "alert",
      hidden: !item.error,
      text: item.error ?? "",
    });
    const status = h("span", { class: "item-status", text: item.mediaId ? "Uploaded" : "" });
    const total = items.length;
    const li = h(
      "li",
      { class: ["compose-item", item.error && "has-error"], dataset: { index: String(index) } },
      h(
        "div",
        { class: "compose-thumb" },
        h("img", {
          src: item.url,
          alt: item.alt ? `Photo ${index + 1}: ${item.alt}` : `Photo ${index + 1}`,
          width: 96,
          height: 96,
          // A file the browser cannot show (not an image, or a kind it does not read): a plain tile instead.
          on: { error: (event) => event.target.closest(".compose-thumb").classList.add("no-preview") },
        }),
        h("span", { class: "thumb-fallback", "aria-hidden": "true", text: "No preview" }),
        h("span", { class: "thumb-number", "aria-hidden": "true", text: String(index + 1) }),
      ),
      h(
        "div",
        { class: "compose-item-body" },
        h("label", { for: altId, text: `Alt text for photo ${index + 1}` }),
        altInput,
        errorLine,
        h(
          "div",
          { class: "compose-item-actions" },
          moveButton(`Move photo ${index + 1} earlier`, "Move earlier", index === 0, () => move(item, -1), "left"),
          moveButton(`Move photo ${index + 1} later`, "Move later", index === total - 1, () => move(item, 1), "right"),
          h(
            "button",
            {
              type: "button",
              class: "icon-button remove-button",
              dataset: { action: "remove-image" },
              "aria-label": `Remove photo ${index + 1}`,
              title: "Remove",
              on: { click: () => removeItem(item) },
            },
            icon("trash"),
            h("span", { text: "Remove" }),
          ),
          status,
        ),
      ),
    );
    item.element = li;
    item.errorLine = errorLine;
    item.status = status;
    item.altInput = altInput;
    return li;
  }

  function render() {
    mount(list, items.map(itemElement));
    const full = items.length >= maxImages;
    drop.classList.toggle("compact", items.length > 0);
    drop.hidden = full;
    input.disabled = full || busy;
    drop.querySelector(".drop-title").textContent = items.length ? "Add more photos" : "Choose photos";
    submit.disabled = busy || items.length === 0;
    for (const control of element.querySelectorAll(".compose-item button")) control.disabled = control.disabled || busy;
  }

  function setItemError(item, message) {
    item.error = message;
    if (!item.element) return;
    item.element.classList.toggle("has-error", Boolean(message));
    item.errorLine.textContent = message ?? "";
    item.errorLine.hidden = !message;
    if (message) item.altInput.setAttribute("aria-invalid", "true");
    else item.altInput.removeAttribute("aria-invalid");
  }

  function setBusy(value) {
    busy = value;
    element.setAttribute("aria-busy", String(value));
    caption.readOnly = value;
    render();
  }

  async function uploadOne(item, onProgress) {
    const form = new FormData();
    form.append("alt", item.alt.trim());
    form.append("file", item.file, item.file.name || "image");
    // Every processing slot busy (503): wait as told, twice at most, before giving up.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await api.upload("/media", form, onProgress);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 503 || attempt >= 2) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(10, error.retryAfter ?? 2) * 1000));
      }
    }
  }

  async function share(event) {
    event.preventDefault();
    if (busy) return;
    showProblem(null);
    if (items.length === 0) return showProblem("Choose at least one photo.");
    if (caption.value.length > maxCaption) return showProblem(`The caption is too long: ${maxCaption} characters at most.`);
    const broken = items.find((item) => item.error && !item.mediaId);
    if (broken) {
      showProblem("Remove or replace the photos marked with a problem first.");
      broken.element.querySelector(".remove-button")?.focus();
      return;
    }
    setBusy(true);
    progress.hidden = false;
    progress.value = 0;
    const totalBytes = items.reduce((sum, item) => sum + (item.mediaId ? 0 : item.file.size), 0) || 1;
    let doneBytes = 0;
    let failed = false;
    try {
      for (const [index, item] of items.entries()) {
        if (item.mediaId) {
          // Uploaded by an earlier try: only its alt text may have changed since.
          if (item.alt.trim() !== item.uploadedAlt) {
            await api.patch(`/media/${encodeURIComponent(item.mediaId)}`, { alt: item.alt.trim() || null });
            item.uploadedAlt = item.alt.trim();
          }
          continue;
        }
        progressText.textContent = `Uploading photo ${index + 1} of ${items.length}…`;
        item.status.textContent = "Uploading…";
        try {
          const media = await uploadOne(item, (fraction) => {
            progress.value = Math.round(((doneBytes + fraction * item.file.size) / totalBytes) * 95);
          });
          item.mediaId = media.id;
          item.uploadedAlt = item.alt.trim();
          item.status.textContent = "Uploaded";
          setItemError(item, null);
        } catch (error) {
          failed = true;
          item.status.textContent = "";
          const fields = fieldErrors(error);
          setItemError(item, fields.file ?? fields.alt ?? describeError(error));
          if (error instanceof ApiError && (error.status === 0 || error.status === 401 || error.status === 429)) throw error;
        }
        doneBytes += item.file.size;
        progress.value = Math.round((doneBytes / totalBytes) * 95);
      }
      if (failed) {
        progressText.textContent = "";
        showProblem("Some photos could not be uploaded: see the message under each. Remove them or try again.");
        return;
      }
      progressText.textContent = "Sharing your post…";
      const post = await api.post("/posts", { caption: caption.value, media_ids: items.map((item) => item.mediaId) });
      progress.value = 100;
      progressText.textContent = "Shared.";
      for (const item of items) URL.revokeObjectURL(item.url);
      items = [];
      toast("Your post is shared.");
      navigate(`/p/${encodeURIComponent(post.id)}`);
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields.caption) {
        captionError.textContent = fields.caption;
        captionError.hidden = false;
        caption.setAttribute("aria-invalid", "true");
        caption.focus();
      }
      if (error instanceof ApiError && error.code === "invalid_media") {
        // Media that could not be used (purged, attached elsewhere): upload those again on the next try.
        for (const item of items) item.mediaId = null;
      }
      showProblem(describeError(error));
      progressText.textContent = "";
    } finally {
      if (items.length) {
        setBusy(false);
        if (!failed) progress.hidden = true;
      }
    }
  }

  // A link may start the caption (a tag page's "Be the first" gives its #tag).
  if (typeof ctx.query.caption === "string") caption.value = ctx.query.caption.slice(0, maxCaption);
  syncCaption();
  render();
  return h(
    "section",
    { class: "compose-page" },
    h("h1", { text: "New post" }),
    element,
  );
}

function moveButton(label, title, disabled, onClick, iconName) {
  return h(
    "button",
    { type: "button", class: "icon-button move-button", "aria-label": label, title, disabled, on: { click: onClick } },
    icon(iconName),
  );
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
