"""Posts in a real browser: feeds, the post card (carousel, likes), the post page with comments and replies, compose
with upload, and tag pages.

Fixtures (conftest.py): `base_url`, `browser` (a factory: `browser("alice")`, `mobile=True`). Helpers (helpers.py):
API set-up, `sign_in`, waits, axe. Images for set-up are PNGs made here with the standard library.
"""

import json
import os
import struct
import tempfile
import time
import urllib.request
import uuid
import zlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from helpers import (
    api,
    axe_check,
    no_console_errors,
    register_via_api,
    sign_in,
    unique_handle,
    wait_for,
    wait_for_page,
    wait_gone,
    wait_until,
)


# MARK: - Set-up over the API


def png(width=64, height=48, color=(200, 80, 40)):
    """A small PNG of one colour with a stripe (standard library only)."""
    rows = []
    for y in range(height):
        pixel = bytes(color) if y % 8 else bytes((255 - color[0], 255 - color[1], 255 - color[2]))
        rows.append(b"\x00" + pixel * width)
    raw = zlib.compress(b"".join(rows))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def upload_media(base_url, token, data, alt, filename="image.png"):
    """`POST /api/v1/media` as multipart (`file`, `alt`); returns the media id."""
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\n{alt}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        base_url + "/api/v1/media",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
        return json.loads(answer.read())["id"]


def make_post(base_url, user, caption, images=1):
    """A post of `user` with `images` PNGs (alt text "Photo N"); returns the post."""
    ids = [
        upload_media(base_url, user["token"], png(64 + index * 8, 48, (40 * index % 255, 120, 200)), f"Photo {index + 1}")
        for index in range(images)
    ]
    answer = api(base_url, "POST", "/api/v1/posts", {"caption": caption, "media_ids": ids}, token=user["token"])
    assert answer.status == 201, answer
    return answer.json


def new_user(base_url, prefix, display_name=None):
    return register_via_api(base_url, unique_handle(prefix), display_name=display_name)


def card(driver, post_id):
    return wait_for(driver, f'article.post[data-post-id="{post_id}"]')


def like_count(article):
    return int(article.find_element(By.CSS_SELECTOR, "[data-like-count]").get_attribute("data-like-count"))


def temp_image(data, suffix=".png"):
    handle, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    return path


def wait_hidden(driver, css, timeout=10):
    """Waits until no element matching `css` is displayed."""
    wait_until(
        driver,
        lambda d: not any(element.is_displayed() for element in d.find_elements(By.CSS_SELECTOR, css)),
        timeout,
        f"{css} hidden",
    )


def realtime_available(base_url):
    answer = api(base_url, "GET", "/assets/lib/realtime.js")
    return answer.status == 200


# MARK: - Captions


def test_caption_is_text_with_tag_mention_and_nofollow_links(browser, base_url):
    alice = new_user(base_url, "cap_a")
    bob = new_user(base_url, "cap_b")
    caption = f"<script>window.hacked=1</script><b>bold</b> #Café with @{bob['handle']} see https://example.com/page."
    post = make_post(base_url, alice, caption)
    driver = browser("anon")
    driver.get(f"{base_url}/p/{post['id']}")
    article = card(driver, post["id"])
    text = article.find_element(By.CSS_SELECTOR, ".post-caption")
    assert "<script>window.hacked=1</script><b>bold</b>" in text.text
    assert text.find_elements(By.CSS_SELECTOR, "script, b") == []
    assert driver.execute_script("return window.hacked") is None
    tag = text.find_element(By.CSS_SELECTOR, "a.hashtag")
    assert tag.text == "#Café" and tag.get_attribute("pathname") == "/tags/caf%C3%A9"
    mention = text.find_element(By.CSS_SELECTOR, "a.mention")
    assert mention.get_attribute("pathname") == f"/u/{bob['handle'].lower()}"
    link = text.find_element(By.CSS_SELECTOR, "a.external")
    assert link.get_attribute("href") == "https://example.com/page"
    assert set(link.get_attribute("rel").split()) >= {"nofollow", "noopener", "ugc"}
    # The hashtag opens its page, inside the app.
    tag.click()
    wait_for_page(driver, "tag")
    wait_for(driver, "h1", text="#café")
    wait_for(driver, f'a.grid-item[href="/p/{post["id"]}"]')


# MARK: - Post card


def test_like_is_optimistic_and_kept(browser, base_url):
    alice = new_user(base_url, "like_a")
    bob = new_user(base_url, "like_b")
    post = make_post(base_url, alice, "Like me")
    driver = browser("bob")
    sign_in(driver, base_url, bob["handle"], path=f"/p/{post['id']}")
    article = card(driver, post["id"])
    button = article.find_element(By.CSS_SELECTOR, "button[data-action=like]")
    assert button.get_attribute("aria-pressed") == "false" and like_count(article) == 0
    button.click()
    # At once, before the answer.
    assert button.get_attribute("aria-pressed") == "true" and like_count(article) == 1
    wait_until(driver, lambda _: api(base_url, "GET", f"/api/v1/posts/{post['id']}", token=bob["token"]).json["liked"], message="like stored")
    driver.refresh()
    article = card(driver, post["id"])
    assert article.find_element(By.CSS_SELECTOR, "button[data-action=like]").get_attribute("aria-pressed") == "true"
    assert like_count(article) == 1
    # Who likes it: bob, in a dialog that Escape closes.
    article.find_element(By.CSS_SELECTOR, "button[data-action=likers]").click()
    wait_for(driver, f'dialog[open] li.liker[data-handle="{bob["handle"]}"]')
    driver.find_element(By.CSS_SELECTOR, "dialog[open]").send_keys(Keys.ESCAPE)
    wait_gone(driver, "dialog[open]")
    article.find_element(By.CSS_SELECTOR, "button[data-action=like]").click()
    assert like_count(article) == 0
    wait_until(driver, lambda _: not api(base_url, "GET", f"/api/v1/posts/{post['id']}", token=bob["token"]).json["liked"], message="unlike stored")


def test_like_rolls_back_when_refused(browser, base_url):
    alice = new_user(base_url, "rb_a")
    bob = new_user(base_url, "rb_b")
    post = make_post(base_url, alice, "Soon gone")
    driver = browser("bob")
    sign_in(driver, base_url, bob["handle"], path=f"/p/{post['id']}")
    article = card(driver, post["id"])
    assert api(base_url, "DELETE", f"/api/v1/posts/{post['id']}", token=alice["token"]).status == 204
    button = article.find_element(By.CSS_SELECTOR, "button[data-action=like]")
    button.click()
    wait_for(driver, "[role=alert]")
    wait_until(driver, lambda _: button.get_attribute("aria-pressed") == "false", message="like rolled back")
    assert like_count(article) == 0


def test_carousel_buttons_keys_and_alt_text(browser, base_url):
    alice = new_user(base_url, "car_a")
    post = make_post(base_url, alice, "Three photos", images=3)
    driver = browser("anon")
    driver.get(f"{base_url}/p/{post['id']}")
    article = card(driver, post["id"])
    images = article.find_elements(By.CSS_SELECTOR, ".carousel img")
    assert [image.get_attribute("alt") for image in images] == ["Photo 1", "Photo 2", "Photo 3"]
    counter = article.find_element(By.CSS_SELECTOR, ".carousel-counter")
    assert counter.text == "1/3"
    assert not article.find_element(By.CSS_SELECTOR, ".carousel-prev").is_displayed()
    article.find_element(By.CSS_SELECTOR, "button.carousel-next").click()
    wait_until(driver, lambda _: counter.text == "2/3", message="second photo")
    article.find_element(By.CSS_SELECTOR, ".carousel-track").send_keys(Keys.ARROW_RIGHT)
    wait_until(driver, lambda _: counter.text == "3/3", message="third photo")
    assert not article.find_element(By.CSS_SELECTOR, ".carousel-next").is_displayed()
    article.find_element(By.CSS_SELECTOR, "button.carousel-prev").click()
    wait_until(driver, lambda _: counter.text == "2/3", message="back to the second photo")


def test_author_deletes_post_from_its_page(browser, base_url):
    alice = new_user(base_url, "del_a")
    post = make_post(base_url, alice, "Delete me")
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path=f"/p/{post['id']}")
    card(driver, post["id"]).find_element(By.CSS_SELECTOR, "button[data-action=delete-post]").click()
    wait_for(driver, "dialog button[data-action=confirm]").click()
    wait_until(driver, lambda _: api(base_url, "GET", f"/api/v1/posts/{post['id']}").status == 404, message="post deleted")
    wait_gone(driver, f'article.post[data-post-id="{post["id"]}"]')


def test_no_delete_button_on_others_posts(browser, base_url):
    alice = new_user(base_url, "nd_a")
    bob = new_user(base_url, "nd_b")
    post = make_post(base_url, alice, "Mine")
    driver = browser("bob")
    sign_in(driver, base_url, bob["handle"], path=f"/p/{post['id']}")
    article = card(driver, post["id"])
    assert article.find_elements(By.CSS_SELECTOR, "button[data-action=delete-post]") == []
    assert article.find_elements(By.CSS_SELECTOR, "button[data-action=edit-post]") == []


def test_author_edits_the_caption(browser, base_url):
    alice = new_user(base_url, "ed_a")
    post = make_post(base_url, alice, "Frist caption")
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path=f"/p/{post['id']}")
    card(driver, post["id"]).find_element(By.CSS_SELECTOR, "button[data-action=edit-post]").click()
    text = wait_for(driver, "dialog form[data-form=edit-caption] textarea[name=caption]")
    assert text.get_attribute("value") == "Frist caption"
    text.clear()
    text.send_keys("First caption, fixed #typo")
    driver.find_element(By.CSS_SELECTOR, "dialog button[data-action=confirm]").click()
    wait_gone(driver, "dialog form[data-form=edit-caption]")
    article = card(driver, post["id"])
    wait_until(driver, lambda _: "fixed" in article.find_element(By.CSS_SELECTOR, ".post-caption").text, message="new caption shown")
    assert article.find_element(By.CSS_SELECTOR, ".post-caption a.hashtag").get_attribute("href").endswith("/tags/typo")
    assert article.find_element(By.CSS_SELECTOR, ".post-edited").text == "· edited"
    stored = api(base_url, "GET", f"/api/v1/posts/{post['id']}").json
    assert stored["caption"] == "First caption, fixed #typo" and stored["tags"] == ["typo"]
    # A caption over the limit is refused next to the field, and the dialog stays open.
    card(driver, post["id"]).find_element(By.CSS_SELECTOR, "button[data-action=edit-post]").click()
    text = wait_for(driver, "dialog form[data-form=edit-caption] textarea[name=caption]")
    driver.execute_script("arguments[0].removeAttribute('maxlength'); arguments[0].value = 'x'.repeat(2201);", text)
    driver.find_element(By.CSS_SELECTOR, "dialog button[data-action=confirm]").click()
    wait_until(driver, lambda _: text.get_attribute("aria-invalid") == "true", message="refusal shown at the field")
    no_console_errors(driver, allow_status=(422,))


# MARK: - Post page and comments


def test_comment_reply_and_delete_leaves_placeholder(browser, base_url):
    alice = new_user(base_url, "com_a")
    bob = new_user(base_url, "com_b")
    post = make_post(base_url, alice, "Talk to me")
    bob_driver = browser("bob")
    sign_in(bob_driver, base_url, bob["handle"], path=f"/p/{post['id']}")
    wait_for_page(bob_driver, "post")
    form = wait_for(bob_driver, "form[data-form=comment]")
    form.find_element(By.NAME, "body").send_keys("Nice <b>photo</b>!")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    comment = wait_for(bob_driver, "li.comment[data-comment-id]", text="Nice <b>photo</b>!")
    comment_id = comment.get_attribute("data-comment-id")
    assert comment.find_elements(By.CSS_SELECTOR, "b") == []
    wait_until(bob_driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-comment-count]").text == "1", message="count 1")
    axe_check(bob_driver)  # the new comment's highlight too

    alice_driver = browser("alice")
    sign_in(alice_driver, base_url, alice["handle"], path=f"/p/{post['id']}")
    theirs = wait_for(alice_driver, f'li.comment[data-comment-id="{comment_id}"]')
    theirs.find_element(By.CSS_SELECTOR, "button[data-action=reply]").click()
    wait_for(alice_driver, ".replying", text=f"Replying to @{bob['handle']}")
    alice_form = alice_driver.find_element(By.CSS_SELECTOR, "form[data-form=comment]")
    alice_form.find_element(By.NAME, "body").send_keys("Thank you!")
    alice_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    reply = wait_for(alice_driver, f'li.comment[data-comment-id="{comment_id}"] .replies li.comment', text="Thank you!")
    assert reply.get_attribute("data-parent-id") == comment_id
    wait_hidden(alice_driver, ".replying")
    listed = api(base_url, "GET", f"/api/v1/posts/{post['id']}/comments").json["items"]
    assert [item["parent_id"] for item in listed] == [None, comment_id]

    # Bob deletes his comment: it stays as a placeholder for Alice's reply.
    bob_driver.refresh()
    mine = wait_for(bob_driver, f'li.comment[data-comment-id="{comment_id}"]')
    wait_for(bob_driver, ".replies li.comment", text="Thank you!")
    mine.find_element(By.CSS_SELECTOR, "button[data-action=delete-comment]").click()
    wait_for(bob_driver, "dialog button[data-action=confirm]").click()
    wait_for(bob_driver, f'li.comment[data-comment-id="{comment_id}"]', text="This comment was deleted")
    wait_for(bob_driver, f'li.comment[data-comment-id="{comment_id}"] .replies li.comment', text="Thank you!")
    bob_driver.refresh()
    wait_for(bob_driver, f'li.comment[data-comment-id="{comment_id}"]', text="This comment was deleted")
    no_console_errors(bob_driver, allow_status=(401, 404))


def test_cancel_reply(browser, base_url):
    alice = new_user(base_url, "cr_a")
    post = make_post(base_url, alice, "Hello")
    api(base_url, "POST", f"/api/v1/posts/{post['id']}/comments", {"body": "First"}, token=alice["token"])
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path=f"/p/{post['id']}")
    wait_for(driver, "li.comment button[data-action=reply]").click()
    wait_for(driver, ".replying", text="Replying to @")
    driver.find_element(By.CSS_SELECTOR, "[data-action=cancel-reply]").click()
    wait_hidden(driver, ".replying")
    driver.find_element(By.NAME, "body").send_keys("Top level")
    driver.find_element(By.CSS_SELECTOR, "form[data-form=comment] button[type=submit]").click()
    added = wait_for(driver, "ul.comments > li.comment", text="Top level")
    assert added.get_attribute("data-parent-id") is None


def test_missing_post_says_so(browser, base_url):
    driver = browser("anon")
    driver.get(f"{base_url}/p/1234567")
    wait_for_page(driver, "post")
    wait_for(driver, "h1", text="Post not found")


# MARK: - Compose


def test_compose_uploads_two_images_with_alt_text(browser, base_url):
    alice = new_user(base_url, "up_a")
    first = temp_image(png(120, 90, (10, 120, 220)))
    second = temp_image(png(90, 120, (220, 120, 10)))
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/compose")
    wait_for_page(driver, "compose")
    files = driver.find_element(By.CSS_SELECTOR, "input[type=file]")
    assert files.get_attribute("multiple") is not None
    files.send_keys(f"{first}\n{second}")
    alts = wait_for(driver, "textarea[name=alt]", count=2)
    alts[0].send_keys("A blue square")
    alts[1].send_keys("An orange square")
    # Reorder: the second photo first.
    driver.find_elements(By.CSS_SELECTOR, ".compose-item")[1].find_element(By.CSS_SELECTOR, ".move-button").click()
    caption = driver.find_element(By.NAME, "caption")
    caption.send_keys("Squares #Shapes for @nobody_here")
    wait_for(driver, ".caption-mirror mark.hl-tag", text="#Shapes", visible=False)
    wait_for(driver, ".caption-mirror mark.hl-mention", text="@nobody_here", visible=False)
    driver.find_element(By.CSS_SELECTOR, "form[data-form=compose] button[type=submit]").click()
    wait_for_page(driver, "post", timeout=30)
    article = wait_for(driver, "article.post[data-post-id]")
    post_id = article.get_attribute("data-post-id")
    assert driver.current_url.endswith(f"/p/{post_id}")
    post = api(base_url, "GET", f"/api/v1/posts/{post_id}").json
    assert [media["alt"] for media in post["media"]] == ["An orange square", "A blue square"]
    assert post["tags"] == ["shapes"] and post["caption"] == "Squares #Shapes for @nobody_here"
    assert [image.get_attribute("alt") for image in article.find_elements(By.CSS_SELECTOR, ".post-media img")] == [
        "An orange square",
        "A blue square",
    ]


def test_compose_shows_a_refused_image_next_to_it(browser, base_url):
    alice = new_user(base_url, "bad_a")
    good = temp_image(png())
    broken = temp_image(b"this is not an image at all" * 10)
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/compose")
    wait_for_page(driver, "compose")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(f"{good}\n{broken}")
    wait_for(driver, ".compose-item", count=2)
    driver.find_element(By.CSS_SELECTOR, "form[data-form=compose] button[type=submit]").click()
    error = wait_for(driver, ".compose-item.has-error .item-error", timeout=30)
    assert error.text
    items = driver.find_elements(By.CSS_SELECTOR, ".compose-item")
    assert "has-error" not in items[0].get_attribute("class") and "has-error" in items[1].get_attribute("class")
    assert wait_for(driver, "[data-form=compose] .form-error").text
    # Without the refused image, the post goes out (the first image is not uploaded twice).
    items[1].find_element(By.CSS_SELECTOR, "[data-action=remove-image]").click()
    driver.find_element(By.CSS_SELECTOR, "form[data-form=compose] button[type=submit]").click()
    wait_for_page(driver, "post", timeout=30)
    assert len(wait_for(driver, "article.post").find_elements(By.CSS_SELECTOR, ".post-media img")) == 1


# MARK: - Feeds and tags


def test_empty_home_feed_suggests_new_and_trending(browser, base_url):
    carol = new_user(base_url, "empty_c")
    driver = browser("carol")
    sign_in(driver, base_url, carol["handle"], path="/")
    wait_for_page(driver, "home")
    wait_for(driver, '.feed-empty a[href="/new"]')
    wait_for(driver, '.feed-empty a[href="/trending"]')


def test_new_feed_scrolls_to_more_posts(browser, base_url):
    dave = new_user(base_url, "scroll_d")
    for index in range(12):
        make_post(base_url, dave, f"Scroll {index}")
    driver = browser("anon")
    driver.get(f"{base_url}/new")
    wait_for_page(driver, "new")
    wait_for(driver, "article.post", count=10)
    for _ in range(20):
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        if len(driver.find_elements(By.CSS_SELECTOR, "article.post")) > 10:
            break
        time.sleep(0.3)
    assert len(driver.find_elements(By.CSS_SELECTOR, "article.post")) > 10
    ids = [element.get_attribute("data-post-id") for element in driver.find_elements(By.CSS_SELECTOR, "article.post")]
    assert len(ids) == len(set(ids)), "a post shown twice"


def test_back_to_the_feed_keeps_the_place_and_what_you_did(browser, base_url):
    erin = new_user(base_url, "back_e")
    for index in range(6):
        make_post(base_url, erin, f"Back {index}")
    driver = browser("erin")
    sign_in(driver, base_url, erin["handle"], path="/new")
    cards = wait_for(driver, "article.post", count=6)
    target = cards[4]
    post_id = target.get_attribute("data-post-id")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    time.sleep(0.3)
    scrolled = driver.execute_script("return window.scrollY")
    assert scrolled > 300
    target.find_element(By.CSS_SELECTOR, "a.comment-link").click()
    wait_for_page(driver, "post")
    card(driver, post_id).find_element(By.CSS_SELECTOR, "button[data-action=like]").click()
    wait_until(driver, lambda _: api(base_url, "GET", f"/api/v1/posts/{post_id}", token=erin["token"]).json["liked"], message="like stored")
    wait_gone(driver, "button[data-action=like][data-pending]")
    driver.back()
    wait_for_page(driver, "new")
    again = card(driver, post_id)
    assert abs(driver.execute_script("return window.scrollY") - scrolled) < 50
    assert again.find_element(By.CSS_SELECTOR, "button[data-action=like]").get_attribute("aria-pressed") == "true"
    assert like_count(again) == 1


def test_new_posts_pill_on_home(browser, base_url):
    if not realtime_available(base_url):
        pytest.skip("no realtime client in this build")
    alice = new_user(base_url, "pill_a")
    bob = new_user(base_url, "pill_b")
    assert api(base_url, "PUT", f"/api/v1/users/{alice['handle']}/follow", token=bob["token"]).status == 200
    make_post(base_url, alice, "Before")
    driver = browser("bob")
    sign_in(driver, base_url, bob["handle"], path="/")
    wait_for(driver, "article.post", text="Before")
    time.sleep(1)  # the stream connects
    post = make_post(base_url, alice, "Fresh off the press")
    wait_for(driver, "button[data-new-posts]", timeout=15).click()
    wait_for(driver, f'article.post[data-post-id="{post["id"]}"]')
    wait_hidden(driver, "button[data-new-posts]")


def test_trending_page_and_tabs(browser, base_url):
    driver = browser("anon")
    driver.get(f"{base_url}/trending")
    wait_for_page(driver, "trending")
    wait_for(driver, 'nav.tabs a[aria-current="page"]', text="Trending")
    driver.find_element(By.CSS_SELECTOR, 'nav.tabs a[href="/new"]').click()
    wait_for_page(driver, "new")


# MARK: - Accessibility and small screens


def test_post_pages_are_accessible(browser, base_url):
    alice = new_user(base_url, "axe_a")
    bob = new_user(base_url, "axe_b")
    post = make_post(base_url, alice, "Accessible #axe", images=2)
    api(base_url, "POST", f"/api/v1/posts/{post['id']}/comments", {"body": "Hi"}, token=bob["token"])
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/")
    for path, page in (("/", "home"), ("/new", "new"), ("/trending", "trending"), (f"/p/{post['id']}", "post"), ("/compose", "compose"), ("/tags/axe", "tag")):
        driver.get(base_url + path)
        wait_for_page(driver, page)
        wait_until(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "main .state-loading"), message="loaded")
        axe_check(driver)


def test_post_page_fits_a_phone(browser, base_url):
    alice = new_user(base_url, "mob_a")
    post = make_post(base_url, alice, "On a phone " + "long words " * 30, images=2)
    driver = browser("phone", mobile=True)
    sign_in(driver, base_url, alice["handle"], path=f"/p/{post['id']}")
    card(driver, post["id"])
    wait_for(driver, "form[data-form=comment]")
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
