"""The suite's own machinery, checked against the real shell: the checks the other tests rely on can fail."""

import pytest

from helpers import axe_check, console_mark, csp_violations, no_console_errors, screenshot


def test_csp_violations_and_console_errors_are_seen(driver, base_url):
    driver.get(base_url + "/")
    mark = console_mark(driver)
    # An inline script added by the page is refused by the Content-Security-Policy (no 'unsafe-inline')...
    driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.append(s)"
    )
    assert driver.execute_script("return window.__inline === undefined"), "an inline script ran"
    # ... and the browser says so in the console, which the checks read.
    violations = csp_violations(driver)
    assert violations and "script-src" in violations[-1]["message"]
    with pytest.raises(AssertionError, match="Content Security Policy"):
        no_console_errors(driver, since=mark)
    # A failed fetch is a console error unless the test expects its status.
    mark = console_mark(driver)
    driver.execute_async_script("fetch('/assets/no-such-file.js').then(() => arguments[0]())")
    with pytest.raises(AssertionError, match="404"):
        no_console_errors(driver, since=mark)
    no_console_errors(driver, allow_status=(404,), since=mark)


def test_axe_reports_serious_violations(driver, base_url):
    driver.get(base_url + "/")
    # An image without alt text is a critical violation (image-alt).
    driver.execute_script("const i = document.createElement('img'); i.src = 'data:,'; document.body.append(i)")
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(driver)


def test_mobile_browser_is_360_css_pixels_wide(browser, base_url, tmp_path):
    phone = browser("phone", mobile=True)
    phone.get(base_url + "/")
    # The layout viewport is the phone's (innerWidth would grow with content wider than the screen: fits_width's job).
    assert phone.execute_script("return document.documentElement.clientWidth") == 360
    assert phone.execute_script("return matchMedia('(width: 360px)').matches")
    path = screenshot(phone, str(tmp_path / "phone.png"))
    with open(path, "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_two_browsers_have_their_own_cookies(browser, base_url):
    alice, bob = browser("alice"), browser("bob")
    for driver in (alice, bob):
        driver.get(base_url + "/assets/app.css")
    alice.add_cookie({"name": "probe", "value": "alice"})
    assert bob.get_cookie("probe") is None


def test_dark_browser_prefers_dark(browser, base_url):
    dark = browser("dark", dark=True)
    dark.get(base_url + "/login")
    assert dark.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    light = browser("light")
    light.get(base_url + "/login")
    assert not light.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
