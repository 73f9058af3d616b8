"""Screenshots of the main pages for docs/screenshots (desktop and 360 px): run only when IMAGEAPP_WEB_SCREENSHOTS
names the folder to write them to, e.g.

    IMAGEAPP_WEB_SCREENSHOTS=$PWD/docs/screenshots IMAGEAPP_WEB_PYTEST_ARGS="-k screenshots" scripts/test --filter browserSuite

It fills a small site first: two people who follow each other, a few posts with images, likes and comments."""

import os

import pytest

from helpers import api, register_via_api, sign_in, unique_handle, wait_for, wait_for_page

FOLDER = os.environ.get("IMAGEAPP_WEB_SCREENSHOTS", "")

pytestmark = pytest.mark.skipif(not FOLDER, reason="IMAGEAPP_WEB_SCREENSHOTS is not set")


def photo(tmp_path, name, colours):
    """A 1080×1350 JPEG with soft bands of `colours` (something nicer than a flat square to look at)."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (1080, 1350), colours[0])
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(colours[1:], start=1):
        draw.ellipse((index * 180 - 300, index * 260 - 200, index * 180 + 700, index * 260 + 600), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(60))
    path = tmp_path / f"{name}.jpg"
    image.save(path, quality=90)
    return str(path)


def test_screenshots(browser, base_url, tmp_path):
    os.makedirs(FOLDER, exist_ok=True)
    maya = register_via_api(base_url, unique_handle("maya"), display_name="Maya Lindqvist")
    theo = register_via_api(base_url, unique_handle("theo"), display_name="Théo Martin")
    for follower, followee in ((maya, theo), (theo, maya)):
        api(base_url, "PUT", f"/api/v1/users/{followee['handle']}/follow", token=follower["token"])
    palettes = [
        ((250, 200, 150), (240, 120, 90), (120, 60, 120)),
        ((150, 200, 230), (60, 120, 200), (20, 40, 90)),
        ((200, 230, 180), (90, 170, 110), (30, 80, 60)),
        ((240, 220, 200), (200, 160, 120), (90, 70, 60)),
    ]
    captions = [
        "Golden hour on the ridge #sunset #hiking",
        "Blue morning at the harbour with @{theo} #sea",
        "Moss, ferns and a very quiet forest #forest",
        "Coffee and film negatives #analog",
    ]
    posts = []
    for index, (palette, caption) in enumerate(zip(palettes, captions)):
        author = maya if index % 2 == 0 else theo
        path = photo(tmp_path, f"p{index}", palette)
        media = upload_path(base_url, author["token"], path, f"Abstract {caption.split()[0].lower()} colours")
        created = api(base_url, "POST", "/api/v1/posts", token=author["token"], body={"caption": caption.format(theo=theo["handle"]), "media_ids": [media]})
        posts.append(created.json["id"])
    for post in posts:
        api(base_url, "PUT", f"/api/v1/posts/{post}/like", token=theo["token"])
    api(base_url, "POST", f"/api/v1/posts/{posts[0]}/comments", token=theo["token"], body={"body": "This light is unreal."})
    for mobile in (False, True):
        suffix = "360" if mobile else "desktop"
        driver = browser(f"maya-{suffix}", mobile=mobile)
        sign_in(driver, base_url, maya["handle"], path="/")
        for path, page, name in (
            ("/", "home", "home"),
            (f"/p/{posts[0]}", "post", "post"),
            (f"/u/{maya['handle']}", "profile", "profile"),
            ("/notifications", "notifications", "notifications"),
        ):
            driver.get(base_url + path)
            wait_for_page(driver, page)
            wait_for(driver, "main#main > *:not(.state-loading)", timeout=20)
            driver.execute_script(
                "return Promise.race([Promise.all([...document.images].filter(i => i.loading !== 'lazy' || i.getBoundingClientRect().top < innerHeight)"
                " .map(i => i.decode().catch(() => {}))), new Promise(r => setTimeout(r, 4000))])"
            )
            driver.save_screenshot(os.path.join(FOLDER, f"{name}-{suffix}.png"))


def upload_path(base_url, token, path, alt):
    """Uploads the image at `path` with `alt` and returns its media id."""
    import json
    import urllib.request
    import uuid

    boundary = uuid.uuid4().hex
    with open(path, "rb") as file:
        data = file.read()
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n{alt}\r\n".encode()
        + f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base_url + "/api/v1/media",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())["id"]
