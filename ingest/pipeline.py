"""Files in, index out: read -> split -> embed -> write, one transaction per batch."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from tqdm import tqdm

from .embedder import Embedder, get_embedder
from .isolation import READ_TIMEOUT_SECONDS, ReadingWorker
from .metadata import SIDECAR_SUFFIX, Metadata
from .models import Document, Passage, Table
from .naming import STAFF
from .progress import EMBEDDING, READING, FileProgress, IngestProgress
from .formats import SUPPORTED_SUFFIXES, ReadError, document_id
from .index import DocumentRecord, IndexWriter


@dataclass
class FileResult:
    path: str
    status: str  # added | replaced | unchanged | rejected | skipped
    doc_id: str = ""
    title: str = ""
    pages: int = 0
    passages: int = 0
    detail: str = ""  # why it was rejected or skipped, or what to know about it (pages without text)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"


ProgressCallback = Callable[[IngestProgress], None]
EMBED_CHUNK = 256  # passages embedded between two progress reports: a few seconds' work


class RebuildRefused(Exception):
    """A rebuild would lose indexed reports; nothing was changed."""


def report_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The report files named by ``paths``, and the other files found in folders, skipped with a reason.

    Folders are walked; metadata sidecars and hidden files (``corpus/.removed/``) are not reports.
    """
    found: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for p in sorted(path.rglob("*")):
            if not p.is_file() or p.name.endswith(SIDECAR_SUFFIX) or any(
                part.startswith(".") for part in p.relative_to(path).parts
            ):
                continue
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(p)
            else:
                skipped.append(FileResult(str(p), "skipped", detail=f"not a report file type ({p.suffix or 'no extension'})"))
    return found, skipped


def add_files(
    paths: Iterable[Path],
    index_dir: Path,
    overrides: Metadata | None = None,
    password: str | None = None,
    embedder: Embedder | None = None,
    progress: bool = True,
    timeout: float = READ_TIMEOUT_SECONDS,
    on_progress: ProgressCallback | None = None,
) -> list[FileResult]:
    """Index every file; a file that cannot be read is rejected with its reason and the rest go on. The results are
    in the order of the files. Nothing is published before all are written: the index changes in one commit.

    The reader process reads the next file while this one embeds the current (ingest/isolation.py), so reading and
    embedding share the cores. ``progress`` shows a bar of files on stderr; ``on_progress`` hears of every page
    read and every chunk of passages embedded.
    """
    embedder = embedder or get_embedder()
    files, skipped = report_files(paths)
    state = IngestProgress([FileProgress(p.name, _size(p)) for p in files])
    report = (lambda: on_progress(state)) if on_progress else (lambda: None)
    results: list[FileResult | None] = [None] * len(files)
    bar = tqdm(total=len(files), desc="Ingesting", unit="file", disable=not progress or len(files) < 2)

    def finish(k: int, result: FileResult) -> None:
        results[k] = result
        state.files[k].status = result.status
        bar.update()
        report()

    def read_next(queue: list[int]) -> int | None:
        """Hand the reader the next file that needs reading; files indexed already are finished on the way."""
        while queue:
            k = queue.pop(0)
            result = _known_content(writer, files[k])
            if result is not None:
                finish(k, result)
                continue
            reader.submit(files[k], overrides, password)
            state.files[k].status = READING
            report()
            return k
        return None

    def pages_read(shown: FileProgress, done: int, total: int) -> None:
        shown.pages_read, shown.pages = done, total
        report()

    def embedded(shown: FileProgress, done: int) -> None:
        shown.passages_embedded = done
        report()

    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer, ReadingWorker(timeout) as reader:
        queue = list(range(len(files)))
        k = read_next(queue)
        if k is not None:
            embedder.bulk_encoder  # noqa: B018 - loading torch and the model (seconds) while the first file is read
        while k is not None:
            shown = state.files[k]
            try:
                doc, passages = reader.receive(on_page=lambda done, total: pages_read(shown, done, total))
            except ReadError as exc:
                # The earlier version of this source, if any, stays indexed: a bad upload loses nothing.
                doc, result = None, FileResult(str(files[k]), "rejected", detail=str(exc))
            following = read_next(queue)
            if doc is not None:
                doc.source = str(Path(files[k]).resolve())
                shown.status, shown.passages = EMBEDDING, len(passages)
                report()
                # The reader works on the next file meanwhile: it and the embedding threads share the cores
                # (TorchEncoder._token_embeddings).
                result = _index_document(writer, embedder, doc, str(files[k]), passages,
                                         on_embedded=lambda done: embedded(shown, done))
            finish(k, result)
            k = following
    bar.close()
    return skipped + results


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _known_content(writer: IndexWriter, path: Path) -> FileResult | None:
    """The result for a file whose bytes are indexed already (or cannot be read), which needs no reading."""
    source = str(Path(path).resolve())
    try:
        doc_id = document_id(Path(path).read_bytes())
    except OSError as exc:
        return FileResult(str(path), "rejected", detail=f"cannot read file: {exc.strerror or exc}")
    if not writer.contains(doc_id):
        return None
    # Identical bytes are indexed already (perhaps from another file): nothing to read or embed.
    earlier = [i for i in writer.documents_from_source(source) if i != doc_id]
    for old_id in earlier:
        writer.remove(old_id)
    detail = "its new content was already indexed from another file" if earlier else "already indexed (same content)"
    return FileResult(str(path), "replaced" if earlier else "unchanged", doc_id, detail=detail)


def _index_document(writer: IndexWriter, embedder: Embedder, doc: Document, shown_path: str,
                    passages: list[Passage], on_embedded: Callable[[int], None] | None = None) -> FileResult:
    """Embed ``doc``'s ``passages`` and write them in place of earlier versions from the same source."""
    if writer.contains(doc.id):
        return FileResult(shown_path, "unchanged", doc.id, doc.title, detail="already indexed (same content)")
    if not passages:
        return FileResult(shown_path, "rejected", detail="no sentences found")
    earlier = writer.documents_from_source(doc.source)
    for old_id in earlier:
        writer.remove(old_id)
    store_document(writer, embedder, doc, passages, on_embedded)
    pages = max((p.number for p in doc.pages), default=0)
    return FileResult(shown_path, "replaced" if earlier else "added", doc.id, doc.title, pages, len(passages),
                      "; ".join(doc.notes))


# What a passage vector is an embedding of, and where sentence vectors come from; part of the SQuAD cache
# key, so a change here re-embeds.
EMBEDDING_RECIPE = ("title + heading + (a table's caption + header +) passage; sentences (a row with its caption and header)"
                    " pooled from the passage's tokens")


def embedding_inputs(doc: Document, passages: list[Passage]) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """What each passage vector embeds (EMBEDDING_RECIPE): its report's title, a newline, the heading it stands
    under and a newline unless its text opens with that heading, a table row's caption and header (a newline after
    each), its text;
    and where each of its sentences lies in that text, for the sentence vectors pooled from the same pass.
    A table row is read under its header, as a reader sees it: the row's vector is pooled from both."""
    texts, spans = [], []
    for p in passages:
        opens_with_heading = bool(p.sentences) and p.sentences[0].start > 0
        prefix = f"{doc.title}\n" + (f"{p.heading}\n" if p.heading and not opens_with_heading else "")
        header = "".join(f"{line}\n" for line in (p.table.caption, Table.line(p.table.header)) if line) if p.table else ""
        texts.append(prefix + header + p.text)
        spans.append([(len(prefix) if header else s.start + len(prefix), s.end + len(prefix) + len(header))
                      for s in p.sentences])
    return texts, spans


def store_document(writer: IndexWriter, embedder: Embedder, doc: Document, passages: list[Passage],
                   on_embedded: Callable[[int], None] | None = None) -> None:
    """Embed a document's passages and sentences and add them to the index.

    A passage is embedded under its report's title, so that a passage which says "he" or "the
    programme" is still found by a question that names the subject; its sentences' vectors come from
    the same pass (Embedder.embed_passages). ``on_embedded(passages embedded so far)`` after each chunk.
    """
    texts, spans = embedding_inputs(doc, passages)
    passage_vectors, sentence_vectors = [], []
    for start in range(0, len(texts), EMBED_CHUNK):
        vectors, sentences = embedder.embed_passages(texts[start:start + EMBED_CHUNK], spans[start:start + EMBED_CHUNK])
        passage_vectors.append(vectors)
        sentence_vectors.append(sentences.reshape(-1, vectors.shape[1]))
        if on_embedded:
            on_embedded(min(start + EMBED_CHUNK, len(texts)))
    writer.add(doc, passages, np.concatenate(passage_vectors), np.concatenate(sentence_vectors))


def rebuild_index(
    index_dir: Path,
    corpus_dir: Path,
    password: str | None = None,
    embedder: Embedder | None = None,
    progress: bool = True,
    allow_loss: bool = False,
    timeout: float = READ_TIMEOUT_SECONDS,
) -> list[FileResult]:
    """Re-read and re-embed every report with the configured model, and publish the result as one new generation.

    The reports are those of ``corpus_dir`` plus every indexed report whose file still exists; each keeps the
    metadata it was indexed with. Readers keep answering from the old generation until the commit.
    Raises RebuildRefused, changing nothing, when an indexed report could not be read again (unless ``allow_loss``).
    """
    embedder = embedder or get_embedder()
    with IndexWriter(index_dir, embedder.name, embedder.dim, rebuilding=True) as writer:
        before = {d.id: d for d in writer.documents()}
        by_source = {d.source: d for d in before.values()}
        files, results = report_files([Path(corpus_dir)]) if Path(corpus_dir).is_dir() else ([], [])
        seen = {p.resolve() for p in files}
        files += [Path(d.source) for d in before.values() if Path(d.source).is_file() and Path(d.source).resolve() not in seen]
        docs: list[tuple[Document, list[Passage]]] = []
        with ReadingWorker(timeout) as reader:
            for path in tqdm(files, desc="Reading", unit="file", disable=not progress or len(files) < 2):
                try:
                    reader.submit(path, password=password)
                    doc, passages = reader.receive()
                except ReadError as exc:
                    results.append(FileResult(str(path), "rejected", detail=str(exc)))
                    continue
                doc.source = str(path.resolve())
                earlier = before.get(doc.id) or by_source.get(doc.source)
                if earlier:
                    _keep_metadata(doc, earlier)
                docs.append((doc, passages))
        # A report is lost when neither its content nor (for a file changed since) its file was read again.
        read_ids, read_sources = {doc.id for doc, _ in docs}, {doc.source for doc, _ in docs}
        lost = [d for d in before.values() if d.id not in read_ids and d.source not in read_sources]
        if lost and not allow_loss:
            names = ", ".join(f"{d.id} ({Path(d.source).name})" for d in lost[:5]) + (" ..." if len(lost) > 5 else "")
            raise RebuildRefused(f"{len(lost)} indexed report(s) could not be read again: {names}")
        writer.clear()
        for doc, passages in tqdm(docs, desc="Embedding", unit="file", disable=not progress or len(docs) < 2):
            results.append(_index_document(writer, embedder, doc, doc.source, passages))
    return results


def _keep_metadata(doc: Document, record: DocumentRecord) -> None:
    """Staff may have given metadata on the command line, the staff page or with `ingest set`; a rebuild keeps it.
    A title or date read from the file is read again, so that a better reading reaches the index; one whose
    source an index older than schema 3 did not record ("") is kept, as it may be staff's."""
    unrecorded = not record.title_source
    if unrecorded or record.title_source == STAFF:
        doc.title, doc.title_source = record.title, record.title_source
    if unrecorded or record.date_source == STAFF:
        doc.date, doc.date_source = record.date, record.date_source
    doc.url, doc.publisher = record.url or doc.url, record.publisher or doc.publisher
    doc.authors = record.authors or doc.authors


def correct_metadata(index_dir: Path, doc_id: str, title: str | None = None, date: str | None = None,
                     authors: list[str] | None = None, url: str | None = None,
                     publisher: str | None = None) -> DocumentRecord | None:
    """Set staff values for an indexed report's metadata, as a new generation the running app picks up; its text
    and vectors stay as they are. The report as now indexed, or None when no report has this id."""
    with IndexWriter(index_dir) as writer:
        if not writer.set_metadata(doc_id, title, date, authors, url, publisher):
            return None
        return next(d for d in writer.documents() if d.id == doc_id)


def remove_documents(targets: Iterable[str], index_dir: Path) -> dict[str, list[DocumentRecord]]:
    """Remove reports named by id or by the path of their file; maps each target to what it removed."""
    removed: dict[str, list[DocumentRecord]] = {}
    with IndexWriter(index_dir) as writer:
        records = {d.id: d for d in writer.documents()}
        for target in targets:
            ids = [target] if target in records else writer.documents_from_source(str(Path(target).resolve()))
            removed[target] = [records[i] for i in ids if writer.remove(i)]
    return removed
