"""The seed workflow end to end, in two real browsers (alice and bob) against a host with every plugin: sign up,
post two images with alt text, follow, the post in bob's home feed, like and comment, alice's badge going up live,
the notification, a reply, bob deleting his comment, a new avatar, and an admin's ban ending bob's session. Every
page on the way passes axe (no serious or critical violations) and logs no console errors."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from helpers import (
    DEFAULT_PASSWORD,
    api,
    axe_check,
    no_console_errors,
    sign_in,
    unique_handle,
    wait_for,
    wait_for_page,
    wait_gone,
    wait_until,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture_images(tmp_path, count=2):
    """`count` small JPEGs of different colours (Pillow, installed by scripts/test), as absolute paths."""
    from PIL import Image

    paths = []
    colours = [(210, 60, 50), (40, 90, 200), (60, 160, 90)]
    for index in range(count):
        image = Image.new("RGB", (640, 480), colours[index % len(colours)])
        for x in range(0, 640, 8):
            for y in range(index * 40, index * 40 + 60):
                image.putpixel((x, y), (250, 250, 250))
        path = tmp_path / f"photo-{index}.jpg"
        image.save(path, quality=88)
        paths.append(str(path))
    return paths


def sign_up(driver, base_url, handle, display_name):
    """Creates an account through the sign-up form and waits for the signed-in app."""
    driver.get(base_url + "/signup")
    wait_for_page(driver, "signup")
    axe_check(driver)
    driver.find_element(By.NAME, "handle").send_keys(handle)
    driver.find_element(By.NAME, "display_name").send_keys(display_name)
    driver.find_element(By.NAME, "email").send_keys(f"{handle}@example.com")
    driver.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[data-form=signup] button[type=submit]").click()
    wait_for(driver, "[data-action=logout]", visible=False, timeout=15)


def open_nav(driver, name):
    """Clicks a header link (the router navigates without a reload)."""
    link = wait_for(driver, f"a[data-nav={name}]", visible=False)
    driver.execute_script("arguments[0].click()", link)


def unread_badge(driver):
    badge = driver.find_element(By.CSS_SELECTOR, "[data-unread-count]")
    return 0 if badge.get_attribute("hidden") is not None else int(badge.text or "0")


def test_the_seed_workflow_in_two_browsers(browser, base_url, admin, tmp_path):
    alice_handle = unique_handle("alice")
    bob_handle = unique_handle("bob")
    alice = browser("alice")
    bob = browser("bob")

    # Both sign up through the form.
    sign_up(alice, base_url, alice_handle, "Alice A.")
    sign_up(bob, base_url, bob_handle, "Bob B.")

    # Alice posts two images, each with its alt text, and a caption with a hashtag.
    open_nav(alice, "compose")
    wait_for_page(alice, "compose")
    axe_check(alice)
    images = fixture_images(tmp_path)
    alice.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys("\n".join(images))
    alt_fields = wait_for(alice, "[name=alt]", count=2) and alice.find_elements(By.CSS_SELECTOR, "[name=alt]")
    alt_fields[0].send_keys("A red square with white dots")
    alt_fields[1].send_keys("A blue square with white dots")
    alice.find_element(By.NAME, "caption").send_keys("First light over the bay #sunrise")
    alice.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    post_page = wait_for_page(alice, "post", timeout=30)
    post = wait_for(alice, "article.post[data-post-id]", timeout=15)
    post_id = post.get_attribute("data-post-id")
    alts = [image.get_attribute("alt") for image in post.find_elements(By.CSS_SELECTOR, "img:not(.avatar)")]
    assert "A red square with white dots" in alts and "A blue square with white dots" in alts, alts
    tag = post.find_element(By.CSS_SELECTOR, "a[href='/tags/sunrise']")
    assert tag.text == "#sunrise"
    axe_check(alice)
    no_console_errors(alice)

    # Bob finds alice's profile and follows her; the post is then in his home feed.
    bob.get(f"{base_url}/u/{alice_handle}")
    wait_for_page(bob, "profile")
    follow = wait_for(bob, "button[data-action=follow]")
    assert follow.get_attribute("aria-pressed") == "false"
    axe_check(bob)
    follow.click()
    wait_until(bob, lambda d: d.find_element(By.CSS_SELECTOR, "button[data-action=follow]").get_attribute("aria-pressed") == "true")
    wait_for(bob, f"a.grid-item[href='/p/{post_id}']")
    open_nav(bob, "home")
    wait_for_page(bob, "home")
    card = wait_for(bob, f"article.post[data-post-id='{post_id}']", timeout=20)
    axe_check(bob)

    # Alice's badge is at 0 before bob acts (the follow made one notification: read it first by opening the page).
    open_nav(alice, "notifications")
    wait_for_page(alice, "notifications")
    wait_for(alice, "li.notification[data-type=follow]", timeout=20)
    open_nav(alice, "home")
    wait_for_page(alice, "home")
    wait_until(alice, lambda d: unread_badge(d) == 0, timeout=15, message="badge back to 0 after reading")

    # Bob likes (optimistic: pressed at once) and comments on the post page.
    like = card.find_element(By.CSS_SELECTOR, "button[data-action=like]")
    like.click()
    wait_until(bob, lambda d: d.find_element(By.CSS_SELECTOR, f"article.post[data-post-id='{post_id}'] button[data-action=like]").get_attribute("aria-pressed") == "true")
    wait_until(bob, lambda d: d.find_element(By.CSS_SELECTOR, f"article.post[data-post-id='{post_id}'] [data-like-count]").text.strip().startswith("1"))
    bob.get(f"{base_url}/p/{post_id}")
    wait_for_page(bob, "post")
    comment_box = wait_for(bob, "form[data-form=comment] textarea[name=body]")
    comment_box.send_keys("What a view!")
    bob.find_element(By.CSS_SELECTOR, "form[data-form=comment] button[type=submit]").click()
    bob_comment = wait_for(bob, "li.comment[data-comment-id]", text="What a view!")
    bob_comment_id = bob_comment.get_attribute("data-comment-id")
    axe_check(bob)

    # Alice's badge goes up without a reload (she stays on her home feed).
    wait_until(alice, lambda d: unread_badge(d) >= 2, timeout=30, message="the live badge counts the like and the comment")
    assert alice.execute_script("return performance.getEntriesByType('navigation').length") == 1

    # She opens the comment notification and replies to bob.
    open_nav(alice, "notifications")
    wait_for_page(alice, "notifications")
    comment_note = wait_for(alice, "li.notification[data-type=comment]", timeout=20)
    axe_check(alice)
    comment_note.find_element(By.CSS_SELECTOR, "a").click()
    wait_for_page(alice, "post")
    target = wait_for(alice, f"li.comment[data-comment-id='{bob_comment_id}']")
    target.find_element(By.CSS_SELECTOR, "button[data-action=reply]").click()
    reply_box = wait_for(alice, "form[data-form=comment] textarea[name=body]")
    reply_box.send_keys("Thank you, it was early!")
    alice.find_element(By.CSS_SELECTOR, "form[data-form=comment] button[type=submit]").click()
    wait_for(alice, "li.comment[data-comment-id]", text="Thank you, it was early!")

    # Bob deletes his comment: it keeps its place (it has a reply) with its text gone.
    bob.refresh()
    wait_for_page(bob, "post")
    mine = wait_for(bob, f"li.comment[data-comment-id='{bob_comment_id}']")
    mine.find_element(By.CSS_SELECTOR, "button[data-action=delete-comment]").click()
    confirm_if_asked(bob)
    wait_until(bob, lambda d: "What a view!" not in d.find_element(By.CSS_SELECTOR, f"li.comment[data-comment-id='{bob_comment_id}']").text)
    wait_for(bob, "li.comment[data-comment-id]", text="Thank you, it was early!")
    no_console_errors(bob)

    # Alice changes her avatar in settings; the header shows it.
    open_nav(alice, "settings")
    wait_for_page(alice, "settings")
    axe_check(alice)
    alice.find_element(By.CSS_SELECTOR, "input[type=file][name=avatar]").send_keys(images[1])
    wait_until(alice, lambda d: d.find_elements(By.CSS_SELECTOR, "a[data-nav=profile] img.avatar"), timeout=30, message="the new avatar in the header")

    # An admin bans bob; bob's open tab is signed out at once.
    admin_browser = browser("admin")
    sign_in(admin_browser, base_url, admin["handle"], admin["password"], path="/admin")
    wait_for_page(admin_browser, "admin")
    axe_check(admin_browser)
    search = wait_for(admin_browser, "input[name=q]")
    search.send_keys(bob_handle, Keys.ENTER)
    row = wait_for(admin_browser, f"tr[data-handle='{bob_handle}']")
    row.find_element(By.CSS_SELECTOR, "button[data-action=ban]").click()
    reason = wait_for(admin_browser, "[name=reason]")
    reason.send_keys("Spam")
    reason.submit()
    wait_for(admin_browser, f"tr[data-handle='{bob_handle}'] button[data-action=unban]")
    wait_for_page(bob, "login", timeout=30)
    wait_for(bob, "[role=alert]", text="banned")


def confirm_if_asked(driver):
    """Accepts the app's confirmation dialog (a <dialog> with a confirm button), if one opened."""
    buttons = driver.find_elements(By.CSS_SELECTOR, "dialog[open] button[data-action=confirm]")
    if buttons:
        buttons[0].click()


def test_login_errors_are_shown(driver, base_url):
    driver.get(base_url + "/login")
    wait_for_page(driver, "login")
    driver.find_element(By.NAME, "login").send_keys("nobody_here")
    driver.find_element(By.NAME, "password").send_keys("wrong password")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    alert = wait_for(driver, "form [role=alert]")
    assert alert.text.strip(), "an explanation is shown"
    assert driver.find_elements(By.CSS_SELECTOR, "[data-action=logout]") == []
    no_console_errors(driver, allow_status=(401,))


def test_a_change_without_the_csrf_header_is_refused(driver, base_url):
    handle = unique_handle("csrf")
    api(base_url, "POST", "/api/v1/auth/register", {"handle": handle, "email": f"{handle}@example.com", "password": DEFAULT_PASSWORD, "session": "token"})
    sign_in(driver, base_url, handle, path="/settings")
    wait_for_page(driver, "settings")
    # A form post, as a forged page would send it: the session cookie goes along, the CSRF header does not.
    status = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const body = new URLSearchParams({display_name: "forged"});
        fetch("/api/v1/me", {method: "PATCH", body, credentials: "same-origin"}).then(r => done(r.status), () => done(0));
        """
    )
    assert status == 403
    me = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch('/api/v1/me').then(r => r.json()).then(done, () => done(null));"
    )
    assert me["display_name"] != "forged"


def test_a_caption_with_markup_is_shown_as_text(driver, base_url, tmp_path):
    handle = unique_handle("mallory")
    user = api(base_url, "POST", "/api/v1/auth/register", {"handle": handle, "email": f"{handle}@example.com", "password": DEFAULT_PASSWORD, "session": "token"}).json
    caption = '<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2"> hello'
    created = api(base_url, "POST", "/api/v1/posts", token=user["token"], body={"caption": caption, "media_ids": [upload(base_url, user["token"], tmp_path)]})
    assert created.status == 201, created
    driver.get(f"{base_url}/p/{created.json['id']}")
    wait_for_page(driver, "post")
    article = wait_for(driver, "article.post")
    assert "<script>window.__owned = 1</script>" in article.text
    assert driver.execute_script("return window.__owned === undefined")
    assert article.find_elements(By.CSS_SELECTOR, "script") == []


def upload(base_url, token, tmp_path):
    """Uploads one fixture image over the API and returns its media id."""
    from test_screenshots import upload_path

    return upload_path(base_url, token, fixture_images(tmp_path, 1)[0], "A red square with white dots")


def test_the_home_feed_at_phone_width(browser, base_url, artifacts_dir, tmp_path):
    handle = unique_handle("mobile")
    user = api(base_url, "POST", "/api/v1/auth/register", {"handle": handle, "email": f"{handle}@example.com", "password": DEFAULT_PASSWORD, "session": "token"}).json
    api(base_url, "POST", "/api/v1/posts", token=user["token"], body={"caption": "Small screens too", "media_ids": [upload(base_url, user["token"], tmp_path)]})
    phone = browser("phone", mobile=True)
    sign_in(phone, base_url, handle, path="/")
    wait_for_page(phone, "home")
    wait_for(phone, "article.post", timeout=20)
    # Nothing is wider than the screen.
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
    axe_check(phone)
    phone.save_screenshot(os.path.join(artifacts_dir, "home-360.png"))
