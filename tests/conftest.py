"""Fixtures every test may use, built once where they are costly: the model, the seed index, one app over it, one
browser.

Two tiers: `make test-fast` runs the tests marked neither ``slow`` (the real model; a process: the app, `ingest`,
`qa`; large PDFs) nor ``browser``; `make test` runs them all. A test that asks for the model (the ``embedder``
fixture, or one built on it such as ``seed_index``) is marked slow here, whatever its module says.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import app
from chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from ingest import settings
from ingest.embedder import get_embedder
from ingest.pipeline import add_files
from staff_site import staff_site

settings.configure_process()  # the test run is a process of ours, as the commands and the app are
app.no_gradio_stub_writing()  # the tests that import web/ load gradio as the app does: 1.6 s less of CPU per worker
if "PYTEST_XDIST_WORKER" in os.environ:
    # A worker of `make test` starts with COLUMNS=80 and LINES=24 set; a module-level rich Console (ingest/cli.py)
    # would take them as its fixed size, whatever width a test then runs a command in.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _main_checkout() -> Path:
    """The repository's main checkout: ROOT itself, or for a `git worktree` the checkout it was added from."""
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                                capture_output=True, text=True)
    except OSError:  # no git here: an unpacked copy
        return ROOT
    return Path(common.stdout.strip()).parent if common.returncode == 0 else ROOT


# The shared test data beside the checkout; a worktree's tests read the one beside its main checkout, not skip.
SHARED = _main_checkout().parent / "shared"
INGEST = str(Path(sys.executable).parent / "ingest")  # the console script staff run


# The modules that took longest in a whole run (docs/testing.md, "Where the time goes"), longest first.
LONGEST_MODULES = ["test_library_gold.py", "test_faults.py", "test_browser_share.py", "test_shared_data.py",
                   "test_crash.py", "test_security_staff.py", "test_browser.py", "test_model_switch.py", "test_cli.py",
                   "test_evaluation.py", "test_browser_library.py", "test_hostile_uploads.py"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "embedder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    # `make test` deals whole modules out to two workers in this order (pytest-xdist, --dist loadfile), each worker
    # taking the next when it is nearly done: the longest first, then the other modules with a slow test, then the
    # quick ones, so that no long module starts late and leaves one worker alone at the end.
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    longest = {name: rank for rank, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: (item.path not in slow_modules, longest.get(item.path.name, len(longest))))


# A file to add each test's CPU seconds to (this process's and its finished children's: the apps, commands and
# browsers it started and stopped), as "module<TAB>test<TAB>CPU seconds<TAB>wall seconds<TAB>worker" lines: where a
# run's CPU goes, and whether the two workers finish together (docs/testing.md).
CPU_LOG = os.environ.get("QA_TEST_CPU_LOG")


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start, started = _cpu_seconds(), time.monotonic()
    try:
        return (yield)
    finally:
        if CPU_LOG:
            worker = os.environ.get("PYTEST_XDIST_WORKER", "-")
            with open(CPU_LOG, "a") as log:  # one short append per test: the two workers' lines stay whole
                log.write(f"{item.path.name}\t{item.nodeid}\t{_cpu_seconds() - start:.2f}"
                          f"\t{time.monotonic() - started:.2f}\t{worker}\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that ran an app (the ``app_log`` fixture) shows the end of that app's output with its report."""
    report = yield
    log = getattr(item, "funcargs", {}).get("app_log")
    if report.failed and isinstance(log, Path) and log.is_file():
        report.sections.append(("the app's output, last 60 lines", "\n".join(log.read_text(errors="replace")
                                                                             .splitlines()[-60:])))
    return report


def ingest(*args: str, index: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `ingest` command on ``index``, ``env`` added to the environment; output captured as text."""
    return subprocess.run([INGEST, *args, "--index", str(index)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.fixture(autouse=True)
def private_corpus_dir(tmp_path, monkeypatch) -> Path:
    """Commands that default to ./corpus (remove, rebuild, the staff page) must never touch the repository's corpus."""
    corpus = tmp_path / "corpus"
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    return corpus


@pytest.fixture(autouse=True)
def private_app_db(tmp_path, monkeypatch) -> Path:
    """The web app's database (readers' ratings) of a test: never the repository's app-data/."""
    db = tmp_path / "app-data" / "app.sqlite"
    monkeypatch.setenv("QA_APP_DB", str(db))
    monkeypatch.delenv("QA_DATABASE_URL", raising=False)
    return db


@pytest.fixture(scope="session")
def embedder():
    return get_embedder()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder) -> Path:
    """An index of the seed corpus, built once per test run. Tests must not change it."""
    index = tmp_path_factory.mktemp("seed") / "index"
    results = add_files([CORPUS], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"]
    return index


@pytest.fixture
def scratch_index(tmp_path, seed_index) -> Path:
    """A private copy of the seed index that a test may change."""
    copy = tmp_path / "index"
    shutil.copytree(seed_index, copy, ignore=shutil.ignore_patterns(".lock"))
    return copy


SHARED_APP_PASSWORD = "staff-secret-of-the-shared-app-3f1b"


@dataclass
class SharedApp:
    """The app of ``shared_app``: its URL, its staff password and its folder (root/app.log, root/index, root/corpus)."""

    url: str
    password: str
    root: Path

    @property
    def log(self) -> Path:
        return self.root / "app.log"


@pytest.fixture(scope="session")
def shared_app(seed_index, tmp_path_factory) -> SharedApp:
    """The app as `python app.py` serves it, staff page on, over a copy of the seed index, started once per run for
    the tests that only read from it: they ask, probe and attack, and change no report, rating or staff login count."""
    root = tmp_path_factory.mktemp("shared-app")
    with staff_site(seed_index, root, SHARED_APP_PASSWORD) as (url, _, _):
        yield SharedApp(url, SHARED_APP_PASSWORD, root)


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per module; each test opens its own context (cookies, storage) in it. Not one per run:
    Playwright's sync API runs an event loop while it is open, and asyncio.run (tests/test_load.py,
    tests/test_replicas.py) cannot start inside one, so a browser left open would tie the order of modules."""
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' brings playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
