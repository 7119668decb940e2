"""Staff login: no or wrong credentials are refused, repeated failures are slowed down, no password reaches the log."""
from __future__ import annotations

import time

import httpx
import pytest
from gradio_client import Client

from qa.appdb import AppDatabase
from staff_site import staff_site
from web.login_throttle import FREE_FAILURES, MAX_WAIT_SECONDS, LoginThrottle

pytestmark = pytest.mark.reliability  # `make reliability` runs these

PASSWORD = "staff-secret-4f9c2a"
WRONG = "guess-7d1e0b"


def test_the_wait_doubles_with_each_failure_up_to_a_cap_and_success_clears_it(tmp_path):
    now = [1_800_000_000.0]
    throttle = LoginThrottle(AppDatabase(tmp_path / "app.sqlite"), clock=lambda: now[0])
    for _ in range(FREE_FAILURES - 1):
        throttle.failed("a")
    assert throttle.wait_left("a") == 0
    waits = []
    for _ in range(12):
        throttle.failed("a")
        waits.append(throttle.wait_left("a"))
    assert waits[:4] == [1, 2, 4, 8] and waits[-1] == MAX_WAIT_SECONDS
    assert throttle.wait_left("b") == 0  # per client
    throttle.succeeded("a")
    assert throttle.wait_left("a") == 0


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("login-site")
    with staff_site(seed_index, root, PASSWORD) as (url, _, _):
        yield url, root / "app.log"


def _login(url, password):
    return httpx.post(f"{url}staff/login", data={"username": "staff", "password": password}, timeout=10)


def test_missing_and_wrong_credentials_are_refused_and_repeated_failures_wait(site):
    url, log = site
    assert httpx.get(f"{url}staff/gradio_api/info", timeout=10).status_code == 401
    assert httpx.post(f"{url}staff/login", timeout=10).status_code in (400, 422)  # no credentials at all
    for _ in range(FREE_FAILURES):
        assert _login(url, WRONG).status_code == 400
    refused = _login(url, PASSWORD)  # even the right password waits: a guesser cannot tell a hit while throttled
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "try again in" in refused.json()["detail"]
    time.sleep(1.2)
    assert _login(url, PASSWORD).status_code == 200  # the wait is over, and success clears the count
    assert _login(url, WRONG).status_code == 400
    assert _login(url, PASSWORD).status_code == 200
    Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False)  # a script logs in as before

    text = log.read_text()
    assert PASSWORD not in text and WRONG not in text
