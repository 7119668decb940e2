"""Messy PDFs: passwords, scans, pypdf's safety limits and warnings, files that take too long."""
from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.formats import ReadError, read_document
from ingest.isolation import ReadingWorker
from ingest.pipeline import add_files
from conftest import ROOT
from pdfs import write_pdf

TEXT = "Satellites watch the ocean for illegal fishing vessels at night."


def _encrypted(path, user_password: str, owner_password: str):
    writer = PdfWriter(clone_from=PdfReader(write_pdf(path, [[TEXT]])))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_password_protected_pdf_needs_its_password(tmp_path):
    pdf = _encrypted(tmp_path / "locked.pdf", "sesame", "owner")
    with pytest.raises(ReadError, match="password-protected; pass its password with --password"):
        read_document(pdf)
    with pytest.raises(ReadError, match="wrong password"):
        read_document(pdf, password="guess")
    assert read_document(pdf, password="sesame").text == TEXT


def test_pdf_with_only_an_owner_password_opens_with_none(tmp_path):
    pdf = _encrypted(tmp_path / "restricted.pdf", "", "owner")
    assert read_document(pdf).text == TEXT
    assert read_document(pdf, password="meant for another file of the batch").text == TEXT


def test_pages_without_text_are_counted_and_a_pdf_without_any_is_rejected(tmp_path):
    doc = read_document(write_pdf(tmp_path / "part-scan.pdf", [[TEXT], [], [], [TEXT]]))
    assert doc.pages_without_text == 2
    assert "2 of 4 pages have no text layer; OCR is not supported" in doc.notes
    with pytest.raises(ReadError, match="no text layer on any of its 3 page"):
        read_document(write_pdf(tmp_path / "scan.pdf", [[], [], ["12"]]))  # a page number is not a text layer


@pytest.mark.slow  # a PDF of 150,000 array elements
def test_pdf_over_pypdf_element_limit_is_read_with_raised_limits(tmp_path):
    # 150,000 array elements: over pypdf's default of 100,000, as in some real SEC filings
    big_array = "/Junk [" + " ".join(["0"] * 150_000) + "] "
    doc = read_document(write_pdf(tmp_path / "big-array.pdf", [[TEXT]], page_entries=big_array))
    assert doc.text == TEXT
    assert "read with raised pypdf element limits" in doc.notes


def test_pypdf_warnings_go_into_the_notes_not_the_console(tmp_path, capfd):
    logging.basicConfig()  # as an application with logging configured would have it
    pdf = tmp_path / "junk-header.pdf"
    pdf.write_bytes(b"junk\n" + write_pdf(tmp_path / "clean.pdf", [[TEXT]]).read_bytes())
    doc = read_document(pdf)
    assert doc.text == TEXT
    assert any(note.startswith("pypdf warned") for note in doc.notes)
    out, err = capfd.readouterr()
    assert "pdf header" not in out + err


def test_file_that_takes_too_long_is_rejected_and_the_batch_goes_on(tmp_path, embedder):
    slow = write_pdf(tmp_path / "slow.pdf", [[f"Line {i} of a very long report." for i in range(40)]] * 3000)
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    results = add_files([slow, good], tmp_path / "index", embedder=embedder, progress=False, timeout=1)
    assert [r.status for r in results] == ["rejected", "added"]
    assert results[0].detail.startswith("gave up after 1 s")


@pytest.mark.slow  # the reader's worker process
@pytest.mark.slow
def test_a_worker_that_cannot_start_says_why(tmp_path):
    """A script without a __main__ guard cannot spawn the worker: Python's own explanation reaches the user, not an
    error from cleaning up a process that never started."""
    script = tmp_path / "script.py"
    script.write_text("from pathlib import Path\nfrom ingest.isolation import ReadingWorker\n"
                      f"with ReadingWorker() as reader:\n    reader.read(Path({str(script)!r}))\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0 and "bootstrapping phase" in result.stderr
    assert "AttributeError" not in result.stderr, result.stderr


def test_worker_reports_a_read_error_in_one_line(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with ReadingWorker(timeout=60) as reader, pytest.raises(ReadError) as info:
        reader.read(broken)
    assert "\n" not in str(info.value) and str(info.value)
