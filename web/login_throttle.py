"""Slows down password guessing at the staff login: after a few failures a client must wait, longer each time.

The staff login (web/staff_session.py) counts failed logins per client address; from the FREE_FAILURES-th on,
the client's next attempt is refused (429, with Retry-After) until a wait has passed that doubles with each
failure, up to MAX_WAIT_SECONDS. A successful login clears the count. The address is the TCP peer's, or the one
a proxy named in QA_TRUSTED_PROXIES forwarded (app.py): a header from anyone else is not believed, so a client
can neither dodge the count nor run up another's. The counts are kept in the app's database (qa/appdb.py), so that
replicas behind one proxy count a guesser's failures together rather than each allowing its own five.
"""
from __future__ import annotations

import time

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from qa.appdb import AppDatabase, login_failures

FREE_FAILURES = 5
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 300.0
FORGET_AFTER_SECONDS = 3600.0  # a client quiet this long starts afresh


class LoginThrottle:
    """Failed logins per client in ``db``; ``clock`` gives seconds since the epoch (shared by every replica)."""

    def __init__(self, db: AppDatabase, clock=time.time):
        self._db = db
        self._clock = clock

    def wait_left(self, client: str) -> float:
        """Seconds before ``client`` may try again; 0 when it may now."""
        with self._db.engine.connect() as conn:
            row = conn.execute(select(login_failures.c.failures, login_failures.c.last_at)
                               .where(login_failures.c.client == client)).first()
        if row is None or row.failures < FREE_FAILURES:
            return 0.0
        wait = min(FIRST_WAIT_SECONDS * 2 ** (row.failures - FREE_FAILURES), MAX_WAIT_SECONDS)
        return max(0.0, row.last_at + wait - self._clock())

    def failed(self, client: str) -> None:
        now = self._clock()
        try:
            self._count_failure(client, now)
        except IntegrityError:  # another replica counted this client's first failure at the same moment: add to it
            self._count_failure(client, now)

    def _count_failure(self, client: str, now: float) -> None:
        with self._db.engine.begin() as conn:
            # Forget clients long quiet, so that the table cannot grow without bound.
            conn.execute(delete(login_failures).where(login_failures.c.last_at < now - FORGET_AFTER_SECONDS))
            counted = conn.execute(update(login_failures).where(login_failures.c.client == client)
                                   .values(failures=login_failures.c.failures + 1, last_at=now))
            if counted.rowcount == 0:
                conn.execute(insert(login_failures).values(client=client, failures=1, last_at=now))

    def succeeded(self, client: str) -> None:
        with self._db.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.client == client))
