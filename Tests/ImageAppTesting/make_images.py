"""Writes the test images into the folder given (Pillow, from PyPI: scripts/test installs it)."""
import io
import sys

from PIL import Image, ImageCms, ImageDraw

out = sys.argv[1]


def gradient(width, height, mode="RGB"):
    small = Image.new("RGB", (64, 48))
    for y in range(48):
        for x in range(64):
            small.putpixel((x, y), (x * 4, y * 5, 128))
    image = small.resize((width, height), Image.BILINEAR)
    return image.convert(mode)


def save(image, name, **options):
    image.save(f"{out}/{name}", **options)


save(gradient(1600, 1200), "plain.jpg", quality=85)

# EXIF orientation 6 (rotate 90° clockwise to display), a camera make and a GPS position.
exif = Image.Exif()
exif[0x0112] = 6
exif[0x010F] = "TestCam"
exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
save(gradient(1200, 800), "exif6.jpg", quality=85, exif=exif.tobytes())

srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
save(gradient(800, 600), "icc.jpg", quality=85, icc_profile=srgb)

alpha = gradient(500, 400, "RGBA")
ImageDraw.Draw(alpha).rectangle((0, 0, 250, 400), fill=(0, 0, 0, 0))
save(alpha, "alpha.png")
save(gradient(300, 200), "small.png")
save(gradient(1400, 700), "photo.webp", quality=80)

frames = [Image.new("RGB", (400, 300), colour) for colour in ("red", "green", "blue")]
frames[0].save(f"{out}/anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)

# 7300 × 5500 = 40.15 MP, small on disk.
save(Image.new("RGB", (7300, 5500), (200, 100, 50)), "big40mp.jpg", quality=50)
# A decompression bomb: 20,000 × 20,000 pixels in a few hundred kilobytes.
save(Image.new("1", (20000, 20000)), "bomb.png", optimize=True)
# Their headers alone (the JPEG up to its first scan, the PNG up to its first pixel data): refused as too large rather
# than as truncated, they show the size is told before any pixel is decoded.
big = open(f"{out}/big40mp.jpg", "rb").read()
open(f"{out}/big40mp-header.jpg", "wb").write(big[: big.index(b"\xff\xda") + 20])
bomb = open(f"{out}/bomb.png", "rb").read()
open(f"{out}/bomb-header.png", "wb").write(bomb[: bomb.index(b"IDAT") + 16])
# A 12 MP photo-like JPEG, for the busy test.
save(gradient(4000, 3000), "12mp.jpg", quality=90)

plain = open(f"{out}/plain.jpg", "rb").read()
open(f"{out}/truncated.jpg", "wb").write(plain[: len(plain) * 6 // 10])
open(f"{out}/text.jpg", "wb").write(b"just some text, not an image\n" * 40)
# A JPEG that carries HTML after its end: an image to libmagic and libvips, so it is re-encoded and the HTML is gone.
open(f"{out}/polyglot.jpg", "wb").write(plain + b"<html><script>alert('polyglot')</script></html>")
# HTML that carries a JPEG: not an image by content.
open(f"{out}/polyglot.html.jpg", "wb").write(b"<html><script>alert(1)</script><!--" + plain + b"--></html>")
