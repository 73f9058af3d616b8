"""Prints what Pillow reads in the image file given, as JSON: format, size, metadata left, and the colours near its
corners (the mean of a 5% square inset by 5%), so that tests check orientation and stripping independently of libvips."""
import json
import sys

from PIL import Image

image = Image.open(sys.argv[1])
exif = image.getexif()
info = {
    "format": image.format,
    "width": image.width,
    "height": image.height,
    "frames": getattr(image, "n_frames", 1),
    "exif": bool(image.info.get("exif")) or len(exif) > 0,
    "gps": len(exif.get_ifd(0x8825)) > 0,
    "xmp": bool(image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")),
    "icc": bool(image.info.get("icc_profile")),
}
rgb = image.convert("RGB")
side = max(1, min(image.width, image.height) // 20)
inset = side if image.width > 3 * side and image.height > 3 * side else 0


def mean(x, y):
    return list(rgb.crop((x, y, x + side, y + side)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))


right, bottom = max(0, image.width - inset - side), max(0, image.height - inset - side)
info["corners"] = {
    "top_left": mean(inset, inset),
    "top_right": mean(right, inset),
    "bottom_left": mean(inset, bottom),
    "bottom_right": mean(right, bottom),
}
print(json.dumps(info))
