"""Attacks on the staff page, against the app as `python app.py` serves it (issue 11): path injection into `add`,
forwarded-header tricks at the login, upload size and leftovers, the session's cookie, expiry, logout and
cross-site requests, and a new upload's link answering at once."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from ingest.index import Index
from running_app import PageSession, gradio_dir
from staff_site import staff_site
from web.login_throttle import FREE_FAILURES

pytestmark = pytest.mark.reliability  # `make reliability` runs these

PASSWORD = "staff-secret-for-the-staff-security-tests-9e1d"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    """(URL, index, corpus, root) of the app with its staff page on, uploads capped at 1 MB."""
    root = tmp_path_factory.mktemp("staff-security")
    with staff_site(seed_index, root, PASSWORD, QA_MAX_UPLOAD_MB="1") as (url, index, corpus):
        yield url, index, corpus, root


def _login(url: str, **headers) -> httpx.Response:
    return httpx.post(f"{url}staff/login", data={"username": "staff", "password": PASSWORD}, headers=headers, timeout=10)


def _session(url: str) -> dict[str, str]:
    answer = _login(url)
    assert answer.status_code == 200, answer.text
    return dict(answer.cookies)


def _upload(url: str, cookies: dict, name: str, content: bytes) -> httpx.Response:
    return httpx.post(f"{url}staff/gradio_api/upload", files={"files": (name, content)}, cookies=cookies, timeout=60)


def _file(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


def _add(url: str, cookies: dict, files) -> str:
    """Run the staff page's `add` with ``files`` as its files argument; everything the app answered."""
    data = [files, "", "", "", "", "", ""]
    called = httpx.post(f"{url}staff/gradio_api/call/add", json={"data": data}, cookies=cookies, timeout=30)
    if called.status_code != 200:
        return called.text
    return httpx.get(f"{url}staff/gradio_api/call/add/{called.json()['event_id']}", cookies=cookies, timeout=120).text


def _corpus_state(index: Path, corpus: Path):
    reader = Index(index)
    try:
        return reader.current_generation(), sorted(d.id for d in reader.documents()), sorted(p.name for p in corpus.rglob("*"))
    finally:
        reader.close()


def test_add_takes_only_files_this_session_uploaded(site, tmp_path):
    url, index, corpus, root = site
    secret = tmp_path / "passwd"
    secret.write_text(f"root:x:0:0:{uuid.uuid4().hex}:/root:/bin/bash\n")
    attacker, other = _session(url), _session(url)
    # another session's upload, inside Gradio's upload folder: not the attacker's to add, nor to delete
    theirs = _upload(url, other, "theirs.txt", b"A report another member of staff is about to add.").json()[0]
    before = _corpus_state(index, corpus)
    answers = [_add(url, attacker, files) for files in (
        [_file(str(secret))], [str(secret)], _file(str(secret)), [{"path": str(secret)}], [_file(theirs)],
        [_file("/proc/self/environ")], [_file(str(index / "index.sqlite"))])]
    said = "\n".join(answers)
    assert _corpus_state(index, corpus) == before
    assert secret.read_text() not in said and PASSWORD not in said
    assert "not a file uploaded in this session" in said  # the other session's file got this far, and no further
    assert Path(theirs).is_file()
    assert httpx.get(f"{url}reports/0000000000000000/passwd.txt", timeout=10).status_code == 404
    for doc_id in before[1]:
        assert httpx.get(f"{url}reports/{doc_id}/passwd.txt", timeout=10).status_code == 404


def test_uploads_are_capped_and_deleted_once_stored_or_rejected(site):
    url, index, corpus, root = site
    cookies = _session(url)
    uploads = gradio_dir(root / "app.log")
    too_big = _upload(url, cookies, "big.txt", b"Too big. " * (1 << 17))  # over the 1 MB cap
    assert too_big.status_code == 413
    mark = uuid.uuid4().hex
    good = _upload(url, cookies, "harbours.txt", f"The harbour survey {mark} counted 412 boats.".encode()).json()
    bad = _upload(url, cookies, "photo.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + mark.encode()).json()
    said = _add(url, cookies, [_file(good[0]), _file(bad[0])])
    assert "added" in said and "judged by its content" in said
    assert (corpus / "harbours.txt").is_file()
    leftovers = [p for p in uploads.rglob("*") if p.is_file() and mark.encode() in p.read_bytes()]
    assert leftovers == [] and not Path(good[0]).exists() and not Path(bad[0]).exists()
    assert [p for p in uploads.rglob("*") if p.is_file() and p.stat().st_size == 0] == []  # no empty temporaries
    assert "not a file uploaded in this session" in _add(url, cookies, [_file(good[0])])  # used once, then gone


def test_a_new_upload_is_served_at_once(site, tmp_path):
    url, index, corpus, _ = site
    report = tmp_path / "tides.txt"
    report.write_text("Tidal power supplies a fifth of the island's electricity since 2022.")
    staff = Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False)
    results, _, _ = staff.predict([handle_file(str(report))], "", "", "", "", "", "", api_name="/add")
    (row,) = results["data"]
    assert row[1] == "added"
    # before anyone asks a question or opens the Reports tab
    original = httpx.get(f"{url}reports/{row[4]}/tides.txt", timeout=10)
    assert original.status_code == 200 and "a fifth of the island" in original.text


def test_the_login_believes_no_forwarded_header_from_an_unnamed_proxy(site):
    url, *_ = site
    statuses = []
    for n in range(3 * FREE_FAILURES):
        answer = httpx.post(f"{url}staff/login", data={"username": "staff", "password": f"guess-{n}"}, timeout=10,
                            headers={"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"})
        statuses.append(answer.status_code)
    assert statuses[:FREE_FAILURES] == [400] * FREE_FAILURES
    assert 429 in statuses[FREE_FAILURES:]  # the guesser is one client, whatever it claims
    time.sleep(0.1)


def test_one_session_cookie_httponly_samesite_strict(site):
    url, *_ = site
    time.sleep(_wait_for_throttle(url))
    answer = _login(url)
    assert answer.status_code == 200
    cookies = answer.headers.get_list("set-cookie")
    assert len(cookies) == 1, cookies
    attributes = [a.strip().lower() for a in cookies[0].split(";")]
    assert "httponly" in attributes and "samesite=strict" in attributes and "path=/staff" in attributes
    assert "secure" not in attributes  # plain HTTP here; over HTTPS it is Secure (test_behind_a_named_proxy_...)


def _wait_for_throttle(url: str) -> float:
    """Seconds until this client may log in again after the guessing test (the wait doubles up to a cap)."""
    answer = _login(url)
    return float(answer.headers.get("retry-after", 0)) + 0.2 if answer.status_code == 429 else 0.0


def test_logout_is_a_post_and_ends_the_session(site):
    url, *_ = site
    time.sleep(_wait_for_throttle(url))
    cookies = _session(url)
    assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 200
    assert httpx.get(f"{url}staff/logout", cookies=cookies, timeout=10).status_code == 405  # a link logs no one out
    assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 200
    out = httpx.post(f"{url}staff/logout", cookies=cookies, timeout=10)
    assert out.status_code == 303
    assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 401
    assert httpx.get(f"{url}staff/gradio_api/info", cookies=cookies, timeout=10).status_code == 401


def test_cross_site_logins_and_changes_are_refused(site):
    url, index, corpus, _ = site
    time.sleep(_wait_for_throttle(url))
    for headers in ({"Origin": EVIL}, {"Referer": f"{EVIL}/phish.html"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"}):
        refused = _login(url, **headers)
        assert refused.status_code == 403 and "set-cookie" not in refused.headers, headers
    own = f"{httpx.URL(url).scheme}://{httpx.URL(url).netloc.decode()}"
    cookies = dict(_login(url, Origin=own, **{"Sec-Fetch-Site": "same-origin"}).cookies)
    assert cookies
    before = _corpus_state(index, corpus)
    page = PageSession(f"{url}staff/", cookies)
    remove = page.dependency("remove")
    forged = httpx.post(f"{url}staff/gradio_api/queue/join", cookies=cookies, headers={"Origin": EVIL}, timeout=10,
                        json={"data": [before[1][0]], "fn_index": remove["id"], "session_hash": "forged"})
    assert forged.status_code == 403
    correct = page.dependency("set")
    forged = httpx.post(f"{url}staff/gradio_api/queue/join", cookies=cookies, headers={"Origin": EVIL}, timeout=10,
                        json={"data": [before[1][0], "Forged title", "", "", "", ""], "fn_index": correct["id"],
                              "session_hash": "forged"})
    assert forged.status_code == 403
    assert httpx.post(f"{url}staff/gradio_api/upload", cookies=cookies, headers={"Origin": EVIL}, timeout=10,
                      files={"files": ("x.txt", b"x")}).status_code == 403
    assert httpx.post(f"{url}staff/logout", cookies=cookies, headers={"Origin": EVIL}, timeout=10).status_code == 403
    assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=10).status_code == 200  # still logged in
    assert _corpus_state(index, corpus) == before


@pytest.fixture(scope="module")
def short_sessions_behind_proxy(seed_index, tmp_path_factory):
    """The app with staff sessions of 2.4 s idle and 5 s in all, told that its proxy is on 127.0.0.1 as a deployment
    behind nginx on the same host would be (one app for both: a request without forwarded headers is the peer's)."""
    root = tmp_path_factory.mktemp("short-sessions")
    with staff_site(seed_index, root, PASSWORD, QA_STAFF_IDLE_MINUTES="0.04", QA_STAFF_SESSION_HOURS=str(5 / 3600),
                    QA_TRUSTED_PROXIES="127.0.0.1") as s:
        yield s[0]


def test_sessions_end_when_idle_and_at_their_limit(short_sessions_behind_proxy):
    """Two sessions side by side, on the same clock: one left idle, one active until past its limit."""
    url = short_sessions_behind_proxy
    idle = _session(url)
    assert httpx.get(f"{url}staff/config", cookies=idle, timeout=10).status_code == 200
    idle_since, idle_checked = time.monotonic(), False
    busy, started = _session(url), time.monotonic()
    while time.monotonic() - started < 4.3:  # active every half second: never idle
        assert httpx.get(f"{url}staff/config", cookies=busy, timeout=10).status_code == 200
        if not idle_checked and time.monotonic() - idle_since >= 2.9:  # 0.5 s past its 2.4 s idle time
            assert httpx.get(f"{url}staff/config", cookies=idle, timeout=10).status_code == 401
            idle_checked = True
        time.sleep(0.5)
    assert idle_checked
    # past the 5 s limit, and less than the 2.4 s idle time after the last request: the limit ended it
    time.sleep(max(0.0, 5.6 - (time.monotonic() - started)))
    assert httpx.get(f"{url}staff/config", cookies=busy, timeout=10).status_code == 401
    assert httpx.get(f"{url}staff/", cookies=busy, timeout=10).text.count('type="password"') == 1  # the login form


def test_behind_a_named_proxy_the_forwarded_client_counts_and_the_cookie_is_secure(short_sessions_behind_proxy):
    url = short_sessions_behind_proxy
    guesser, colleague = {"X-Forwarded-For": "198.51.100.7"}, {"X-Forwarded-For": "203.0.113.9"}
    statuses = [httpx.post(f"{url}staff/login", data={"username": "s", "password": f"guess-{n}"}, headers=guesser,
                           timeout=10).status_code for n in range(FREE_FAILURES + 1)]
    assert statuses == [400] * FREE_FAILURES + [429]
    assert _login(url, **colleague).status_code == 200  # another client behind the same proxy is not locked out
    secure = _login(url, **colleague, **{"X-Forwarded-Proto": "https"})
    (cookie,) = secure.headers.get_list("set-cookie")
    assert "secure" in [a.strip().lower() for a in cookie.split(";")]
