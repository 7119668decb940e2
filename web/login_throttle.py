"""Slows down password guessing at the staff login: after a few failures a client must wait, longer each time.

The staff login (web/staff_session.py) counts failed logins per client address; from the FREE_FAILURES-th on,
the client's next attempt is refused (429, with Retry-After) until a wait has passed that doubles with each
failure, up to MAX_WAIT_SECONDS. A successful login clears the count. The address is the TCP peer's, or the one
a proxy named in QA_TRUSTED_PROXIES forwarded (app.py): a header from anyone else is not believed, so a client
can neither dodge the count nor run up another's.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass


FREE_FAILURES = 5
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 300.0
FORGET_AFTER_SECONDS = 3600.0  # a client quiet this long starts afresh


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


class LoginThrottle:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_left(self, client: str) -> float:
        """Seconds before ``client`` may try again; 0 when it may now."""
        with self._lock:
            f = self._failures.get(client)
            if f is None or f.count < FREE_FAILURES:
                return 0.0
            wait = min(FIRST_WAIT_SECONDS * 2 ** (f.count - FREE_FAILURES), MAX_WAIT_SECONDS)
            return max(0.0, f.last + wait - self._clock())

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            # Forget clients long quiet, so that the table cannot grow without bound.
            for stale in [c for c, f in self._failures.items() if now - f.last > FORGET_AFTER_SECONDS]:
                del self._failures[stale]
            f = self._failures.setdefault(client, _Failures())
            f.count, f.last = f.count + 1, now

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
