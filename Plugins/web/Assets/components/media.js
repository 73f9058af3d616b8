// An image of a post: the BlurHash placeholder at once, then the variant that fits the screen (srcset), with its
// alt text. Layout is reserved from width and height, so nothing jumps while images load.
import { h } from "../lib/dom.js";
import { decodeBlurhash, isBlurhash } from "../lib/blurhash.js";

const placeholderSize = 32;

function placeholder(hash) {
  if (!isBlurhash(hash)) return null;
  const canvas = h("canvas", { class: "media-placeholder", width: placeholderSize, height: placeholderSize, "aria-hidden": "true" });
  try {
    const context = canvas.getContext("2d");
    const image = context.createImageData(placeholderSize, placeholderSize);
    image.data.set(decodeBlurhash(hash, placeholderSize, placeholderSize));
    context.putImageData(image, 0, 0);
  } catch {
    return null;
  }
  return canvas;
}

/**
 * A post's image (a media object of the API). `sizes` tells the browser how wide it is shown; `eager` loads it at
 * once (the first image of a page); `thumbnail` makes a square, cropped cell for grids (the 640 px variant).
 */
export function mediaImage(media, { sizes = "(max-width: 640px) 100vw, 640px", eager = false, thumbnail = false } = {}) {
  const frame = h("div", { class: ["media", thumbnail && "media-thumb"] });
  const width = Number(media?.width) || 1;
  const height = Number(media?.height) || 1;
  // Feeds show tall images at most 4:5 and wide ones at least 1.91:1 (cropped to the centre beyond), as people expect.
  if (!thumbnail) frame.style.aspectRatio = String(Math.min(1.91, Math.max(0.8, width / height)));
  const canvas = placeholder(media?.blurhash);
  if (canvas) frame.append(canvas);
  const image = h("img", {
    src: thumbnail ? media.preview_url : media.url,
    srcset: media.preview_url && media.url ? `${media.preview_url} 640w, ${media.url} 1080w` : null,
    sizes: thumbnail ? "(max-width: 640px) 33vw, 320px" : sizes,
    alt: media?.alt ?? "",
    width,
    height,
    loading: eager ? "eager" : "lazy",
    decoding: "async",
    fetchpriority: eager ? "high" : null,
  });
  image.addEventListener("load", () => frame.classList.add("loaded"), { once: true });
  image.addEventListener("error", () => frame.classList.add("failed"), { once: true });
  frame.append(image);
  if (image.complete && image.naturalWidth) frame.classList.add("loaded");
  return frame;
}
