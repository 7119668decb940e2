"""Headers every response of the app carries, and no cross-origin access.

- ``X-Content-Type-Options: nosniff``: a browser renders a response only as the type it is sent as.
- ``Content-Security-Policy``: everything from this origin only, no plugins, no framing by any site (clickjacking
  of the staff page), forms and <base> to this origin. Gradio 6's page needs inline scripts (its config is one),
  ``eval`` (it runs the page's ``js`` with ``new Function``), inline styles, and data:/blob: images; the browser
  tests fail on any violation, so this is what it works with. A response that sets its own policy (/reports/ sends
  ``sandbox`` with a text report) keeps it; a PDF gets none, nor X-Frame-Options: the browser shows it in its own
  viewer, whose frames such a policy would apply to.
- ``Referrer-Policy: same-origin``: a reader following a report's public URL tells that site nothing.
- ``X-Frame-Options: DENY`` for browsers that predate frame-ancestors.
- CORS: the app's own pages need none; Gradio would otherwise allow credentialed requests from any origin to a
  server not on localhost, and from any localhost origin on it. Configuring Starlette's CORSMiddleware with no
  allowed origin is the switch Gradio documents for turning its own off (mount_gradio_app).
"""
from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if not headers.get("content-type", "").startswith("application/pdf"):
                    headers["X-Frame-Options"] = "DENY"
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, with_headers)


def apply_http_policy(app: FastAPI) -> None:
    app.add_middleware(CORSMiddleware, allow_origins=[], allow_credentials=False)
    app.add_middleware(SecurityHeaders)
