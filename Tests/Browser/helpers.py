"""Helpers for the browser suite: API set-up over plain HTTP (standard library only), waits, console checks,
accessibility checks (axe-core through axe-selenium-python) and screenshots.

Tests import them with `from helpers import ...` (pytest puts this folder on sys.path: it has no __init__.py).
"""

import base64
import itertools
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DEFAULT_PASSWORD = "correct horse battery"

# Every wait's timeout is multiplied by this (IMAGEAPP_WEB_TIMEOUT_SCALE): a loaded machine (the whole Swift suite
# running beside the browsers on two cores) is slower, not broken.
TIMEOUT_SCALE = float(os.environ.get("IMAGEAPP_WEB_TIMEOUT_SCALE") or 1)


# MARK: - The JSON API over plain HTTP (set-up that need not go through the UI)


class ApiResponse:
    """A JSON API answer: `status`, `json` (None when the body is not JSON), `headers`, `text`."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.text[:300]}>"


def api(base_url, method, path, body=None, token=None, headers=None, cookies=None):
    """Sends one request to `base_url` + `path` (an /api/v1/... path) with a JSON `body`; `token` goes in
    `Authorization: Bearer`, `cookies` (a dict) in `Cookie`. Returns an `ApiResponse` for every status."""
    data = None
    all_headers = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    all_headers.update(headers or {})
    request = urllib.request.Request(base_url.rstrip("/") + path, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return ApiResponse(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return ApiResponse(error.code, error.headers, error.read())


_handles = itertools.count()


def unique_handle(prefix):
    """A handle no earlier run took: `prefix` (keep it short) plus a suffix from the clock and a counter (handles are
    3 to 30 letters, digits and underscores)."""
    return f"{prefix}_{int(time.time() * 100) % 36**6:x}{next(_handles)}"[:30]


def register_via_api(base_url, handle, password=DEFAULT_PASSWORD, email=None, display_name=None):
    """Registers an account in token mode (fast set-up, no browser) and returns a dict with `handle`, `password`,
    `email`, `token` (for `api(..., token=)`), `id` and `user` (the API's user object). Fails the test on refusal."""
    body = {"handle": handle, "email": email or f"{handle.lower()}@example.com", "password": password, "session": "token"}
    if display_name:
        body["display_name"] = display_name
    answer = api(base_url, "POST", "/api/v1/auth/register", body)
    assert answer.status == 201, f"register {handle}: {answer}"
    user = answer.json["user"]
    return {
        "handle": handle,
        "password": password,
        "email": body["email"],
        "token": answer.json["token"],
        "id": user["id"],
        "user": user,
    }


def cookie_login(base_url, login, password=DEFAULT_PASSWORD):
    """Logs in in cookie mode over the API and returns the cookies it set (`ia_session`, `ia_csrf`, `ia_device`)."""
    answer = api(base_url, "POST", "/api/v1/auth/login", {"login": login, "password": password, "session": "cookie"})
    assert answer.status == 200, f"login {login}: {answer}"
    jar = SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel for name, morsel in jar.items()}


def sign_in(driver, base_url, login, password=DEFAULT_PASSWORD, path="/"):
    """Signs `driver` in without the login form (set-up speed): a cookie-mode login over the API whose cookies are
    handed to the browser, then opens `path`. Tests of the login form itself use the form."""
    cookies = cookie_login(base_url, login, password)
    # Cookies can only be added for the page's own origin: open a cheap same-origin document first.
    driver.get(base_url.rstrip("/") + "/assets/app.css")
    for name, morsel in cookies.items():
        cookie = {"name": name, "value": morsel.value, "path": morsel["path"] or "/", "httpOnly": bool(morsel["httponly"])}
        if morsel["samesite"]:
            cookie["sameSite"] = morsel["samesite"].capitalize()
        driver.add_cookie(cookie)
    driver.get(base_url.rstrip("/") + path)


# Sky, sun and hill colours of the pictures `make_image` paints (a screenshot should look like a photo site).
_SCENES = [
    ((255, 183, 120), (120, 80, 160), (255, 240, 200), (60, 50, 90)),
    ((140, 200, 255), (230, 245, 255), (255, 255, 230), (70, 130, 90)),
    ((250, 120, 90), (255, 210, 140), (255, 250, 220), (110, 60, 70)),
    ((30, 40, 90), (90, 110, 180), (240, 240, 255), (20, 30, 50)),
]


def make_image(path, scene=0, size=(800, 600)):
    """Paints a small landscape (sky gradient, sun, two rows of hills; `scene` picks the colours) into a JPEG at
    `path` with Pillow, and returns the path."""
    from PIL import Image, ImageDraw

    top, bottom, sun, hill = _SCENES[scene % len(_SCENES)]
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    x, y, r = width * (0.3 + 0.1 * scene % 0.5), height * 0.4, height * 0.12
    draw.ellipse([x - r, y - r, x + r, y + r], fill=sun)
    for row, shade in ((0.62, 0.75), (0.75, 1.0)):
        color = tuple(int(c * shade) for c in hill)
        points = [(0, height)] + [
            (px, height * row + (height * 0.06) * ((px * (scene + 3)) % 97 / 97 - 0.5) * 2) for px in range(0, width + 40, 40)
        ]
        draw.polygon(points + [(width, height)], fill=color)
    image.save(path, quality=85)
    return str(path)


def send_file(base_url, method, path, token, field, file_path, fields=None):
    """A multipart request with the JPEG at `file_path` in part `field` and text `fields`; returns the JSON answer
    and fails the test on anything but 2xx."""
    boundary = "imageapp-browser-suite-boundary"
    with open(file_path, "rb") as file:
        data = file.read()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{os.path.basename(file_path)}"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    ]
    for name, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        base_url.rstrip("/") + path,
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path}: {error.code} {error.read()[:300]!r}") from None


def upload_image(base_url, token, path, alt=None):
    """`POST /api/v1/media` with the image at `path` and its alt text; returns the media object."""
    return send_file(base_url, "POST", "/api/v1/media", token, "file", path, {"alt": alt} if alt is not None else None)


def set_avatar(base_url, token, path):
    """`PUT /api/v1/me/avatar` with the image at `path`; returns the profile."""
    return send_file(base_url, "PUT", "/api/v1/me/avatar", token, "avatar", path)


def create_post(base_url, token, folder, caption="", images=1, alts=None, scene=0):
    """Publishes a post of `images` new uploads (pictures from `scene` on, made under `folder`, alt texts from `alts`)
    over the API; returns the post object."""
    media_ids = []
    for index in range(images):
        path = make_image(os.path.join(str(folder), f"post-{time.monotonic_ns()}-{index}.jpg"), scene + index)
        alt = alts[index] if alts and index < len(alts) else None
        media_ids.append(upload_image(base_url, token, path, alt)["id"])
    answer = api(base_url, "POST", "/api/v1/posts", {"caption": caption, "media_ids": media_ids}, token=token)
    assert answer.status == 201, f"post: {answer}"
    return answer.json


def mails(mail_dir, to=None):
    """The finished messages in the file mailer's outbox (oldest first) as text; only those to `to` when given."""
    try:
        names = sorted(name for name in os.listdir(mail_dir) if name.endswith(".eml"))
    except FileNotFoundError:
        return []
    texts = []
    for name in names:
        with open(os.path.join(mail_dir, name), encoding="utf-8", errors="replace") as file:
            text = file.read()
        if to is None or f"To: {to}" in text:
            texts.append(text)
    return texts


def mailed_link(mail_dir, to, path_prefix, timeout=15):
    """The path and query (`/verify-email?token=...`) of the newest link starting with `path_prefix` in a mail to
    `to`, waiting up to `timeout` seconds for it: mail links carry the configured public_url, which need not be the
    address the tests reach the server at."""
    timeout *= TIMEOUT_SCALE
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"https?://[^\s/\"'<>]+(" + re.escape(path_prefix) + r"[^\s\"'<>]*)")
    while True:
        for text in reversed(mails(mail_dir, to)):
            found = pattern.findall(text)
            if found:
                return found[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {to} with a link to {path_prefix} within {timeout} s in {mail_dir}")
        time.sleep(0.2)


# MARK: - Waiting


def wait_until(driver, predicate, timeout=10, message="condition"):
    """Waits until `predicate(driver)` is truthy and returns its value; fails with `message` and the page's URL."""
    __tracebackhide__ = True  # failures point at the test's line, not at this helper
    try:
        return WebDriverWait(
            driver, timeout * TIMEOUT_SCALE, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
        ).until(predicate)
    except TimeoutException:
        waited = timeout * TIMEOUT_SCALE
        raise AssertionError(f"timed out after {waited:g} s waiting for {message} on {driver.current_url}") from None


def wait_for(driver, css, timeout=10, visible=True, text=None, count=None):
    """Waits for an element matching `css` (displayed unless `visible=False`; containing `text` when given) and
    returns it; with `count`, waits for at least that many and returns them all."""
    __tracebackhide__ = True  # failures point at the test's line, not at this helper

    def matching(driver):
        found = [
            element
            for element in driver.find_elements(By.CSS_SELECTOR, css)
            if (not visible or element.is_displayed()) and (text is None or text in element.text)
        ]
        if count is not None:
            return found if len(found) >= count else None
        return found[0] if found else None

    described = css + (f" containing {text!r}" if text is not None else "") + (f" (at least {count})" if count else "")
    return wait_until(driver, matching, timeout, described)


def wait_gone(driver, css, timeout=10):
    """Waits until nothing matches `css`."""
    __tracebackhide__ = True  # failures point at the test's line, not at this helper
    wait_until(driver, lambda driver: not driver.find_elements(By.CSS_SELECTOR, css), timeout, f"{css} to disappear")


def wait_settled(driver, timeout=15):
    """Waits until the page shows no loading spinner (`.state-loading`) any more: its data arrived or failed."""
    __tracebackhide__ = True
    wait_until(
        driver,
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, "main#main .state-loading"),
        timeout,
        "the page to finish loading",
    )


def wait_for_page(driver, name, timeout=10):
    """Waits for the router to render page `name` (`main#main[data-page=name]`) and returns the element."""
    __tracebackhide__ = True  # failures point at the test's line, not at this helper
    return wait_for(driver, f'main#main[data-page="{name}"]', timeout=timeout, visible=False)


def click(element):
    """Clicks `element` after scrolling it to the middle of the window: scrolled only just into view, a sticky header
    can sit on top of it and take the click (ElementClickInterceptedException)."""
    element.parent.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)
    element.click()


# MARK: - Console and Content-Security-Policy


def console_log(driver):
    """Every browser console entry of this session so far. ChromeDriver hands each entry out only once, so they are
    kept on the driver: the failure report and later checks still see what an earlier check read."""
    kept = driver.__dict__.setdefault("_console", [])
    try:
        kept.extend(driver.get_log("browser"))
    except Exception:  # a crashed or closed browser: keep what was read before
        pass
    return list(kept)


def _console_errors(driver, since):
    return [entry for entry in console_log(driver)[since:] if entry.get("level") == "SEVERE"]


def csp_violations(driver):
    """Console entries that report a Content-Security-Policy violation."""
    return [entry for entry in console_log(driver) if "Content Security Policy" in entry.get("message", "")]


def console_mark(driver):
    """A position in the console log: pass it as `since` to check only what came after (the next page, say)."""
    return len(console_log(driver))


def no_console_errors(driver, allow_status=(), allow=(), since=0):
    """Fails on any console error since `since` (see `console_mark`): script errors, failed loads, CSP violations.
    `allow_status` lists HTTP statuses (such as 401 or 404) whose "Failed to load resource" lines a test expects (the
    browser logs every 4xx fetch); `allow` lists regular expressions of other messages the test expects."""
    __tracebackhide__ = True
    allowed = [re.compile(pattern) for pattern in allow]
    problems = []
    for entry in _console_errors(driver, since):
        message = entry.get("message", "")
        status = re.search(r"the server responded with a status of (\d{3})", message)
        if status and int(status.group(1)) in allow_status:
            continue
        if any(pattern.search(message) for pattern in allowed):
            continue
        problems.append(message)
    assert not problems, "console errors:\n  " + "\n  ".join(problems)


# MARK: - Layout


def fits_width(driver):
    """Fails when the page is wider than the window (a phone would scroll sideways or zoom out), naming the elements
    that stick out past the right edge."""
    __tracebackhide__ = True
    width, scroll_width, offenders = driver.execute_script(
        """
        const width = document.documentElement.clientWidth;
        // Inside a box that clips or scrolls sideways (a carousel), sticking out is the point: not an offender.
        const clipped = (e) => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== "visible") return true;
            }
            return false;
        };
        const offenders = [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > width + 0.5 && e.getClientRects().length && !clipped(e))
            .slice(0, 8)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${[...e.classList].map(c => "." + c).join("")}`
                + ` (right edge ${Math.round(e.getBoundingClientRect().right)})`);
        return [width, document.documentElement.scrollWidth, offenders];
        """
    )
    assert scroll_width <= width, f"page is {scroll_width} px wide in a {width} px window: " + ", ".join(offenders)


# MARK: - Accessibility


def axe_check(driver, context=None, impacts=("serious", "critical")):
    """Runs axe-core (the copy axe-selenium-python ships) on the current page and fails on any violation of the given
    impacts, listing rule, help, and each offending element with axe's explanation. Returns all violations."""
    __tracebackhide__ = True
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run(context=context)
    violations = results.get("violations", [])
    bad = [violation for violation in violations if violation.get("impact") in impacts]
    if bad:
        lines = [f"axe-core: {len(bad)} {'/'.join(impacts)} violation(s) on {driver.current_url}"]
        for violation in bad:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
            for node in violation.get("nodes", [])[:10]:
                lines.append(f"    at {' '.join(node.get('target', []))}: {node.get('html', '')[:200]}")
                summary = node.get("failureSummary")
                if summary:
                    lines.extend("      " + line for line in summary.splitlines())
        raise AssertionError("\n".join(lines))
    return violations


# MARK: - Screenshots


def screenshot(driver, path, full_page=False):
    """Saves a PNG of the viewport (or, with `full_page`, of the whole page through the DevTools protocol) at `path`
    (folders made) and returns the path."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if full_page:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(path)
    return path


def page_path(driver):
    """The current URL's path and query (`/u/alice?x=1`)."""
    parts = urllib.parse.urlsplit(driver.current_url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
