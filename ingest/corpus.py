"""The corpus folder: staff uploads are stored in it, removed reports are retired from it.

An upload's name comes from a browser, so it is reduced to a plain file name; its type is
decided by its content, never by the name it came with; and it is written under a new name
rather than over an existing file.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import settings
from .metadata import Metadata, sidecar_path

RETIRED = ".removed"  # hidden, so `ingest rebuild` does not read it again
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BINARY = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


class UploadError(ValueError):
    """An upload that is not stored; the message says why, in one line."""


def content_suffix(data: bytes, claimed_name: str) -> str:
    """The file type by content: .pdf, .html, or .md/.txt for text (Markdown only when the name says so)."""
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk, as PDF readers allow
        return ".pdf"
    head = data[:8192]
    # Text has no NUL bytes and hardly any other control characters; images, archives and office files do.
    if b"\x00" in head or len(_BINARY.findall(head)) > len(head) // 100:
        raise UploadError("not a PDF, text, Markdown or HTML file (judged by its content)")
    if re.match(rb"\s*(<!doctype html|<html)", head, re.IGNORECASE):
        return ".html"
    return ".md" if Path(claimed_name).suffix.lower() in {".md", ".markdown"} else ".txt"


def safe_name(claimed_name: str, suffix: str) -> str:
    """A plain file name: no folders, no leading dot, only letters, digits, '.', '_' and '-'."""
    stem = Path(claimed_name.replace("\\", "/")).name
    stem = stem[: -len(Path(stem).suffix)] if Path(stem).suffix else stem
    stem = _UNSAFE.sub("-", stem).strip(".-_")[:100]
    return (stem or "report") + suffix


@dataclass
class StoredUpload:
    path: Path
    previous: Path | None  # the file of the same name it replaced, now in .removed/


def store_upload(claimed_name: str, data: bytes, corpus_dir: Path, metadata: Metadata | None = None,
                 max_bytes: int | None = None) -> StoredUpload:
    """Write an uploaded report into ``corpus_dir``, with its metadata in a sidecar.

    An upload with the name of a file already there is its new version: the old file moves to
    ``.removed/`` and indexing the new one replaces the old report. ``undo_upload`` puts things back.
    """
    max_bytes = settings.max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise UploadError(f"larger than the {max_bytes / (1 << 20):g} MB upload limit")
    if not data.strip():
        raise UploadError("file is empty")
    target = corpus_dir / safe_name(claimed_name, content_suffix(data, claimed_name))
    tmp = corpus_dir / f".{target.name}.part"
    try:  # written in full before anything already there moves: a full disk leaves the corpus as it was
        corpus_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UploadError(f"could not be stored: {exc.strerror or exc}") from exc
    previous = retire(target, corpus_dir)
    os.replace(tmp, target)
    if metadata and metadata.to_yaml().strip() != "{}":
        sidecar_path(target).write_text(metadata.to_yaml(), encoding="utf-8")
    return StoredUpload(target, previous)


def undo_upload(stored: StoredUpload) -> None:
    """Delete a stored upload (rejected, or already indexed) and bring back the file it replaced."""
    for p in (stored.path, sidecar_path(stored.path)):
        p.unlink(missing_ok=True)
    if stored.previous:
        _move(stored.previous, stored.path)


def _unused(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _move(source: Path, target: Path) -> None:
    """Move a report file and its sidecar, if any."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    if sidecar_path(source).is_file():
        shutil.move(sidecar_path(source), sidecar_path(target))


def retire(source: Path, corpus_dir: Path) -> Path | None:
    """Move a removed report's file (and sidecar) out of the corpus, so no rebuild brings it back.

    Only files inside ``corpus_dir`` move; returns the new path, or None when nothing moved.
    """
    corpus = corpus_dir.resolve()
    source = source.resolve()
    if not source.is_file() or corpus not in source.parents or RETIRED in source.relative_to(corpus).parts:
        return None
    target = _unused(corpus / RETIRED / source.name)
    _move(source, target)
    return target
