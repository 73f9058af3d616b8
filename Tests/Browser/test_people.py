"""The people side of the web app in real browsers: profiles (grid, follow and unfollow, followers and following
lists, not found), notifications (grouped, live, opening and marking read), the live unread badge, settings
(profile, avatar, notification types, sessions, password, deleting the account) and the admin page (search, ban
ending a session live, unban, promote, demote, deleting a post). Accounts are set up over the API; each test has
handles of its own."""

import io
import json
import time
import urllib.error
import urllib.request
import uuid

from selenium.webdriver.common.by import By

from helpers import (
    DEFAULT_PASSWORD,
    api,
    axe_check,
    no_console_errors as console_errors,
    page_path,
    register_via_api,
    sign_in,
    unique_handle,
    wait_for,
    wait_for_page,
    wait_gone,
    wait_until,
)


# MARK: - Set-up over the API


def jpeg(colour=(200, 80, 60), size=(800, 600)):
    """A small JPEG (Pillow) as bytes."""
    from PIL import Image

    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 10):
        for y in range(0, size[1] // 3):
            image.putpixel((x, y), (250, 250, 250))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def multipart(base_url, method, path, token, fields=(), files=()):
    """Sends `multipart/form-data` (`fields`: (name, text); `files`: (name, filename, bytes)); returns (status, json)."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
        )
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(
        base_url + path,
        data=body.getvalue(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def create_post(base_url, account, images=1, caption="A photo"):
    colours = [(200, 80, 60), (60, 120, 200), (80, 170, 90)]
    files = [("images", f"p{index}.jpg", jpeg(colours[index % 3])) for index in range(images)]
    status, post = multipart(base_url, "POST", "/api/v1/posts", account["token"], fields=[("caption", caption)], files=files)
    assert status == 201, f"create post: {status} {post}"
    return post


def eventually(predicate, message, timeout=15):
    """Polls `predicate()` (no browser involved) until it is truthy."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {message}"
        time.sleep(0.1)


def unread_count(base_url, account):
    answer = api(base_url, "GET", "/api/v1/notifications/unread_count", token=account["token"])
    assert answer.status == 200, answer
    return answer.json["count"]


def badge_count(driver):
    """The header badge's count (0 when it is hidden)."""
    badge = driver.find_element(By.CSS_SELECTOR, "[data-unread-count]")
    return 0 if badge.get_attribute("hidden") is not None else int(badge.get_attribute("data-unread-count"))


def no_console_errors(driver, **options):
    """No console errors but the browser's own favicon request (the shell declares its icon; a page opened for
    set-up, such as /assets/app.css, does not)."""
    __tracebackhide__ = True
    console_errors(driver, allow=(r"/favicon\.ico",) + tuple(options.pop("allow", ())), **options)


def click(driver, element):
    """Clicks through JavaScript: the fixed bottom bar of phones may cover an element Selenium would click."""
    driver.execute_script("arguments[0].click()", element)


def stream_connected(driver, timeout=10):
    """Waits until the app's realtime WebSocket is open (the module the app loaded, through the import map)."""
    wait_until(
        driver,
        lambda d: d.execute_async_script(
            "const done = arguments[0]; import('/assets/lib/realtime.js').then((m) => done(m.realtime.connected), () => done(false))"
        ),
        timeout,
        "the realtime stream to connect",
    )


# MARK: - Profiles


def test_profile_grid_follow_and_lists(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"), display_name="Alice Liddell")
    bob = register_via_api(base_url, unique_handle("bob"))
    create_post(base_url, alice, images=1, caption="First <script>alert(1)</script>")
    multi = create_post(base_url, alice, images=2, caption="Two images")
    assert api(base_url, "PATCH", "/api/v1/me", {"bio": "Down the <b>rabbit</b> hole\nsecond line"}, token=alice["token"]).status == 200

    driver = browser("bob")
    sign_in(driver, base_url, bob["handle"], path=f"/u/{alice['handle']}")
    wait_for_page(driver, "profile")
    wait_for(driver, "h1", text="Alice Liddell")
    bio = wait_for(driver, ".profile-bio")
    assert "<b>rabbit</b>" in bio.text, "the bio is text, never HTML"
    assert not driver.find_elements(By.CSS_SELECTOR, ".profile-bio b")

    # The grid: newest first, a square cell per post linking to it, the multi-image marker on the one with two.
    cells = wait_for(driver, 'a.grid-item[href^="/p/"]', count=2)
    assert cells[0].get_attribute("href").endswith(f"/p/{multi['id']}")
    assert cells[0].find_elements(By.CSS_SELECTOR, ".grid-multi")
    assert not cells[1].find_elements(By.CSS_SELECTOR, ".grid-multi")
    assert cells[0].find_element(By.CSS_SELECTOR, "img").get_attribute("alt") is not None
    axe_check(driver)

    # Follow: the button is pressed and the follower count goes up, from the server's answer.
    follow = wait_for(driver, "button[data-action=follow]")
    assert follow.get_attribute("aria-pressed") == "false"
    assert driver.find_element(By.CSS_SELECTOR, "[data-count=followers]").text == "0"
    click(driver, follow)
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-count=followers]").text == "1", message="followers 1")
    assert follow.get_attribute("aria-pressed") == "true"
    relationship = api(base_url, "GET", f"/api/v1/users/{alice['handle']}", token=bob["token"]).json["relationship"]
    assert relationship["following"] is True

    # Alice follows back: bob sees "Follows you" after a reload.
    assert api(base_url, "PUT", f"/api/v1/users/{bob['handle']}/follow", token=alice["token"]).status == 200
    driver.refresh()
    wait_for_page(driver, "profile")
    wait_for(driver, "[data-follows-you]")

    # The followers list shows bob (no button on his own row); following shows alice's one follow.
    click(driver, wait_for(driver, f'a[href="/u/{alice["handle"]}/followers"]'))
    wait_for_page(driver, "followers")
    row = wait_for(driver, f'li.person[data-handle="{bob["handle"]}"]')
    assert not row.find_elements(By.CSS_SELECTOR, "button[data-action=follow]")
    axe_check(driver)
    driver.get(f"{base_url}/u/{alice['handle']}/following")
    wait_for_page(driver, "following")
    other = wait_for(driver, f'li.person[data-handle="{bob["handle"]}"]')
    assert other

    # Unfollow from the profile.
    driver.get(f"{base_url}/u/{alice['handle']}")
    follow = wait_for(driver, "button[data-action=follow][aria-pressed=true]")
    click(driver, follow)
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-count=followers]").text == "0", message="followers 0")
    assert api(base_url, "GET", f"/api/v1/users/{alice['handle']}", token=bob["token"]).json["relationship"]["following"] is False
    no_console_errors(driver)


def test_follow_buttons_in_lists_show_the_viewers_state(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    bob = register_via_api(base_url, unique_handle("bob"))
    carol = register_via_api(base_url, unique_handle("carol"))
    for follower in (bob, carol):
        assert api(base_url, "PUT", f"/api/v1/users/{alice['handle']}/follow", token=follower["token"]).status == 200
    assert api(base_url, "PUT", f"/api/v1/users/{carol['handle']}/follow", token=bob["token"]).status == 200

    driver = browser("bob", mobile=True)
    sign_in(driver, base_url, bob["handle"], path=f"/u/{alice['handle']}/followers")
    wait_for_page(driver, "followers")
    button = wait_for(driver, f'li.person[data-handle="{carol["handle"]}"] button[data-action=follow]')
    assert button.get_attribute("aria-pressed") == "true", "bob follows carol already"
    click(driver, button)
    wait_until(driver, lambda d: button.get_attribute("aria-pressed") == "false" and button.get_attribute("aria-busy") is None)
    assert api(base_url, "GET", f"/api/v1/users/{carol['handle']}", token=bob["token"]).json["relationship"]["following"] is False
    axe_check(driver)
    no_console_errors(driver)


def test_own_profile_and_unknown_profile(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path=f"/u/{alice['handle']}")
    wait_for_page(driver, "profile")
    wait_for(driver, "a[data-action=edit-profile][href='/settings']")
    assert not driver.find_elements(By.CSS_SELECTOR, "button[data-action=follow]")
    wait_for(driver, ".state-empty")  # no posts yet, with a link to share one
    driver.get(f"{base_url}/u/nobody_{alice['handle'][-8:]}")
    wait_for_page(driver, "profile")
    wait_for(driver, "[data-state=not-found]")
    no_console_errors(driver, allow_status=(404,))


def test_signed_out_visitors_see_profiles_with_a_login_link(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    create_post(base_url, alice)
    driver = browser("visitor", mobile=True)
    driver.get(f"{base_url}/u/{alice['handle']}")
    wait_for_page(driver, "profile")
    wait_for(driver, 'a.grid-item[href^="/p/"]')
    link = wait_for(driver, f'.profile-actions a[href^="/login?next="]')
    assert alice["handle"] in link.get_attribute("href")
    axe_check(driver)
    no_console_errors(driver)


# MARK: - Notifications and the live badge


def test_notifications_arrive_live_group_and_are_marked_read(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    bob = register_via_api(base_url, unique_handle("bob"), display_name="Bob")
    carol = register_via_api(base_url, unique_handle("carol"), display_name="Carol")
    post = create_post(base_url, alice)

    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/notifications")
    wait_for_page(driver, "notifications")
    wait_for(driver, ".state-empty")
    stream_connected(driver)
    assert badge_count(driver) == 0

    # Bob likes: a notification appears at the top without a reload, unread, and the badge goes to 1.
    assert api(base_url, "PUT", f"/api/v1/posts/{post['id']}/like", token=bob["token"]).status == 200
    item = wait_for(driver, "li.notification.unread[data-type=like]", timeout=15)
    group = item.get_attribute("data-notification-id")
    wait_until(driver, lambda d: badge_count(d) == 1, 15, "the badge at 1")
    assert f"{bob['handle']} liked your post." in item.text
    assert item.find_element(By.CSS_SELECTOR, "img.notification-thumb").get_attribute("src")

    # Carol likes too: the same group is replaced in place ("Carol and Bob"), still one row and one unread.
    assert api(base_url, "PUT", f"/api/v1/posts/{post['id']}/like", token=carol["token"]).status == 200
    wait_for(driver, f'li.notification[data-notification-id="{group}"]', text=f"{carol['handle']} and {bob['handle']}", timeout=15)
    assert len(driver.find_elements(By.CSS_SELECTOR, "li.notification")) == 1
    assert badge_count(driver) == 1
    axe_check(driver)

    # Opening it goes to the post and marks it read (the badge follows).
    click(driver, driver.find_element(By.CSS_SELECTOR, f'li.notification[data-notification-id="{group}"] a'))
    wait_until(driver, lambda d: page_path(d) == f"/p/{post['id']}", message="the post page")
    wait_until(driver, lambda d: unread_count(base_url, alice) == 0, message="the notification read")
    wait_until(driver, lambda d: badge_count(d) == 0, 15, "the badge hidden")

    # Back on the list: a follow arrives; "Mark all as read" clears it.
    driver.get(f"{base_url}/notifications")
    wait_for(driver, f'li.notification[data-notification-id="{group}"]:not(.unread)')
    stream_connected(driver)
    assert api(base_url, "PUT", f"/api/v1/users/{alice['handle']}/follow", token=bob["token"]).status == 200
    wait_for(driver, "li.notification.unread[data-type=follow]", timeout=15)
    first = driver.find_elements(By.CSS_SELECTOR, "li.notification")[0]
    assert first.get_attribute("data-type") == "follow", "new items go to the top"
    click(driver, wait_for(driver, "button[data-action=mark-all-read]"))
    wait_gone(driver, "li.notification.unread")
    wait_until(driver, lambda d: unread_count(base_url, alice) == 0, message="all read")
    wait_until(driver, lambda d: badge_count(d) == 0, 15, "the badge hidden")
    no_console_errors(driver)


def test_opening_the_page_marks_what_it_lists_read(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    post = create_post(base_url, alice)
    fans = []
    for index in range(4):
        fan = register_via_api(base_url, unique_handle(f"fan{index}"), display_name=f"Fan {index}")
        fans.append(fan)
        assert api(base_url, "PUT", f"/api/v1/posts/{post['id']}/like", token=fan["token"]).status == 200
        assert api(base_url, "PUT", f"/api/v1/users/{alice['handle']}/follow", token=fan["token"]).status == 200
    eventually(lambda: unread_count(base_url, alice) == 2, "two grouped notifications")

    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path=f"/u/{alice['handle']}")
    wait_for_page(driver, "profile")
    wait_until(driver, lambda d: badge_count(d) == 2, 15, "the badge at 2")
    click(driver, driver.find_element(By.CSS_SELECTOR, "a[data-nav=notifications]"))
    wait_for_page(driver, "notifications")
    like = wait_for(driver, "li.notification.unread[data-type=like]")
    assert f"{fans[3]['handle']}, {fans[2]['handle']} and 2 others liked your post." in like.text
    wait_for(driver, "li.notification.unread[data-type=follow]", text="started following you")
    wait_until(driver, lambda d: unread_count(base_url, alice) == 0, message="read on the server")
    wait_until(driver, lambda d: badge_count(d) == 0, 15, "the badge hidden")
    assert driver.find_elements(By.CSS_SELECTOR, "li.notification.unread"), "still highlighted as new while the page is open"
    axe_check(driver)
    no_console_errors(driver)


def test_the_badge_counts_on_every_page_and_a_follow_notification_opens_the_profile(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    bob = register_via_api(base_url, unique_handle("bob"))
    driver = browser("alice", mobile=True)
    sign_in(driver, base_url, alice["handle"], path="/settings")
    wait_for_page(driver, "settings")
    stream_connected(driver)
    assert api(base_url, "PUT", f"/api/v1/users/{alice['handle']}/follow", token=bob["token"]).status == 200
    wait_until(driver, lambda d: badge_count(d) == 1, 15, "the badge at 1")
    link = driver.find_element(By.CSS_SELECTOR, "a[data-nav=notifications]")
    assert "1 unread" in link.get_attribute("aria-label")
    click(driver, link)
    wait_for_page(driver, "notifications")
    click(driver, wait_for(driver, "li.notification[data-type=follow] a"))
    wait_until(driver, lambda d: page_path(d) == f"/u/{bob['handle']}", message="the follower's profile")
    wait_until(driver, lambda d: badge_count(d) == 0, 15, "the badge hidden")
    no_console_errors(driver)


def test_reconnect_backoff_is_capped_with_jitter(driver, base_url):
    driver.get(base_url + "/new")
    wait_for_page(driver, "new")
    delays = driver.execute_async_script(
        """const done = arguments[0];
        import('/assets/lib/realtime.js').then(({backoffDelay}) => {
          const out = [];
          for (const failures of [1, 2, 3, 4, 5, 6, 8, 12, 40]) out.push([failures, backoffDelay(failures, () => 1), backoffDelay(failures, () => 0)]);
          done(out);
        });"""
    )
    ceilings = [ceiling for _, ceiling, _ in delays]
    assert ceilings[:5] == [1000, 2000, 4000, 8000, 16000]
    assert max(ceilings) == 30000, "capped at 30 s"
    assert all(floor == 500 for _, _, floor in delays), "jitter goes down to half a second"


# MARK: - Settings


def test_settings_profile_avatar_and_notification_types(browser, base_url, tmp_path):
    alice = register_via_api(base_url, unique_handle("alice"))
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/settings")
    wait_for_page(driver, "settings")
    axe_check(driver)

    name = wait_for(driver, "input[name=display_name]")
    name.clear()
    name.send_keys("Alice in Settings")
    bio = driver.find_element(By.CSS_SELECTOR, "textarea[name=bio]")
    bio.send_keys("Hello <i>there</i>")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[data-form=profile] button[type=submit]"))
    wait_until(driver, lambda d: api(base_url, "GET", "/api/v1/me", token=alice["token"]).json["display_name"] == "Alice in Settings")
    assert api(base_url, "GET", "/api/v1/me", token=alice["token"]).json["bio"] == "Hello <i>there</i>"

    # A new avatar: choosing the file uploads it; the settings preview and the header show the saved square.
    photo = tmp_path / "avatar.jpg"
    photo.write_bytes(jpeg((30, 140, 200), (500, 500)))
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=avatar]").send_keys(str(photo))
    wait_until(driver, lambda d: api(base_url, "GET", "/api/v1/me", token=alice["token"]).json["avatar_url"], 20, "the avatar saved")
    saved = api(base_url, "GET", "/api/v1/me", token=alice["token"]).json["avatar_url"]
    wait_for(driver, "a[data-nav=profile] img.avatar", visible=False, timeout=15)
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".avatar-preview img").get_attribute("src").endswith(saved), message="the saved preview")

    # A file that is not an image is refused with the server's reason next to the field.
    text = tmp_path / "notes.jpg"
    text.write_bytes(b"not an image at all" * 10)
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=avatar]").send_keys(str(text))
    wait_for(driver, "[data-form=avatar] .field-error")
    assert api(base_url, "GET", "/api/v1/me", token=alice["token"]).json["avatar_url"] == saved

    # Notification types save as they change.
    box = wait_for(driver, "input[type=checkbox][name=like]")
    assert box.is_selected()
    click(driver, box)
    wait_until(driver, lambda d: api(base_url, "GET", "/api/v1/notifications/settings", token=alice["token"]).json["like"] is False)
    no_console_errors(driver, allow_status=(415,))


def test_settings_sessions_password_and_account_deletion(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))  # a token session besides the browser's
    driver = browser("alice", mobile=True)
    sign_in(driver, base_url, alice["handle"], path="/settings#sessions")
    wait_for_page(driver, "settings")
    rows = wait_for(driver, "li[data-session-id]", count=2)
    current = [row for row in rows if row.find_elements(By.CSS_SELECTOR, "[data-current]")]
    assert len(current) == 1, "exactly one row is this device"
    axe_check(driver)

    # Revoke the other session: its token stops working.
    other = next(row for row in rows if not row.find_elements(By.CSS_SELECTOR, "[data-current]"))
    other_id = other.get_attribute("data-session-id")
    click(driver, other.find_element(By.CSS_SELECTOR, "button[data-action=revoke]"))
    wait_gone(driver, f'li[data-session-id="{other_id}"]')
    assert api(base_url, "GET", "/api/v1/me", token=alice["token"]).status == 401

    # Change the password: a wrong current password is refused in the form; the right one works.
    fresh = api(base_url, "POST", "/api/v1/auth/login", {"login": alice["handle"], "password": DEFAULT_PASSWORD, "session": "token"}).json["token"]
    form = driver.find_element(By.CSS_SELECTOR, "form[data-form=password]")
    form.find_element(By.NAME, "current_password").send_keys("not my password")
    form.find_element(By.NAME, "new_password").send_keys("a brand new passphrase")
    click(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    wait_for(driver, "form[data-form=password] [role=alert]")
    current_password = form.find_element(By.NAME, "current_password")
    current_password.clear()
    current_password.send_keys(DEFAULT_PASSWORD)
    click(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    wait_until(driver, lambda d: api(base_url, "GET", "/api/v1/me", token=fresh).status == 401, message="other sessions ended")
    assert api(base_url, "POST", "/api/v1/auth/login", {"login": alice["handle"], "password": "a brand new passphrase", "session": "token"}).status == 200

    # Delete the account: the password is asked; a wrong one keeps the dialog open with the reason.
    click(driver, wait_for(driver, "button[data-action=delete-account]"))
    dialog = wait_for(driver, "dialog.form-dialog")
    dialog.find_element(By.NAME, "password").send_keys("wrong password")
    click(driver, dialog.find_element(By.CSS_SELECTOR, "button[data-action=confirm]"))
    wait_for(driver, "dialog.form-dialog [role=alert]")
    field = dialog.find_element(By.NAME, "password")
    field.clear()
    field.send_keys("a brand new passphrase")
    click(driver, dialog.find_element(By.CSS_SELECTOR, "button[data-action=confirm]"))
    wait_gone(driver, "dialog.form-dialog")
    wait_until(driver, lambda d: page_path(d) in ("/", "/new"), message="the home page, signed out")
    wait_for(driver, "a[data-nav=login]", visible=False)
    assert api(base_url, "GET", f"/api/v1/users/{alice['handle']}").status == 404
    no_console_errors(driver, allow_status=(401, 403))


# MARK: - Admin


def test_admin_page_is_refused_to_others(browser, base_url):
    alice = register_via_api(base_url, unique_handle("alice"))
    driver = browser("alice")
    sign_in(driver, base_url, alice["handle"], path="/admin")
    wait_for_page(driver, "admin")
    wait_for(driver, "[data-state=forbidden]")
    assert not driver.find_elements(By.CSS_SELECTOR, "input[name=q]")
    assert not driver.find_elements(By.CSS_SELECTOR, "a[data-nav=admin]")
    no_console_errors(driver)


def test_admin_bans_unbans_promotes_demotes_and_deletes_a_post(browser, base_url, admin):
    bob = register_via_api(base_url, unique_handle("bob"))
    post = create_post(base_url, bob)

    # Bob is signed in in his own browser, looking at his notifications.
    bob_browser = browser("bob")
    sign_in(bob_browser, base_url, bob["handle"], path="/notifications")
    wait_for_page(bob_browser, "notifications")
    stream_connected(bob_browser)

    driver = browser("admin")
    sign_in(driver, base_url, admin["handle"], admin["password"], path="/admin")
    wait_for_page(driver, "admin")
    search = wait_for(driver, "input[name=q]")
    search.send_keys(bob["handle"])
    row_css = f'tr[data-handle="{bob["handle"]}"]'
    wait_for(driver, row_css)
    wait_until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr[data-handle]")) == 1, message="one match")
    axe_check(driver)

    # Ban: a reason is asked; bob's session ends and his browser goes to the login page by itself.
    click(driver, wait_for(driver, f"{row_css} button[data-action=ban]"))
    dialog = wait_for(driver, "dialog.form-dialog")
    dialog.find_element(By.NAME, "reason").send_keys("Spam, repeatedly")
    click(driver, dialog.find_element(By.CSS_SELECTOR, "button[data-action=confirm]"))
    wait_for(driver, f'{row_css}[data-banned="true"]', text="Spam, repeatedly")
    assert api(base_url, "GET", "/api/v1/me", token=bob["token"]).status == 401
    wait_for_page(bob_browser, "login", timeout=20)
    wait_for(bob_browser, "a[data-nav=login]", visible=False)
    wait_for(bob_browser, "[role=alert]", text="banned")

    # Unban, promote and demote.
    click(driver, wait_for(driver, f"{row_css} button[data-action=unban]"))
    wait_for(driver, f'{row_css}[data-banned="false"]')
    click(driver, wait_for(driver, f"{row_css} button[data-action=promote]"))
    wait_for(driver, f'{row_css}[data-role="admin"]')
    click(driver, wait_for(driver, f"{row_css} button[data-action=demote]"))
    wait_for(driver, f'{row_css}[data-role="user"]')
    listed = api(base_url, "POST", "/api/v1/auth/login", {"login": bob["handle"], "password": DEFAULT_PASSWORD, "session": "token"})
    assert listed.status == 200, "unbanned bob signs in again"
    assert listed.json["user"]["role"] == "user"

    # Delete a post by its address.
    field = driver.find_element(By.CSS_SELECTOR, "form[data-form=admin-delete-post] input[name=post]")
    field.send_keys(f"{base_url}/p/{post['id']}")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[data-form=admin-delete-post] button[type=submit]"))
    confirm = wait_for(driver, "dialog.form-dialog button[data-action=confirm]")
    click(driver, confirm)
    wait_gone(driver, "dialog.form-dialog")
    wait_until(driver, lambda d: api(base_url, "GET", f"/api/v1/posts/{post['id']}").status == 404, message="the post deleted")
    no_console_errors(driver)
