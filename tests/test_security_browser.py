"""The staff page in a real browser (Chromium through Playwright, as tests/test_browser.py): its own login form,
the page working under the site's Content-Security-Policy, an upload added through the page, logout by its
button. Any script error, CSP violation or failed request of the page fails the test."""
from __future__ import annotations

import httpx
import pytest

from staff_site import choose_file, staff_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "staff-secret-for-the-browser-2b8e"


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    with staff_site(seed_index, tmp_path_factory.mktemp("staff-browser"), PASSWORD) as (url, _, corpus):
        yield url, corpus


def test_staff_log_in_add_a_report_and_log_out_in_a_browser(browser, site, tmp_path):
    url, corpus = site
    report = tmp_path / "lighthouses.txt"
    report.write_text("The lighthouse survey found 37 working lighthouses on the coast in 2021.")
    problems: list[str] = []
    # Logging out ends the session, so the page's open queue stream is refused (401) from then on: that is the
    # logout working, and a slow machine sees it before the login form is back. Failed requests count until then.
    logged_in = [True]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
                and problems.append(m.text))
        page.on("response", lambda r: logged_in[0] and r.url.startswith(url) and r.status >= 400
                and not r.url.endswith("/login") and problems.append(f"{r.status} from {r.request.method} {r.url}"))
        page.goto(f"{url}staff")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("alert").get_by_text("Incorrect credentials.").wait_for()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Add and remove the reports the public chat answers from.").wait_for(timeout=60_000)
        choose_file(page, report, corpus.parent / "app.log")
        page.get_by_role("button", name="Add", exact=True).click()
        # The upload runs as a background job: its row says how far it is, then "added".
        page.get_by_role("grid", name="Results").get_by_test_id("cell-0-1").get_by_text("added").wait_for(timeout=120_000)
        assert (corpus / "lighthouses.txt").is_file()
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 200
        logged_in[0] = False
        page.get_by_role("button", name="Log out").click()
        page.get_by_label("Password").wait_for()
        assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 401
    finally:
        context.close()
    assert not problems, problems
