"""Debian's chromium, driven by Playwright from PyPI (never `playwright install`), for the browser tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's notes advise: no sandbox as root in a container, and none of Chromium's calls home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def require_chromium() -> None:
    """Skip the test without chromium here; in CI fail instead, since .ci/run installs it and these must run."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            raise RuntimeError(reason + "; .ci/run installs it")
        pytest.skip(reason)
