"""Cross-site request forgery in a real browser: the session cookie alone never changes anything."""

import html
import http.server
import threading
from contextlib import contextmanager

from helpers import register_via_api, sign_in, unique_handle, wait_until


@contextmanager
def other_site(page):
    """Serves `page` (HTML) at / of another origin on 127.0.0.1: another port is another origin but the same site, so
    the browser still sends SameSite=Lax cookies with its form posts and only the CSRF token stands in the way."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def signed_in_user(driver, base_url):
    user = register_via_api(base_url, unique_handle("csrf"))
    sign_in(driver, base_url, user["handle"], path="/assets/app.css")
    return user


def me_status(driver, base_url):
    """`GET /api/v1/me` from the site's own origin in this browser (its cookies)."""
    driver.get(base_url + "/assets/app.css")
    return driver.execute_async_script("fetch('/api/v1/me').then(r => arguments[0](r.status))")


def test_form_post_from_another_origin_is_refused(driver, base_url):
    signed_in_user(driver, base_url)
    assert me_status(driver, base_url) == 200
    # A page elsewhere posts a form to the API (no script needed: a plain form submission) while the user is signed in.
    page = f"""<!doctype html><title>elsewhere</title>
<form method="post" action="{html.escape(base_url)}/api/v1/auth/logout" enctype="text/plain">
<input type="hidden" name="x" value="y"><button type="submit" id="go">Win a prize</button></form>"""
    with other_site(page) as url:
        driver.get(url)
        driver.find_element("id", "go").click()
        # csrf_failed, not unauthorized: the browser sent the session cookie and the missing token was the refusal.
        wait_until(driver, lambda d: "csrf_failed" in d.page_source, 10, "the API's refusal")
    # The session survived.
    assert me_status(driver, base_url) == 200


def test_script_request_without_the_csrf_header_is_refused(driver, base_url):
    signed_in_user(driver, base_url)
    status = driver.execute_async_script(
        "fetch('/api/v1/auth/logout', {method: 'POST'}).then(r => r.json().then(j => arguments[0]([r.status, j.error.code])))"
    )
    assert status == [403, "csrf_failed"]
    assert me_status(driver, base_url) == 200
    # With the header (what lib/api.js sends) the same request works: the refusal was the missing token.
    status = driver.execute_async_script(
        "const token = document.cookie.split('; ').find(c => c.startsWith('ia_csrf=')).slice(8);"
        "fetch('/api/v1/auth/logout', {method: 'POST', headers: {'X-CSRF-Token': token}}).then(r => arguments[0](r.status))"
    )
    assert status == 204
    assert me_status(driver, base_url) == 401
