"""Staff sessions: the login, its cookie, its expiry, the logout, and the files each session uploaded.

Gradio's own login keeps tokens forever, sets two cookies (one without ``Secure``), logs out by GET and takes a
login from any site. So the staff page is mounted with ``auth_dependency=sessions.user`` and this module owns the
session instead:
- POST <page>/login (the same form fields Gradio and gradio_client use) checks the password, slowed down per client
  address by web/login_throttle.py, and sets one cookie: HttpOnly, SameSite=Strict, path-scoped to the page,
  ``Secure`` over HTTPS.
- A session ends after QA_STAFF_IDLE_MINUTES without a request and QA_STAFF_SESSION_HOURS after the login;
  POST <page>/logout ends it at once. GET <page>/logout is refused: a link or an image must not log staff out.
- A request that changes something (any method but GET/HEAD/OPTIONS) must come from the page's own origin when the
  browser says where it comes from (Origin, else Referer; Sec-Fetch-Site "cross-site" is refused outright).
  Scripts such as gradio_client send none of them, and browsers always send Origin on a cross-site POST.
- The files Gradio received through <page>/gradio_api/upload are noted per session: the add handler takes only
  those (``uploads``), never a path a client merely names; they are deleted once stored or rejected, and with the
  session.
Sessions, their uploads and the login's failure counts live in the app's database (qa/appdb.py), so that replicas
behind one proxy share them. An upload is a file on the replica that took it: the proxy sends each client to one
replica (docs/deploy.md).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
import sys
import time
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from sqlalchemy import Connection, delete, insert, or_, select, update
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest import settings
from ingest.errors import first_line
from qa.appdb import AppDatabase, DatabaseError, staff_sessions, staff_uploads

from .login_throttle import LoginThrottle

COOKIE = "qa-staff-session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class StaffSessions:
    """Live staff sessions in the app's database ``db``, by the SHA-256 of their cookie (the cookie itself is kept
    nowhere), so that a login through one replica holds in all. ``clock`` gives seconds since the epoch."""

    def __init__(self, db: AppDatabase, clock=time.time):
        self._db = db
        self._clock = clock

    def start(self) -> str:
        """A new session; returns the cookie value."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._db.engine.begin() as conn:
            conn.execute(insert(staff_sessions).values(key=_key(token), created_at=now, seen_at=now))
        return token

    def user(self, request) -> str | None:
        """Gradio's ``auth_dependency``: "staff" for a live session (whose idle time starts again), else None."""
        key = _session_key(request.cookies)
        now = self._clock()
        try:
            with self._db.engine.begin() as conn:
                expired = self._expire(conn, now)
                live = conn.execute(update(staff_sessions).where(staff_sessions.c.key == key).values(seen_at=now))
        except DatabaseError as exc:  # no session can be checked: the page stays shut
            print(f"staff sessions unavailable: {first_line(exc)}", file=sys.stderr, flush=True)
            return None
        _delete_files(expired)
        return "staff" if live.rowcount else None

    def end(self, request) -> None:
        key = _session_key(request.cookies)
        with self._db.engine.begin() as conn:
            uploads = self._forget(conn, [key])
        _delete_files(uploads)

    def note_uploads(self, cookies: dict[str, str], paths: list[str]) -> None:
        key = _session_key(cookies)
        real = {os.path.realpath(p) for p in paths}
        with self._db.engine.begin() as conn:
            if conn.scalar(select(staff_sessions.c.key).where(staff_sessions.c.key == key)) is None:
                return
            known = set(conn.scalars(select(staff_uploads.c.path).where(staff_uploads.c.session_key == key)))
            if real - known:
                conn.execute(insert(staff_uploads), [{"session_key": key, "path": p} for p in sorted(real - known)])

    def uploads(self, request) -> set[str]:
        """Real paths of the files this request's session uploaded and has not used yet."""
        with self._db.engine.connect() as conn:
            return set(conn.scalars(select(staff_uploads.c.path)
                                    .where(staff_uploads.c.session_key == _session_key(request.cookies))))

    def used(self, request, paths: list[str]) -> None:
        """Forget and delete this session's uploads among ``paths``, once stored in the corpus or rejected. Any other
        path is left alone: a client may name any file, and only its own uploads are ours to delete."""
        key = _session_key(request.cookies)
        real = {os.path.realpath(p) for p in paths}
        with self._db.engine.begin() as conn:
            ours = _uploads_of(conn, [key]) & real
            if ours:
                conn.execute(delete(staff_uploads).where(staff_uploads.c.session_key == key,
                                                         staff_uploads.c.path.in_(sorted(ours))))
        _delete_files(ours)

    def _expire(self, conn: Connection, now: float) -> set[str]:
        """End the sessions idle or old beyond the settings; returns their uploads, to delete once committed."""
        idle, longest = settings.staff_idle_seconds(), settings.staff_session_seconds()
        over = conn.scalars(select(staff_sessions.c.key).where(
            or_(staff_sessions.c.seen_at < now - idle, staff_sessions.c.created_at < now - longest))).all()
        return self._forget(conn, over) if over else set()

    @staticmethod
    def _forget(conn: Connection, keys: list[str]) -> set[str]:
        uploads = _uploads_of(conn, keys)
        conn.execute(delete(staff_uploads).where(staff_uploads.c.session_key.in_(keys)))
        conn.execute(delete(staff_sessions).where(staff_sessions.c.key.in_(keys)))
        return uploads


def _uploads_of(conn: Connection, keys: list[str]) -> set[str]:
    return set(conn.scalars(select(staff_uploads.c.path).where(staff_uploads.c.session_key.in_(keys))))


def _session_key(cookies) -> str:
    return _key(cookies.get(COOKIE, ""))


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _delete_files(paths) -> None:
    """Delete uploaded files and the folder Gradio made for each, when that is left empty."""
    for path in map(Path, paths):
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site; True for scripts that say nothing."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True
    origin = urlsplit(claimed)
    return (origin.scheme, origin.netloc) == (request.url.scheme, request.url.netloc)


def install_staff_sessions(app: FastAPI, path: str, password: str, db: AppDatabase) -> StaffSessions:
    """Add the login, logout and origin check of the staff page at ``path`` to ``app``, keeping sessions and failure
    counts in ``db``; must run before the page is mounted, so that these routes come first. Returns the sessions, for
    ``auth_dependency`` and the add handler."""
    sessions = StaffSessions(db)
    throttle = LoginThrottle(db)
    router = APIRouter()

    @router.get(f"{path}/login", include_in_schema=False)
    def login_page(request: Request) -> Response:
        return _page_or_login(request, sessions)

    @router.post(f"{path}/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        form = await request.form()
        from_page = form.get("from_page") == "1"
        try:
            # The database is a blocking client: its calls run on a worker thread, not on the event loop.
            return await run_in_threadpool(_checked_login, request, form, from_page, client)
        except DatabaseError as exc:
            print(f"staff login unavailable: {first_line(exc)}", file=sys.stderr, flush=True)
            return _refusal(from_page, 503, "The staff login is unavailable just now; try again in a minute.")

    def _checked_login(request: Request, form, from_page: bool, client: str) -> Response:
        wait = throttle.wait_left(client)
        if wait > 0:
            seconds = math.ceil(wait)
            return _refusal(from_page, 429, f"Too many failed logins: try again in {seconds} s.",
                            {"Retry-After": str(seconds)})
        if "password" not in form:  # a malformed request, not a guess
            return _refusal(from_page, 422, "Give the staff password.")
        given = str(form["password"])
        if not hmac.compare_digest(given.encode(), password.encode()):
            throttle.failed(client)
            return _refusal(from_page, 400, "Incorrect credentials.")
        throttle.succeeded(client)
        response = RedirectResponse("./", status_code=303) if from_page else JSONResponse({"success": True})
        response.set_cookie(COOKIE, sessions.start(), path=path or "/", httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    @router.get(f"{path}/logout", include_in_schema=False)
    def logout_by_get() -> Response:
        return JSONResponse({"detail": "Log out with POST."}, status_code=405, headers={"Allow": "POST"})

    @router.post(f"{path}/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        sessions.end(request)
        response = RedirectResponse("./", status_code=303)
        response.delete_cookie(COOKIE, path=path or "/", httponly=True, samesite="strict",
                               secure=request.url.scheme == "https")
        return response

    app.include_router(router)

    @app.middleware("http")
    async def staff_gate(request: Request, call_next):
        route = request.url.path
        if route != path and not route.startswith(path + "/"):
            return await call_next(request)
        if request.method not in SAFE_METHODS and not same_origin(request):
            print(f"refused {request.method} {route[:200]!r} from another site "
                  f"({(request.headers.get('origin') or request.headers.get('referer', ''))[:200]!r})",
                  file=sys.stderr, flush=True)
            return JSONResponse({"detail": "Refused: this request comes from another site."}, status_code=403)
        if request.method == "GET" and route == path:
            return RedirectResponse(f"{path.rsplit('/', 1)[-1]}/", status_code=307)  # relative links need the slash
        if request.method == "GET" and route == path + "/" and await run_in_threadpool(sessions.user, request) is None:
            return _login_html()  # Gradio would answer 401 to a page with an auth_dependency
        return await call_next(request)

    app.add_middleware(_NoteUploads, sessions=sessions, upload_path=f"{path}/gradio_api/upload")
    return sessions


class _NoteUploads:
    """Notes in the session the paths Gradio's upload route answered with, so the add handler knows them."""

    def __init__(self, app: ASGIApp, sessions: StaffSessions, upload_path: str):
        self.app, self.sessions, self.upload_path = app, sessions, upload_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != self.upload_path:
            return await self.app(scope, receive, send)
        cookies = Request(scope).cookies
        status, body = 0, []

        async def remember(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body") and status == 200:
                    try:
                        paths = json.loads(b"".join(body))
                    except ValueError:
                        paths = []
                    if isinstance(paths, list):
                        await run_in_threadpool(self.sessions.note_uploads, cookies,
                                                [p for p in paths if isinstance(p, str)])
            await send(message)

        await self.app(scope, receive, remember)


def _page_or_login(request: Request, sessions: StaffSessions) -> Response:
    return RedirectResponse("./", status_code=303) if sessions.user(request) else _login_html()


def _refusal(from_page: bool, status: int, message: str, headers: dict | None = None) -> Response:
    if from_page:
        return _login_html(message, status, headers)
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def _login_html(message: str = "", status: int = 200, headers: dict | None = None) -> HTMLResponse:
    note = f'<p role="alert">{escape(message)}</p>' if message else ""
    return HTMLResponse(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report Q&amp;A: staff login</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}}
label,input,button{{display:block;width:100%;box-sizing:border-box;margin:.4rem 0;font-size:1rem}}
input,button{{padding:.5rem}}[role=alert]{{color:#b00020}}</style></head>
<body><h1>Report Q&amp;A: staff</h1><p>Enter the staff password.</p>{note}
<form method="post" action="login"><input type="hidden" name="from_page" value="1">
<label for="username">Name (optional)</label><input id="username" name="username" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button></form></body></html>""", status_code=status, headers=headers)
