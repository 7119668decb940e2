"""Uploads into the corpus folder: safe names, type by content, a size limit, nothing overwritten for good."""
from __future__ import annotations

import pytest

from ingest.corpus import UploadError, retire, store_upload, undo_upload
from ingest.metadata import Metadata, read_sidecar
from pdfs import write_pdf

PDF_BYTES = b"%PDF-1.4\n..."


@pytest.mark.parametrize(
    "claimed, stored",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("Annual Report (2024) – final.pdf", "Annual-Report-2024-final.pdf"),
        ("/absolute/path/report.PDF", "report.pdf"),
        ("....pdf", "report.pdf"),
    ],
)
def test_upload_names_cannot_leave_the_corpus_folder(tmp_path, claimed, stored):
    corpus = tmp_path / "corpus"
    path = store_upload(claimed, PDF_BYTES, corpus).path
    assert path == corpus / stored
    assert path.read_bytes() == PDF_BYTES
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [stored]


def test_type_comes_from_the_content_not_the_name(tmp_path):
    corpus = tmp_path / "corpus"
    assert store_upload("notes.txt", write_pdf(tmp_path / "x.pdf", [["A PDF in disguise."]]).read_bytes(), corpus).path.name == "notes.pdf"
    assert store_upload("page.pdf", b"<!DOCTYPE html><html><p>Hi</p></html>", corpus).path.name == "page.html"
    assert store_upload("readme.md", b"# Title\n\nText.", corpus).path.name == "readme.md"
    assert store_upload("script.exe", b"Plain words only.", corpus).path.name == "script.txt"
    for name, data in (("photo.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00")):
        with pytest.raises(UploadError, match="not a PDF, text, Markdown or HTML file"):
            store_upload(name, data, corpus)
    assert sorted(p.name for p in corpus.iterdir()) == ["notes.pdf", "page.html", "readme.md", "script.txt"]


def test_upload_size_is_limited_and_empty_files_refused(tmp_path):
    with pytest.raises(UploadError, match="larger than the 0.5 MB upload limit"):
        store_upload("big.txt", b"word " * 200_000, tmp_path, max_bytes=512 * 1024)
    with pytest.raises(UploadError, match="empty"):
        store_upload("blank.txt", b"  \n", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_upload_of_the_same_name_replaces_and_undo_restores(tmp_path):
    corpus = tmp_path / "corpus"
    first = store_upload("r.txt", b"First version.", corpus, Metadata(title="R"))
    second = store_upload("r.txt", b"Second version.", corpus, Metadata(title="R v2"))
    assert second.path == first.path and second.previous == corpus / ".removed" / "r.txt"
    assert (first.path.read_text(), read_sidecar(first.path).title) == ("Second version.", "R v2")
    undo_upload(second)  # e.g. the new version was rejected
    assert (first.path.read_text(), read_sidecar(first.path).title) == ("First version.", "R")
    assert list((corpus / ".removed").iterdir()) == []


def test_retire_moves_only_files_inside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    inside = store_upload("a.txt", b"Text.", corpus, Metadata(date="2024-01-01")).path
    outside = tmp_path / "b.txt"
    outside.write_text("Text.")
    assert retire(outside, corpus) is None and outside.is_file()
    moved = retire(inside, corpus)
    assert moved == corpus / ".removed" / "a.txt" and read_sidecar(moved).date == "2024-01-01"
    assert not inside.exists()
