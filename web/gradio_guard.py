"""What a client may ask of the mounted Gradio apps, checked before Gradio sees the request.

Gradio copies any file a request names into its cache and serves it, and checks that the file was uploaded only
for an app that ran ``launch()``: a mounted app never does. So, per mounted app:
- ``mark_launched`` turns Gradio's own check on: an input file must lie in Gradio's upload folder.
- ``GradioGuard`` answers, in front of every mounted app:
  - 404 to routes the app must not offer (for an app that takes no files: upload, file serving, streams; for all:
    monitoring, run history, the URL proxy, component servers, deep links), with one log line;
  - 404 to an event for an ``api_name`` or ``fn_index`` the app does not have (Gradio would answer 500 and log a
    traceback of some 7 KB, a cheap way to flood the log), with one log line;
  - 400 to an event of an app that takes no files when its JSON holds a file reference anywhere (a dict with a
    "path", Gradio's mark of one); 413 to an event body larger than any form here needs, 415 to one not JSON.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field

import gradio as gr
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Routes no mounted app offers here (relative to its mount path).
_NEVER = re.compile(r"^/(monitoring|gradio_api/(runs|run-history|proxy=|component_server|deep_link|dev/|vibe|undo-vibe"
                    r"|mcp|process_recording))")
# Routes an app that takes no files does not offer: it neither receives nor serves a file.
_FILES = re.compile(r"^/(gradio_api/(upload|file=|file/|stream/)|login|logout)")
# Routes that run an event: their JSON names the function and carries its inputs.
_EVENT = re.compile(r"^/gradio_api/(queue/join|(?:call/v2|call|run|api)/(?P<api>[^/]+))/?$")
GENERIC_API = "predict"  # /run/predict names its function by the body's fn_index alone
MAX_EVENT_BYTES = 256 * 1024  # a question, a conversation's earlier questions, a rated answer's HTML: far less


def mark_launched(blocks: gr.Blocks) -> None:
    """Let Gradio check input files as it does for a launched app: only files in its upload folder are taken.

    ``has_launched`` gates nothing else in Gradio 6 (processing_utils._check_allowed); a mounted app never sets it."""
    blocks.has_launched = True


@dataclass
class GuardedApp:
    path: str  # where it is mounted: "" or "/staff"
    blocks: gr.Blocks
    takes_files: bool
    api_names: set[str] = field(init=False)
    fn_indexes: set[int] = field(init=False)

    def __post_init__(self):
        fns = self.blocks.fns.values()
        self.api_names = {fn.api_name for fn in fns if isinstance(fn.api_name, str)}
        self.fn_indexes = {fn._id for fn in fns}


class GradioGuard:
    def __init__(self, app: ASGIApp, guarded: list[GuardedApp]):
        self.app = app
        self.guarded = sorted(guarded, key=lambda g: len(g.path), reverse=True)  # the longest mount path first

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        target = next((g for g in self.guarded if path == g.path or path.startswith(g.path + "/")), None)
        if target is None:
            return await self.app(scope, receive, send)
        route = path[len(target.path):] or "/"
        if _NEVER.match(route) or (not target.takes_files and _FILES.match(route)):
            return await _refuse(scope, receive, send, 404, "no such route here")
        event = _EVENT.match(route)
        if scope["method"] != "POST" or not event:
            return await self.app(scope, receive, send)
        api = event["api"]
        if api is not None and api not in target.api_names and api != GENERIC_API:
            return await _refuse(scope, receive, send, 404, "no such endpoint")
        body = await _read_body(receive, MAX_EVENT_BYTES)
        if body is None:
            return await _refuse(scope, receive, send, 413, "request too large")
        try:
            data = json.loads(body)
        except ValueError:
            return await _refuse(scope, receive, send, 415, "not JSON")
        fn_index = data.get("fn_index") if isinstance(data, dict) else None
        if (fn_index is not None and fn_index not in target.fn_indexes) or (fn_index is None and api == GENERIC_API):
            return await _refuse(scope, receive, send, 404, "no such endpoint")
        if not target.takes_files and _holds_file(data):
            return await _refuse(scope, receive, send, 400, "files are not taken here")
        await self.app(scope, _replay(body, receive), send)


def _holds_file(value) -> bool:
    if isinstance(value, dict):
        return "path" in value or any(_holds_file(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_file(v) for v in value)
    return False


async def _read_body(receive: Receive, limit: int | None) -> bytes | None:
    """The whole request body; None as soon as it exceeds ``limit``."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the client sends next (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, reason: str) -> None:
    client = (scope.get("client") or ("unknown",))[0]
    # One line, whatever the client put in the path: repr() escapes line breaks.
    print(f"refused {scope['method']} {scope['path'][:200]!r} from {client}: {reason} ({status})",
          file=sys.stderr, flush=True)
    await JSONResponse({"detail": f"Refused: {reason}."}, status_code=status)(scope, receive, send)
