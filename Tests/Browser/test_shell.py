"""The page shell in a real browser: it loads cleanly under the Content-Security-Policy and the app renders."""

import re

from helpers import (
    axe_check,
    csp_violations,
    no_console_errors,
    register_via_api,
    sign_in,
    unique_handle,
    wait_for,
    wait_for_page,
    wait_settled,
)

BUDGET = 150 * 1024  # bytes of JavaScript and CSS, uncompressed, on the first load of the home page


def test_home_loads_without_console_errors_or_csp_violations(driver, base_url):
    driver.get(base_url + "/")
    # The app rendered: the router put a page in <main id="main"> inside #app.
    wait_for(driver, "#app main#main", visible=False, timeout=15)
    assert csp_violations(driver) == [], "CSP violations in the console"
    # Anonymous visitors: the app may ask who is signed in and be told 401.
    no_console_errors(driver, allow_status=(401,))


def test_every_file_comes_from_this_origin_under_its_hashed_name(driver, base_url):
    driver.get(base_url + "/login")
    wait_for_page(driver, "login", timeout=15)
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls, "the page loaded its modules and stylesheet"
    for url in urls:
        if url.startswith(("data:", "blob:")):
            continue
        assert url.startswith(base_url + "/"), f"request to another origin: {url}"
        path = url[len(base_url) :].split("?")[0]
        if path.startswith("/assets/"):
            # Through the import map: a plain name would be revalidated on every load instead of cached for good.
            assert re.search(r"\.[A-Za-z0-9_-]{12}\.[a-z0-9]+$", path), f"{path} was not loaded under its hashed name"


def test_login_page_is_accessible(driver, base_url):
    driver.get(base_url + "/login")
    wait_for_page(driver, "login", timeout=15)
    wait_for(driver, "input[name=login]")
    axe_check(driver)
    assert csp_violations(driver) == []



def test_first_load_of_home_is_within_the_budget(driver, base_url):
    user = register_via_api(base_url, unique_handle("budget"))
    sign_in(driver, base_url, user["handle"], path="/")
    wait_for_page(driver, "home", timeout=15)
    wait_settled(driver)
    # What this document fetched (the sign-in step's stylesheet visit was another document): sizes as decoded.
    files = driver.execute_script(
        "return performance.getEntriesByType('resource')"
        "  .filter(e => /[.](js|css)$/.test(new URL(e.name).pathname))"
        "  .map(e => [new URL(e.name).pathname, e.decodedBodySize])"
    )
    total = sum(size for _, size in files)
    listing = ", ".join(f"{path} {size}" for path, size in sorted(files, key=lambda f: -f[1]))
    assert any(path.startswith("/assets/app.") for path, _ in files), f"the entry module was not seen: {listing}"
    assert total < BUDGET, f"first load of home: {total} bytes of JS+CSS (budget {BUDGET}): {listing}"
    print(f"first load of home: {total} bytes of JS+CSS in {len(files)} files")
