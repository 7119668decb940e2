"""Slows down password guessing at the staff login: after a few failures a client must wait, longer each time.

Gradio checks the password at POST <page>/login and answers 400 to a wrong one, but it lets a client try as
fast as it likes and tells the check nothing about who asks. This middleware counts failed logins per client
address; from the FREE_FAILURES-th on, the client's next attempt is refused (429, with Retry-After) until a
wait has passed that doubles with each failure, up to MAX_WAIT_SECONDS. A successful login clears the count.
Behind a reverse proxy every client has the proxy's address: run uvicorn with --proxy-headers there.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

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


def throttle_logins(app: FastAPI, login_paths: set[str]) -> LoginThrottle:
    """Guard POSTs to ``login_paths`` of ``app`` (e.g. {"/staff/login", "/staff/login/"})."""
    throttle = LoginThrottle()

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.method != "POST" or request.url.path not in login_paths:
            return await call_next(request)
        client = request.client.host if request.client else "unknown"
        wait = throttle.wait_left(client)
        if wait > 0:
            seconds = math.ceil(wait)
            return JSONResponse({"detail": f"Too many failed logins: try again in {seconds} s."}, status_code=429,
                                headers={"Retry-After": str(seconds)})
        response = await call_next(request)
        if response.status_code == 400:  # Gradio's answer to wrong credentials
            throttle.failed(client)
        elif response.status_code == 200:
            throttle.succeeded(client)
        return response

    return throttle
