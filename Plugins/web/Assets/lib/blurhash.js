// A BlurHash decoder (the compact placeholder the media plugin computes for every image): a few DCT components,
// quantised and written in base 83, turned back into pixels while the real image loads. Written from the format's
// description: it is small, and no third-party code is copied into the app.

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
const digits = new Map([...alphabet].map((character, index) => [character, index]));

function base83(text) {
  let value = 0;
  for (const character of text) {
    const digit = digits.get(character);
    if (digit === undefined) throw new Error("blurhash: bad character");
    value = value * 83 + digit;
  }
  return value;
}

function toLinear(value) {
  const v = value / 255;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

function toSRGB(value) {
  const v = Math.max(0, Math.min(1, value));
  return v <= 0.0031308 ? Math.round(v * 12.92 * 255 + 0.5) : Math.round((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
}

function signedSquare(value) {
  return Math.sign(value) * value * value;
}

/** Whether `hash` is a well-formed BlurHash. */
export function isBlurhash(hash) {
  if (typeof hash !== "string" || hash.length < 6) return false;
  try {
    const size = base83(hash[0]);
    return hash.length === 4 + 2 * ((size % 9) + 1) * (Math.floor(size / 9) + 1) && base83(hash) >= 0;
  } catch {
    return false;
  }
}

/** The RGBA pixels (`width` × `height`) of `hash`; throws on a malformed hash. */
export function decodeBlurhash(hash, width, height, punch = 1) {
  if (!isBlurhash(hash)) throw new Error("blurhash: malformed");
  const size = base83(hash[0]);
  const columns = (size % 9) + 1;
  const rows = Math.floor(size / 9) + 1;
  const maximum = ((base83(hash[1]) + 1) / 166) * punch;
  const colours = [];
  const dc = base83(hash.slice(2, 6));
  colours.push([toLinear(dc >> 16), toLinear((dc >> 8) & 255), toLinear(dc & 255)]);
  for (let index = 1; index < columns * rows; index++) {
    const ac = base83(hash.slice(4 + index * 2, 6 + index * 2));
    colours.push([
      signedSquare((Math.floor(ac / 361) - 9) / 9) * maximum,
      signedSquare(((Math.floor(ac / 19) % 19) - 9) / 9) * maximum,
      signedSquare(((ac % 19) - 9) / 9) * maximum,
    ]);
  }
  const pixels = new Uint8ClampedArray(width * height * 4);
  const cosX = new Float64Array(width * columns);
  for (let x = 0; x < width; x++) for (let i = 0; i < columns; i++) cosX[x * columns + i] = Math.cos((Math.PI * x * i) / width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let j = 0; j < rows; j++) {
        const cosY = Math.cos((Math.PI * y * j) / height);
        for (let i = 0; i < columns; i++) {
          const basis = cosX[x * columns + i] * cosY;
          const colour = colours[i + j * columns];
          r += colour[0] * basis;
          g += colour[1] * basis;
          b += colour[2] * basis;
        }
      }
      const offset = 4 * (x + y * width);
      pixels[offset] = toSRGB(r);
      pixels[offset + 1] = toSRGB(g);
      pixels[offset + 2] = toSRGB(b);
      pixels[offset + 3] = 255;
    }
  }
  return pixels;
}
