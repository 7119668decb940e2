"""Hostile uploads: each is refused with a reason, the server stays up, and the corpus and index stay as they were."""
from __future__ import annotations

import zipfile

import httpx
import pytest
from gradio_client import Client, handle_file

from ingest.corpus import UploadError, store_upload
from ingest.index import Index, verify
from pdfs import write_pdf
from staff_site import staff_site
from web.staff import MAX_FILES_PER_UPLOAD

pytestmark = pytest.mark.reliability  # `make reliability` runs these

PASSWORD = "hostile uploads are refused"
TRAVERSAL_NAMES = ["../../etc/passwd", "..\\..\\windows\\system32\\evil.txt", "/etc/cron.d/evil.txt", "....//....//x.md",
                   ".bashrc", "a/../../b.txt", "report\x00.pdf.txt", "~/.ssh/authorized_keys", "..", "", "CON.txt"]


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_a_path_in_an_upload_name_stays_inside_the_corpus(tmp_path, name):
    corpus = tmp_path / "corpus"
    stored = store_upload(name, b"A report on tidal power.", corpus)
    assert stored.path.parent == corpus and not stored.path.name.startswith(".")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [stored.path.name]


def test_an_upload_over_the_limit_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(UploadError, match="larger than the 1 MB upload limit"):
        store_upload("big.txt", b"word " * 300_000, tmp_path / "corpus", max_bytes=1 << 20)
    assert not (tmp_path / "corpus").exists()


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    """The app with the staff page on and a 1 MB upload limit."""
    with staff_site(seed_index, tmp_path_factory.mktemp("hostile-site"), PASSWORD, QA_MAX_UPLOAD_MB="1") as site:
        yield site


def _state(index, corpus):
    reader = Index(index)
    try:
        return reader.current_generation(), [d.id for d in reader.documents()], sorted(p.name for p in corpus.rglob("*"))
    finally:
        reader.close()


def _still_up(url):
    assert httpx.get(url, timeout=10).status_code == 200
    assert Client(url, verbose=False).predict("Who prepared the report?", [], api_name="/ask")["answer"]


def _add(url, paths):
    staff = Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False)
    results, _, _ = staff.predict([handle_file(str(p)) for p in paths], "", "", "", "", "", "", api_name="/add")
    return {row[0]: (row[1], row[5]) for row in results["data"]}


def test_bombs_disguises_and_oversize_files_are_rejected_with_reasons(site, tmp_path):
    url, index, corpus = site
    before = _state(index, corpus)
    bomb = write_pdf(tmp_path / "bomb.pdf", [["A page that inflates to 100 MB."]], padding=100_000_000)
    archive = tmp_path / "report.pdf"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("report.txt", "zipped text")
    program = tmp_path / "notes.txt"
    program.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    empty = tmp_path / "empty.md"
    empty.write_text("   \n")

    results = _add(url, [bomb, archive, program, empty])
    assert results["bomb.pdf"][0] == "rejected" and "safety limits" in results["bomb.pdf"][1]
    for name in ("report.pdf", "notes.txt"):
        assert results[name] == ("rejected", "not a PDF, text, Markdown or HTML file (judged by its content)")
    assert results["empty.md"] == ("rejected", "file is empty")

    oversize = tmp_path / "oversize.txt"
    oversize.write_bytes(b"word " * 300_000)  # 1.5 MB
    with pytest.raises(Exception, match="(?i)too large|size"):
        _add(url, [oversize])
    assert _state(index, corpus) == before
    _still_up(url)


def test_hundreds_of_files_at_once_are_refused_whole(site, tmp_path):
    url, index, corpus = site
    before = _state(index, corpus)
    files = []
    for i in range(MAX_FILES_PER_UPLOAD * 3):
        files.append(tmp_path / f"note-{i:03d}.txt")
        files[-1].write_text(f"Note {i} on the harbour budget.")
    with pytest.raises(Exception, match=f"{len(files)} files is more than the {MAX_FILES_PER_UPLOAD}"):
        _add(url, files)
    assert _state(index, corpus) == before
    _still_up(url)
    assert verify(index).ok
