"""Files in, index out: read -> split -> embed -> write, one transaction per batch."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from .embedder import Embedder, get_embedder
from .metadata import SIDECAR_SUFFIX, Metadata
from .models import Document, Passage
from .readers import SUPPORTED_SUFFIXES, ReadError, read_document
from .splitting import split_passages
from .store import IndexWriter


@dataclass
class FileResult:
    path: str
    status: str  # added | replaced | unchanged | rejected
    doc_id: str = ""
    title: str = ""
    pages: int = 0
    passages: int = 0
    detail: str = ""  # why it was rejected, or what to know about it (pages without text)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named by ``paths``; folders are walked, metadata sidecars skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.endswith(SIDECAR_SUFFIX)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def add_files(
    paths: Iterable[Path],
    index_dir: Path,
    overrides: Metadata | None = None,
    password: str | None = None,
    embedder: Embedder | None = None,
    progress: bool = True,
) -> list[FileResult]:
    """Index every file; a file that cannot be read is rejected with its reason and the rest go on."""
    embedder = embedder or get_embedder()
    files = report_files(paths)
    results: list[FileResult] = []
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        known = writer.document_ids()
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress or len(files) < 2):
            results.append(_add_one(writer, known, embedder, path, overrides, password))
    return results


def _add_one(writer, known, embedder, path, overrides, password) -> FileResult:
    try:
        doc = read_document(path, overrides, password)
    except ReadError as exc:
        return FileResult(str(path), "rejected", detail=str(exc))
    if doc.id in known:
        return FileResult(str(path), "unchanged", doc.id, doc.title, detail="already indexed (same content)")
    passages = split_passages(doc)
    if not passages:
        return FileResult(str(path), "rejected", detail="no sentences found")
    doc.source = str(Path(path).resolve())
    earlier = writer.documents_from_source(doc.source)
    for old_id in earlier:
        writer.remove(old_id)
    store_document(writer, embedder, doc, passages)
    known.add(doc.id)
    pages = max((p.number for p in doc.pages), default=0)
    note = f"{doc.pages_without_text} of {pages} pages have no text layer; OCR is not supported" if doc.pages_without_text else ""
    return FileResult(str(path), "replaced" if earlier else "added", doc.id, doc.title, pages, len(passages), note)


# What a passage vector is an embedding of; part of the SQuAD cache key, so a change here re-embeds.
EMBEDDING_RECIPE = "title + passage"


def store_document(writer: IndexWriter, embedder: Embedder, doc: Document, passages: list[Passage]) -> None:
    """Embed a document's passages and sentences and add them to the index.

    A passage is embedded under its report's title, so that a passage which says "he" or "the
    programme" is still found by a question that names the subject.
    """
    passage_vectors = embedder.embed([f"{doc.title}\n{p.text}" for p in passages])
    sentence_vectors = embedder.embed([s for p in passages for s in p.sentence_texts()])
    writer.add(doc, passages, passage_vectors, sentence_vectors)


def remove_documents(doc_ids: Iterable[str], index_dir: Path) -> list[str]:
    """Remove documents by id; returns the ids that were there."""
    with IndexWriter(index_dir) as writer:
        return [doc_id for doc_id in doc_ids if writer.remove(doc_id)]
