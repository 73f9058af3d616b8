"""The page shell in a real browser: it loads cleanly under the Content-Security-Policy and the app renders."""

from helpers import axe_check, csp_violations, no_console_errors, wait_for, wait_for_page


def test_home_loads_without_console_errors_or_csp_violations(driver, base_url):
    driver.get(base_url + "/")
    # The app rendered: the router put a page in <main id="main"> inside #app.
    wait_for(driver, "#app main#main", visible=False, timeout=15)
    assert csp_violations(driver) == [], "CSP violations in the console"
    # Anonymous visitors: the app may ask who is signed in and be told 401.
    no_console_errors(driver, allow_status=(401,))


def test_every_module_loads_from_the_shell(driver, base_url):
    driver.get(base_url + "/")
    wait_for(driver, "#app main#main", visible=False, timeout=15)
    # Every script and stylesheet the page used came from this origin, under a hashed name.
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        " .concat([location.href])"
    )
    for url in urls:
        assert url.startswith(base_url + "/"), f"request to another origin: {url}"


def test_login_page_is_accessible(driver, base_url):
    driver.get(base_url + "/login")
    wait_for_page(driver, "login", timeout=15)
    wait_for(driver, "input[name=login]")
    axe_check(driver)
    assert csp_violations(driver) == []
