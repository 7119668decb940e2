"""Real-world files from ../shared/data: every one is read or rejected with a reason; a mixed batch goes in cleanly.

Reading every file (about 150 PDFs) takes well under a minute; embedding all of them would take many, so only a mixed
subset goes through a full `ingest add`. The 19 federal reports (1,600 pages) are read in tests/test_library_gold.py,
once for both its checks.
"""
from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import SHARED, ingest
from ingest.formats import ReadError
from ingest.index import verify
from ingest.isolation import ReadingWorker
from ingest.pipeline import report_files

PDFS = SHARED / "data" / "pdfs"
# slow: hundreds of pages of real PDFs, and `ingest` as a process
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PDFS.is_dir(), reason=f"shared test data not found at {SHARED / 'data'}")]


def _outcomes(folder, password=None):
    """{file name relative to folder: "read" or the one-line reason it was rejected or skipped}"""
    files, skipped = report_files([folder])
    outcomes = {str(s.path): f"skipped: {s.detail}" for s in skipped}
    with ReadingWorker() as reader:
        for path in files:
            try:
                doc = reader.read(path, password=password)
                outcomes[str(path)] = "read" if doc.text.strip() and doc.pages else "EMPTY DOCUMENT"
            except ReadError as exc:
                outcomes[str(path)] = str(exc)
    return {str(p).removeprefix(f"{folder}/"): outcome for p, outcome in outcomes.items()}


def test_every_shared_pdf_is_read_or_rejected_with_a_reason():
    outcomes = _outcomes(PDFS)
    assert len(outcomes) >= 150
    for name, outcome in outcomes.items():
        assert outcome and "\n" not in outcome and outcome != "EMPTY DOCUMENT", name
    by_name = {name.rsplit("/", 1)[-1]: outcome for name, outcome in outcomes.items()}
    assert by_name["empty.pdf"] == "file is empty"
    assert by_name["unreadablemetadata.pdf"].startswith("PDF cannot be read (PdfReadError")
    assert by_name["r6-both-passwords.pdf"].startswith("PDF is password-protected")
    assert by_name["imagemagick-CCITTFaxDecode.pdf"].startswith("no text layer on any of its 1 page")
    assert by_name["crazyones.pdf"] == "read"
    reasons = Counter(o.split(" (")[0].split(";")[0] for o in outcomes.values() if o != "read")
    print(json.dumps({"read": sum(o == "read" for o in outcomes.values()), "not read": reasons}, indent=1))


def test_encrypted_shared_pdfs_open_with_their_password():
    outcomes = _outcomes(PDFS / "pypdf-resources" / "resources" / "encryption", password="asdfzxcv")
    # the files with an empty user password open too, though a password was given
    assert {name: o for name, o in outcomes.items() if o != "read"} == {
        "r6-both-passwords.pdf": "wrong password for this PDF",  # its passwords are foo and bar
    }


def test_a_mixed_batch_of_real_files_goes_in_cleanly(tmp_path):
    resources = PDFS / "pypdf-resources" / "resources"
    batch = [
        PDFS / "pdfplumber-tests" / "tests" / "pdfs" / "150109DSP-Milw-505-90D.pdf",  # a real public record
        resources / "crazyones.pdf",
        resources / "encryption" / "r4-aes-user-password.pdf",  # needs a password
        resources / "imagemagick-images.pdf",  # images only
        PDFS / "pdfplumber-tests" / "tests" / "pdfs" / "empty.pdf",
    ]
    index = tmp_path / "index"
    result = ingest("add", *map(str, batch), index=index)
    assert result.returncode == 1  # some were rejected
    assert "Traceback" not in result.stdout + result.stderr
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == 3
    assert "2 added, 0 replaced, 0 unchanged, 3 rejected" in result.stdout
    listed = json.loads(ingest("list", "--json", index=index).stdout)
    assert sorted(d["source"].rsplit("/", 1)[-1] for d in listed) == ["150109DSP-Milw-505-90D.pdf", "crazyones.pdf"]
    assert all(d["passages"] > 0 for d in listed)
    assert verify(index).ok
