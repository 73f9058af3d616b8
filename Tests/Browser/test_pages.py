"""Every page of the app, signed out, signed in and as an admin, on a site with some content: the page renders,
finishes loading, passes axe-core (no serious or critical violations) in light and dark mode, logs no console errors
or CSP violations, and fits a 360 px phone screen. Each test visits all its pages and reports every problem at once,
with a screenshot of each failing page under the artifacts folder."""

import os
import re

import pytest

from helpers import (
    api,
    axe_check,
    console_mark,
    create_post,
    fits_width,
    no_console_errors,
    register_via_api,
    screenshot,
    sign_in,
    unique_handle,
    wait_for_page,
    wait_settled,
)


@pytest.fixture(scope="module")
def site(base_url, tmp_path_factory):
    """alice with a post of two images and a hashtag; bob follows her, likes and comments (alice has
    notifications)."""
    alice = register_via_api(base_url, unique_handle("alice"), display_name="Alice Example")
    bob = register_via_api(base_url, unique_handle("bob"), display_name="Bob Example")
    tag = unique_handle("tag").replace("_", "")
    post = create_post(
        base_url,
        alice["token"],
        tmp_path_factory.mktemp("images"),
        caption=f"Morning at the harbour #{tag} with @{bob['handle']}",
        images=2,
        alts=["Boats in the harbour", "The lighthouse"],
    )
    for method, path, body in (
        ("PUT", f"/api/v1/users/{alice['handle']}/follow", None),
        ("PUT", f"/api/v1/posts/{post['id']}/like", None),
        ("POST", f"/api/v1/posts/{post['id']}/comments", {"body": f"Lovely light, @{alice['handle']}!"}),
    ):
        answer = api(base_url, method, path, body, token=bob["token"])
        assert answer.status in (200, 201, 204), f"{method} {path}: {answer}"
    return {"alice": alice, "bob": bob, "post": post["id"], "tag": tag}


def public_pages(site):
    alice = site["alice"]["handle"]
    return [
        ("/new", "new"),
        ("/trending", "trending"),
        (f"/p/{site['post']}", "post"),
        (f"/u/{alice}", "profile"),
        (f"/u/{alice}/followers", "followers"),
        (f"/u/{alice}/following", "following"),
        (f"/tags/{site['tag']}", "tag"),
    ]


def check_pages(browser, base_url, artifacts_dir, role, pages, sign_in_as=None, allow_status=()):
    """Visits `pages` ((path, data-page) pairs) on a desktop browser in light and dark mode and on a phone, signed in
    as `sign_in_as` (a dict with handle and password) when given; fails listing every problem."""
    desktop = browser(f"{role}-desktop")
    dark = browser(f"{role}-dark", dark=True)
    phone = browser(f"{role}-phone", mobile=True)
    if sign_in_as:
        for driver in (desktop, dark, phone):
            sign_in(driver, base_url, sign_in_as["handle"], sign_in_as["password"], path="/assets/app.css")
    problems = []
    for path, name in pages:
        for driver, size in ((desktop, "desktop"), (dark, "dark"), (phone, "phone")):
            mark = console_mark(driver)
            try:
                driver.get(base_url + path)
                wait_for_page(driver, name, timeout=15)
                wait_settled(driver)
                if size == "phone":
                    fits_width(driver)
                else:
                    axe_check(driver)  # in dark mode too: its colours need the same contrast
                no_console_errors(driver, allow_status=allow_status, since=mark)
            except AssertionError as error:
                slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
                shot = screenshot(driver, os.path.join(artifacts_dir, "pages", f"{role}-{slug}-{size}.png"))
                problems.append(f"{path} ({role}, {size}): {error}\n    screenshot: {shot}")
    if problems:
        pytest.fail(f"{len(problems)} page problem(s):\n" + "\n".join(problems), pytrace=False)


def test_every_page_signed_out(browser, base_url, artifacts_dir, site):
    pages = [
        ("/login", "login"),
        ("/signup", "signup"),
        ("/forgot-password", "forgot"),
        ("/reset-password?token=not-a-real-token", "reset"),
        ("/verify-email?token=not-a-real-token", "verify"),
    ] + public_pages(site)
    # Signed out, the app's question "who is signed in?" is answered 401: expected, not an error.
    check_pages(browser, base_url, artifacts_dir, "guest", pages, allow_status=(401,))


def test_every_page_signed_in(browser, base_url, artifacts_dir, site):
    pages = [
        ("/", "home"),
        ("/compose", "compose"),
        ("/notifications", "notifications"),
        ("/settings", "settings"),
    ] + public_pages(site)
    check_pages(browser, base_url, artifacts_dir, "alice", pages, sign_in_as=site["alice"])


def test_admin_pages(browser, base_url, artifacts_dir, admin):
    check_pages(browser, base_url, artifacts_dir, "admin", [("/admin", "admin")], sign_in_as=admin)
