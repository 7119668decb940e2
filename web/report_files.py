"""The original report files, served by the app for the viewer (web/viewer.py) and for download.

Only files that are indexed reports are served, looked up by report id: the URL names no path on disk.
A report that is not a PDF is sent as plain text in a sandbox, so an HTML report is shown, never run.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from qa.pipeline import QAPipeline

ROUTE = "reports"


def original_link(doc_id: str, source: str, url: str) -> str:
    """Where a reader gets the original: our copy of a PDF, else the report's public URL, else our copy.

    The link is relative, so it also works when the app is served under a path prefix.
    """
    path = Path(source) if source else None
    served = path is not None and path.is_file()
    if served and path.suffix.lower() == ".pdf":
        return f"{ROUTE}/{doc_id}/{quote(path.name)}"
    if urlsplit(url).scheme in ("http", "https"):  # never a javascript: or data: URL from report metadata
        return url
    return f"{ROUTE}/{doc_id}/{quote(path.name)}" if served else ""


def public_link(doc_id: str, source: str, url: str) -> str:
    """The original as the public API gives it: ``/reports/<id>/<file>`` when the app serves it, else the report's
    public URL, else nothing. Never the path on the server."""
    link = original_link(doc_id, source, url)
    return "/" + link if link.startswith(f"{ROUTE}/") else link


def report_files_router(pipeline: QAPipeline) -> APIRouter:
    router = APIRouter()

    @router.get(f"/{ROUTE}/{{doc_id}}/{{name}}", include_in_schema=False)
    def original(doc_id: str, name: str) -> FileResponse:
        pipeline.refresh()  # a report staff added a moment ago is served at once
        doc = pipeline.index.document(doc_id)
        path = Path(doc.source) if doc else None
        if path is None or path.name != name or not path.is_file():
            raise HTTPException(404, "No such report")
        headers = {"X-Content-Type-Options": "nosniff"}
        if path.suffix.lower() == ".pdf":
            return FileResponse(path, media_type="application/pdf", headers=headers,
                                filename=name, content_disposition_type="inline")
        headers["Content-Security-Policy"] = "sandbox"
        return FileResponse(path, media_type="text/plain; charset=utf-8", headers=headers,
                            filename=name, content_disposition_type="inline")

    return router
