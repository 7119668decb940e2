"""Replicas (docs/deploy.md): two app processes over one read-only snapshot of the index (`ingest snapshot`), sharing
one PostgreSQL, behind nginx with the repository's own site config (deploy/nginx-report-qa.conf).

The snapshot is `chmod -R a-w`; as root, whom permission bits do not stop, each app also runs in a mount namespace of
its own where the snapshot is mounted read-only, so any write into it fails as it would for an unprivileged user.
"""
from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from apprun import app_process, free_port
from bench.load_test import QUESTIONS, ask, loopback_addresses, run_load
from conftest import ingest
from postgres import private_schema
from qa.appdb import AppDatabase
from running_app import PageSession
from web.login_throttle import FREE_FAILURES, LoginThrottle
from web.staff_session import COOKIE, StaffSessions

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = ROOT / "deploy" / "nginx-report-qa.conf"
PASSWORD = "staff-secret-of-the-replicas-81c2"
# The site config's own replica addresses and port, which the test replaces with its own.
CONFIG_REPLICAS = "    server 127.0.0.1:7861;\n    server 127.0.0.1:7862;\n"
CONFIG_LISTEN = "listen 80;"
# Mounts the snapshot (the first argument) read-only in a mount namespace of its own, then runs the rest.
READ_ONLY_MOUNT = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                   'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"']


# The stores as two replicas use them: two objects over one database, SQLite and the machine's PostgreSQL.

@pytest.fixture(params=["sqlite", "postgresql"])
def two_handles(request, tmp_path):
    """Two AppDatabase objects over one database, as two replicas open it."""
    with (private_schema() if request.param == "postgresql" else contextlib.nullcontext(tmp_path / "app.sqlite")) as where:
        first, second = AppDatabase(where), AppDatabase(where)
        yield first, second
        first.close()
        second.close()


@dataclass
class _Request:
    cookies: dict[str, str]


def test_failures_counted_by_one_replica_hold_in_the_other(two_handles):
    one, other = (LoginThrottle(db) for db in two_handles)
    for n in range(FREE_FAILURES):
        (one if n % 2 else other).failed("198.51.100.4")
    assert one.wait_left("198.51.100.4") > 0 and other.wait_left("198.51.100.4") > 0
    assert one.wait_left("198.51.100.5") == 0  # per client
    other.succeeded("198.51.100.4")
    assert one.wait_left("198.51.100.4") == 0


def test_a_session_started_by_one_replica_is_known_to_the_other_until_it_ends_there(two_handles, tmp_path):
    one, other = (StaffSessions(db) for db in two_handles)
    request = _Request({COOKIE: one.start()})
    assert other.user(request) == "staff" and one.user(_Request({COOKIE: "forged"})) is None
    upload = tmp_path / "upload" / "report.pdf"
    upload.parent.mkdir()
    upload.write_bytes(b"%PDF-1.4")
    one.note_uploads(request.cookies, [str(upload)])
    assert other.uploads(request) == {str(upload.resolve())}
    other.end(request)
    assert one.user(request) is None and one.uploads(request) == set()
    assert not upload.exists()  # deleted with the session


def test_sessions_are_kept_by_the_hash_of_their_cookie_only(two_handles):
    db = two_handles[0]
    token = StaffSessions(db).start()
    with db.engine.connect() as conn:
        kept = [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM staff_sessions")]
    assert kept and token not in repr(kept) and hashlib.sha256(token.encode()).hexdigest() in repr(kept)


# Two app processes over one read-only snapshot, one PostgreSQL and nginx.

def _tree(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under ``folder``: size, modification time and SHA-256."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_only_mount() -> list[str]:
    """The command that keeps root's apps from writing into the snapshot; nothing for another user, whom chmod stops."""
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(READ_ONLY_MOUNT[:4] + ["true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"running as root and cannot mount the snapshot read-only: {probe.stderr.strip()[:200]}")
    return READ_ONLY_MOUNT


@dataclass
class Replicas:
    urls: list[str]  # each app, directly
    proxy: str  # nginx in front of both
    snapshot: Path
    before: dict  # the snapshot's files before the apps started
    root: Path
    pids: list[int]

    @property
    def logs(self) -> list[Path]:
        return [self.root / f"replica-{n}.log" for n in range(len(self.urls))]

    @property
    def access_log(self) -> Path:
        return self.root / "nginx-access.log"


def _nginx_config(root: Path, listen: int, replicas: list[str]) -> Path:
    """An nginx.conf of the test's own files and ports around the repository's site config."""
    site = SITE_CONFIG.read_text()
    assert CONFIG_REPLICAS in site and CONFIG_LISTEN in site, "the site config's replicas or port moved: update the test"
    servers = "".join(f"    server {httpx.URL(url).host}:{httpx.URL(url).port};\n" for url in replicas)
    (root / "site.conf").write_text(site.replace(CONFIG_REPLICAS, servers)
                                    .replace(CONFIG_LISTEN, f"listen 127.0.0.1:{listen};"))
    temp = "\n".join(f"    {kind}_temp_path {root}/nginx-{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = root / "nginx.conf"
    conf.write_text(f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes 1;
pid {root}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    log_format upstreams '$remote_addr $upstream_addr $status $request_uri';
    access_log {root}/nginx-access.log upstreams;
{temp}
    include {root}/site.conf;
}}
""")
    return conf


@contextlib.contextmanager
def _nginx(root: Path, replicas: list[str]):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("no nginx here: apt-get install nginx-light (.ci/run does)")
    port = free_port()
    conf = _nginx_config(root, port, replicas)
    proc = subprocess.Popen([binary, "-p", str(root), "-c", str(conf), "-e", str(root / "nginx-error.log"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, (root / "nginx-error.log").read_text()
            try:
                httpx.get(url, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def replicas(seed_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("replicas")
    snapshot = root / "snapshot"
    made = ingest("snapshot", str(snapshot), index=seed_index)
    assert made.returncode == 0, made.stderr
    subprocess.run(["chmod", "-R", "a-w", str(snapshot)], check=True)
    before = _tree(snapshot)
    mount = _read_only_mount()
    under = [*mount, str(snapshot)] if mount else []
    with private_schema() as database, contextlib.ExitStack() as stack:
        apps = []
        for n in range(2):
            env = {"QA_DATABASE_URL": database, "QA_STAFF_PASSWORD": PASSWORD, "QA_TRUSTED_PROXIES": "127.0.0.1",
                   "QA_CORPUS_DIR": str(root / f"corpus-{n}"), "GRADIO_TEMP_DIR": str(root / f"gradio-{n}"),
                   "QA_APP_DB": str(root / f"unused-{n}.sqlite")}
            apps.append(stack.enter_context(app_process(snapshot, root / f"replica-{n}.log", env, under)))
        for app in apps:  # both start at once: the second's model loads while the first's does
            app.wait_until_serving()
        proxy = stack.enter_context(_nginx(root, [app.url for app in apps]))
        yield Replicas([app.url for app in apps], proxy, snapshot, before, root, [app.proc.pid for app in apps])
    os.chmod(snapshot, 0o755)  # so that pytest can clean its folder up


def _asked(url: str, question: str, address: str | None = None) -> dict:
    async def one() -> dict:
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(base_url=url, timeout=120, transport=transport) as client:
            return await ask(client, question)
    return asyncio.run(one())


def _login(url: str, password: str, client: str) -> httpx.Response:
    """The staff login as a client at ``client`` behind the proxy (the apps believe 127.0.0.1's X-Forwarded-For)."""
    return httpx.post(f"{url}staff/login", data={"username": "staff", "password": password},
                      headers={"X-Forwarded-For": client}, timeout=30)


@pytest.mark.slow
def test_two_replicas_on_a_read_only_snapshot_give_identical_answers(replicas):
    for question in QUESTIONS:
        first, second = (_asked(url, question) for url in replicas.urls)
        assert first == second, question
        assert _asked(replicas.proxy, question) == first  # and so through nginx
    assert _tree(replicas.snapshot) == replicas.before  # nothing written, no -wal or -shm made
    if os.geteuid() == 0:  # the apps saw the snapshot as a read-only mount
        for pid in replicas.pids:
            mounts = [line.split() for line in Path(f"/proc/{pid}/mountinfo").read_text().splitlines()]
            assert any(m[4] == str(replicas.snapshot) and "ro" in m[5].split(",") for m in mounts)
    for log in replicas.logs:
        assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


@pytest.mark.slow
def test_a_rating_given_through_one_replica_is_exported_through_the_other(replicas):
    question = "What is the recipe for a good sourdough bread on Mars?"
    page = PageSession(replicas.urls[0])
    shown = page.ask(question)["output"]["data"][0]
    rated = page.run("rate", [None] * len(page.dependency("rate")["inputs"]),
                     event_data={"index": 1, "value": shown[-1]["content"], "liked": False})
    assert rated["success"], rated

    other = replicas.urls[1]
    logged_in = _login(other, PASSWORD, "198.51.100.30")
    assert logged_in.status_code == 200, logged_in.text
    staff = PageSession(f"{other}staff/", dict(logged_in.cookies))
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in staff.config["components"]}
    questions_view = next(d for d in staff.config["dependencies"] if ids["qa-exports"] in d["outputs"])
    joined = staff.join(questions_view["id"], ["Last 30 days"], trigger_id=questions_view["targets"][0][0])
    joined.raise_for_status()
    shown = staff.result(joined.json()["event_id"])
    assert shown["success"], shown
    exported = next(f for f in shown["output"]["data"][-1] if f["orig_name"] == "feedback.csv")
    got = httpx.get(exported["url"], cookies=staff.cookies, timeout=30)
    got.raise_for_status()
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [(r["question"], r["rating"]) for r in rows] == [(question, "down")]


@pytest.mark.slow
def test_a_staff_login_through_one_replica_holds_in_the_other_until_logged_out_there(replicas):
    first, second = replicas.urls
    logged_in = _login(first, PASSWORD, "198.51.100.31")
    assert logged_in.status_code == 200
    cookies = dict(logged_in.cookies)
    assert httpx.get(f"{second}staff/config", cookies=cookies, timeout=30).status_code == 200
    assert httpx.post(f"{second}staff/logout", cookies=cookies, timeout=30).status_code == 303
    for url in (first, second):
        assert httpx.get(f"{url}staff/config", cookies=cookies, timeout=30).status_code == 401


@pytest.mark.slow
def test_the_login_throttle_counts_failures_across_replicas(replicas):
    client = "198.51.100.32"
    for n in range(FREE_FAILURES):
        assert _login(replicas.urls[n % 2], "a-wrong-guess", client).status_code == 400
    for url in replicas.urls:  # neither replica gives a sixth try at once, though each saw fewer than five
        refused = _login(url, PASSWORD, client)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert _login(replicas.urls[0], PASSWORD, "198.51.100.33").status_code == 200  # another client is not held up


@pytest.mark.slow
def test_load_through_nginx_is_spread_over_both_replicas_without_an_error(replicas):
    logged = len(replicas.access_log.read_text())
    addresses = loopback_addresses(16)
    result = asyncio.run(run_load(replicas.proxy, users=16, seconds=5, addresses=addresses))
    assert not result.errors, sorted(set(result.errors))[:5]
    assert result.requests >= 16
    served = {line.split()[1] for line in replicas.access_log.read_text()[logged:].splitlines()
              if line.split()[0] in addresses}
    assert served == {f"127.0.0.1:{httpx.URL(url).port}" for url in replicas.urls}
    for log in replicas.logs:
        assert "Traceback" not in log.read_text()
