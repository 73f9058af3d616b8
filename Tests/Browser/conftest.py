"""Fixtures of the browser suite: the server under test (from the environment), headless Chromium sessions, and a
report hook that keeps a screenshot, the page's HTML and the console log of every open browser when a test fails.

Environment (README.md in this folder):
  IMAGEAPP_WEB_BASE_URL        the running image-app with the web plugin, e.g. http://127.0.0.1:8080 (required)
  IMAGEAPP_WEB_MAIL_DIR        auth's mail outbox folder (file mailer), for verification and reset links
  IMAGEAPP_WEB_ADMIN_HANDLE    an admin account (made with `image-app create-admin`) ...
  IMAGEAPP_WEB_ADMIN_PASSWORD  ... and its password
  IMAGEAPP_WEB_ARTIFACTS       where failure artifacts go (default: <temp>/imageapp-web-artifacts)
  IMAGEAPP_WEB_TIMEOUT_SCALE   multiplies every wait's timeout (a loaded machine is slower, not broken)
  IMAGEAPP_WEB_CHROMIUM, IMAGEAPP_WEB_CHROMEDRIVER   the browser and driver (default: Debian's)
"""

import json
import os
import re
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from helpers import TIMEOUT_SCALE, console_log

CHROMIUM = os.environ.get("IMAGEAPP_WEB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("IMAGEAPP_WEB_CHROMEDRIVER", "/usr/bin/chromedriver")

# Window sizes: a desktop, and a small phone (the narrowest width the app supports).
DESKTOP = (1280, 900)
MOBILE = (360, 780)


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        pytest.fail(f"{name} is not set: see Tests/Browser/README.md", pytrace=False)
    return value


@pytest.fixture(scope="session")
def base_url():
    """The server under test, without a trailing slash."""
    return _required("IMAGEAPP_WEB_BASE_URL").rstrip("/")


@pytest.fixture(scope="session")
def mail_dir():
    """auth's mail outbox: one .eml file per message."""
    return _required("IMAGEAPP_WEB_MAIL_DIR")


@pytest.fixture(scope="session")
def admin():
    """The admin account's `{"handle", "password"}`; the test is skipped when none is configured."""
    handle = os.environ.get("IMAGEAPP_WEB_ADMIN_HANDLE")
    password = os.environ.get("IMAGEAPP_WEB_ADMIN_PASSWORD")
    if not handle or not password:
        pytest.skip("no admin: set IMAGEAPP_WEB_ADMIN_HANDLE and IMAGEAPP_WEB_ADMIN_PASSWORD")
    return {"handle": handle, "password": password}


@pytest.fixture(scope="session")
def artifacts_dir():
    """Where failure artifacts (and screenshots tests choose to keep) go."""
    path = os.environ.get("IMAGEAPP_WEB_ARTIFACTS") or os.path.join(tempfile.gettempdir(), "imageapp-web-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


def chromium_options(size, dark=False):
    """Headless Chromium as the suite runs it: no sandbox (containers run as root), no /dev/shm (small in
    containers), console messages of every level kept for `console_log`."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--lang=en-US",
        f"--window-size={size[0]},{size[1]}",
    ):
        options.add_argument(argument)
    if dark:
        options.add_argument("--force-dark-mode")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture
def browser(request):
    """A factory of headless Chromium sessions, each with its own cookies: `browser("alice")`, `browser("bob",
    mobile=True)` (360x780), `dark=True` for `prefers-color-scheme: dark`. All quit when the test ends; a failing
    test keeps their screenshots and console logs (see `pytest_runtest_makereport`)."""
    sessions = {}
    request.node._browsers = sessions

    def make(name="browser", mobile=False, dark=False):
        assert name not in sessions, f"a browser named {name!r} is open already"
        size = MOBILE if mobile else DESKTOP
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options(size, dark))
        driver.set_page_load_timeout(30 * TIMEOUT_SCALE)
        driver.set_script_timeout(30 * TIMEOUT_SCALE)
        if dark:
            driver.execute_cdp_cmd(
                "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
            )
        if mobile:
            # Headless windows keep the size asked for; the viewport is exactly the phone's width.
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": size[0], "height": size[1], "deviceScaleFactor": 2, "mobile": True},
            )
        driver.session_name = name
        sessions[name] = driver
        return driver

    yield make
    for driver in sessions.values():
        try:
            driver.quit()
        except Exception:
            pass


@pytest.fixture
def driver(browser):
    """One desktop browser, for tests that need only one."""
    return browser("main")


def _safe(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


def save_browser_artifacts(driver, folder, name):
    """Saves `name`.png, `name`.html and `name`.console.log for one browser under `folder`; returns the paths."""
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, _safe(name))
    paths = []
    try:
        if driver.save_screenshot(base + ".png"):
            paths.append(base + ".png")
    except Exception as error:
        paths.append(f"(no screenshot: {error.__class__.__name__})")
    try:
        with open(base + ".html", "w", encoding="utf-8") as file:
            file.write(f"<!-- {driver.current_url} -->\n{driver.page_source}")
        paths.append(base + ".html")
    except Exception:
        pass
    with open(base + ".console.log", "w", encoding="utf-8") as file:
        for entry in console_log(driver):
            file.write(json.dumps(entry) + "\n")
    paths.append(base + ".console.log")
    return paths


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure (in the test or its set-up), before the browsers are closed: a screenshot, the HTML and the
    console log of every open browser under IMAGEAPP_WEB_ARTIFACTS/<test>/, their paths in the report."""
    outcome = yield
    report = outcome.get_result()
    sessions = getattr(item, "_browsers", None)
    if not report.failed or not sessions or report.when == "teardown":
        return
    root = os.environ.get("IMAGEAPP_WEB_ARTIFACTS") or os.path.join(tempfile.gettempdir(), "imageapp-web-artifacts")
    folder = os.path.join(root, _safe(item.nodeid))
    lines = []
    for name, driver in sessions.items():
        try:
            url = driver.current_url
        except Exception:
            url = "?"
        lines.append(f"{name} at {url}:")
        lines.extend("  " + path for path in save_browser_artifacts(driver, folder, name))
    report.sections.append(("browser artifacts", "\n".join(lines)))
    # Also straight to the terminal: -q runs and summaries that leave sections out still show where to look.
    reporter = item.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(f"\nbrowser artifacts of {item.nodeid}: {folder}")


# Files that run first (the rest follow in name order): the checks themselves, the shell, then the seed workflow, so
# that a stop at the first failure (-x) still says whether the product's main path works.
FIRST = ["test_harness.py", "test_shell.py", "test_workflow.py"]


def pytest_collection_modifyitems(config, items):
    def rank(item):
        name = os.path.basename(str(item.fspath))
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: tests keep their order within a file
