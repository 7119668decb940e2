"""Report Q&A web app: the public chat at /, its /ask API for scripts, the original reports under /reports/, a
report opened at a quote under /view/, and the staff page at /staff (only when QA_STAFF_PASSWORD is set).

    python app.py [--host 127.0.0.1] [--port 7860]

Builds the index from corpus/ on first start when there is none. Behind a reverse proxy, set QA_TRUSTED_PROXIES
to its address: only then are its X-Forwarded-For/-Proto headers believed (README, "Security").
"""
from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import sys
from pathlib import Path

from ingest import settings

if __name__ == "__main__":  # this process is the app's: set its environment before the libraries read it
    try:
        settings.configure_process()
    except settings.SettingError as exc:
        sys.exit(f"Report Q&A cannot start: {exc}")

from typing import TYPE_CHECKING  # noqa: E402

from ingest.index import IndexUnavailable, exists  # noqa: E402
from ingest.pipeline import add_files  # noqa: E402
from qa.pipeline import QAPipeline  # noqa: E402

if TYPE_CHECKING:
    from fastapi import FastAPI
# Gradio, FastAPI, uvicorn and the web package are imported where the app is made, once the index has loaded: an app
# that refuses a damaged index says so in 0.5 s of CPU instead of the 3 s that importing them takes.

# Answering a question is CPU work: embedding it, FAISS, SQLite, reranking. So as many answers run at once as there
# are cores (settings.answers_at_once()), each on one torch thread (one_torch_thread in main), so that answers
# do not fight over the cores: 4 at once on 2 cores gave no more throughput and a longer p95 (README, "Under load", has
# the figures). Others wait in Gradio's queue in order; beyond QUEUE_SIZE waiting, a request is refused at once
# ("queue is full") instead of joining a wait that would outlast any reader's patience.
QUEUE_SIZE = 200


def load_pipeline(index_dir: Path | None = None, corpus_dir: Path | None = None) -> QAPipeline:
    index_dir = index_dir or settings.index_dir()
    if not exists(index_dir):
        corpus = corpus_dir or settings.corpus_dir()
        print(f"No index at {index_dir}; building it from {corpus}/ ...", flush=True)
        add_files([corpus], index_dir)
    return QAPipeline(index_dir)


class _WhenImported(importlib.abc.MetaPathFinder):
    """Runs ``then(module)`` the moment the module ``name`` has first been executed, before anything uses it."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            self.then(module)

        spec.loader.exec_module = exec_module
        return spec


def one_torch_thread() -> None:
    """One torch thread per answer (see QUEUE_SIZE), without importing torch for it: questions are embedded on ONNX
    Runtime, and importing torch took 1.4 s of CPU, a third of the app's start (docs/testing.md). Torch is set when
    something loaded it already (a first start's index build, QA_EMBED_BACKEND=torch), or else when it is loaded
    (a model switch to a model ONNX cannot run)."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    else:
        sys.meta_path.insert(0, _WhenImported("torch", lambda torch: torch.set_num_threads(1)))


def no_gradio_stub_writing() -> None:
    """Importing gradio makes it re-derive, and rewrite when they differ, the type stubs (.pyi) of its 80-odd
    components in its own install folder: each component's source parsed twice and a Jinja template compiled, 2-2.5 s
    of the 6-6.7 s of CPU an app start took (docs/testing.md, session 8). The stubs are for editors; nothing at run
    time reads them. So the step is skipped: ComponentMeta looks ``create_or_modify_pyi`` up in its module when it
    makes each component class, which happens right after that module is executed. Nothing to do once gradio is
    loaded."""
    if "gradio" not in sys.modules:
        def skip(component_meta) -> None:
            component_meta.create_or_modify_pyi = lambda *args, **kwargs: None

        sys.meta_path.insert(0, _WhenImported("gradio.component_meta", skip))


def create_app(pipeline: QAPipeline) -> FastAPI:
    no_gradio_stub_writing()
    import gradio as gr
    from fastapi import FastAPI

    from web.chat import PAGE_OPTIONS, create_chat_app
    from web.gradio_guard import GradioGuard, GuardedApp, mark_launched
    from web.http_policy import apply_http_policy
    from web.report_files import report_files_router
    from web.staff import PATH as STAFF_PATH, mount_staff_page
    from web.viewer import viewer_router

    app = FastAPI(title="Report Q&A", docs_url=None, redoc_url=None, openapi_url=None)
    # All before the chat, which is mounted at the root and would otherwise shadow them.
    app.include_router(report_files_router(pipeline))
    app.include_router(viewer_router(pipeline))
    staff = mount_staff_page(app, pipeline.index.dir, settings.corpus_dir())
    chat = create_chat_app(pipeline).queue(default_concurrency_limit=settings.answers_at_once(), max_size=QUEUE_SIZE)
    # The public site reads and serves no file: every path is blocked for it, as Gradio checks once "launched".
    gr.mount_gradio_app(app, chat, path="", show_error=False, blocked_paths=["/"], max_file_size=0,
                        enable_monitoring=False, run_history=False, **PAGE_OPTIONS)
    mark_launched(chat)
    guarded = [GuardedApp("", chat, takes_files=False)] + ([GuardedApp(STAFF_PATH, staff, takes_files=True)] if staff else [])
    app.add_middleware(GradioGuard, guarded=guarded)
    apply_http_policy(app)  # last, so that it wraps everything, refusals included
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.host(), help="default: $QA_HOST, else 127.0.0.1")
    parser.add_argument("--port", type=int, default=settings.port(), help="default: $QA_PORT, else 7860")
    args = parser.parse_args()
    try:
        pipeline = load_pipeline()  # a first start's index build still has every core
    except IndexUnavailable as exc:  # a damaged index: say so in one line, with the way back, rather than serve it
        sys.exit(f"Report Q&A cannot start: {exc}")
    one_torch_thread()
    app = create_app(pipeline)
    import uvicorn

    print(f"Report Q&A: http://{args.host}:{args.port}/", flush=True)
    proxies = settings.trusted_proxies()
    # Open event streams (a browser's or a script's heartbeat) would otherwise hold up a stop for as long as they last.
    # Forwarded headers only from a named proxy: uvicorn's default believes any peer on 127.0.0.1, so a client on
    # the same host (or a proxy that passes the header on) could claim any address.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


if __name__ == "__main__":
    main()
