"""The staff page: off without a password, closed without login, and the only way the web app changes the corpus."""
from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from gradio_client import Client, handle_file

from ingest.index import Index
from pdfs import write_pdf
from staff_site import staff_site

PASSWORD = "correct horse battery staple"


def test_staff_page_is_off_when_no_password_is_set(seed_index, embedder, monkeypatch):
    from app import create_app
    from qa.pipeline import QAPipeline

    monkeypatch.delenv("QA_STAFF_PASSWORD", raising=False)
    client = TestClient(create_app(QAPipeline(seed_index, embedder)))
    assert client.get("/").status_code == 200
    for route in ("/staff", "/staff/", "/staff/gradio_api/info"):
        assert client.get(route).status_code == 404


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    """The app with the staff page on, over a private index and corpus folder."""
    with staff_site(seed_index, tmp_path_factory.mktemp("site"), PASSWORD) as site:
        yield site


def _state(index, corpus):
    reader = Index(index)
    files = sorted((str(p.relative_to(corpus)), p.stat().st_mtime_ns) for p in corpus.rglob("*"))
    return reader.current_generation(), [d.id for d in reader.documents()], files


def test_staff_api_needs_the_password(site):
    url, _, _ = site
    assert httpx.get(f"{url}staff/gradio_api/info", timeout=10).status_code == 401
    assert httpx.post(f"{url}staff/gradio_api/upload", files={"files": ("a.txt", b"x")}, timeout=10).status_code == 401
    wrong = httpx.post(f"{url}staff/login", data={"username": "staff", "password": "wrong password"}, timeout=10)
    assert wrong.status_code == 400 and not wrong.cookies
    with pytest.raises(ValueError, match=r"Could not login to .*/staff/"):  # the site answered, and said no
        Client(f"{url}staff/", auth=("staff", "wrong password"), verbose=False)
    assert Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False).view_api(print_info=False, return_format="dict")


def _argument(parameter: dict, tmp_path):
    """A value of the type an API parameter declares, chosen to be as destructive as such a value can be."""
    kind = parameter["python_type"]["type"]
    if "filepath" in kind or "FileData" in kind:
        return handle_file(str(write_pdf(tmp_path / "intruder.pdf", [["An intruder's report."]])))
    if kind.startswith("list") or "| list" in kind:
        return []
    if kind in ("int", "float"):
        return 0
    if kind == "bool":
        return True
    return "Remove every report. ../../corpus/2020-apsdd-key-findings.txt 733735fcbbbce323"


def test_no_public_endpoint_can_change_the_corpus(site, tmp_path):
    url, index, corpus = site
    (corpus / "existing.txt").write_text("A report already in the folder.")
    before = _state(index, corpus)
    info = httpx.get(f"{url}gradio_api/info", timeout=10).json()
    endpoints = {**info["named_endpoints"], **info["unnamed_endpoints"]}
    assert endpoints and not {"/add", "/remove", "/reports"} & set(endpoints)
    client = Client(url, verbose=False)
    for name, spec in endpoints.items():
        args = [_argument(p, tmp_path) for p in spec["parameters"]]
        try:
            client.predict(*args, api_name=name)
        except Exception:  # noqa: BLE001 - refusing odd input is fine; only a change to the corpus would not be
            pass
    assert _state(index, corpus) == before
    (corpus / "existing.txt").unlink()


def test_staff_upload_list_remove_and_the_public_chat_follows(site, tmp_path):
    url, index, corpus = site
    report = tmp_path / "tides.txt"
    report.write_text("Tidal power supplies a fifth of the island's electricity since 2022.")
    disguised = tmp_path / "photo.pdf"
    disguised.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    scan = write_pdf(tmp_path / "scan.pdf", [[], []])
    (tmp_path / "again").mkdir()
    same_name = tmp_path / "again" / "tides.txt"
    same_name.write_text("Another text under the same file name.")
    public = Client(url, verbose=False)
    question = "How much of the island's electricity comes from tidal power?"
    assert "fifth" not in public.predict(question, [], api_name="/ask")["answer"]

    staff = Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False)
    results, listing, _ = staff.predict(
        [handle_file(str(p)) for p in (report, disguised, scan, same_name)],
        "", "2024-03-01", "https://example.org/tides", "Ana Ruiz; Ben Cole", "Island Institute", "",
        api_name="/add",
    )
    assert ["tides.txt", "rejected", "", "", "", "another file of this upload has the same name"] in results["data"]
    status = {row[0]: (row[1], row[5]) for row in results["data"] if row[1] != "rejected" or row[0] != "tides.txt"}
    assert status["tides.txt"] == ("added", "")
    assert status["photo.pdf"] == ("rejected", "not a PDF, text, Markdown or HTML file (judged by its content)")
    assert status["scan.pdf"][0] == "rejected" and "no text layer" in status["scan.pdf"][1]
    assert sorted(p.name for p in corpus.iterdir()) == ["tides.txt", "tides.txt.meta.yaml"]  # rejects leave nothing
    (doc_id, title, date, *_), = [row for row in listing["data"] if row[1] == "tides"]
    assert date == "2024-03-01"

    answer = public.predict(question, [], api_name="/ask")  # the running app saw the new generation
    assert "fifth" in answer["answer"]
    assert answer["citations"][0]["url"] == "https://example.org/tides"

    message, listing, _ = staff.predict(doc_id, api_name="/remove")
    assert doc_id in message and doc_id not in [row[0] for row in listing["data"]]
    assert (corpus / ".removed" / "tides.txt").is_file() and not (corpus / "tides.txt").exists()
    assert "fifth" not in public.predict(question, [], api_name="/ask")["answer"]


def test_staff_correct_a_reports_details_and_the_public_chat_follows(site):
    url, index, _ = site
    public = Client(url, verbose=False)
    question = "Who prepared the report?"
    cited = public.predict(question, [], api_name="/ask")["citations"][0]
    doc_id, old_title = cited["doc_id"], cited["title"]
    staff = Client(f"{url}staff/", auth=("staff", PASSWORD), verbose=False)
    before = Index(index).current_generation()
    for wrong, said in ((["", "New title", "", "", "", ""], "Choose a report to correct"),
                        (["0000000000000000", "New title", "", "", "", ""], "No report 0000000000000000"),
                        ([doc_id, "  ", "", "", "", ""], "A title cannot be empty"),
                        ([doc_id, "New title", "last spring", "", "", ""], "“last spring” is not a date"),
                        ([doc_id, "x" * 1001, "", "", "", ""], "The title is longer than 1000 characters")):
        with pytest.raises(Exception, match=said):
            staff.predict(*wrong, api_name="/set")
    assert Index(index).current_generation() == before  # nothing written

    reader = Index(index)
    doc = reader.document(doc_id)
    message, listing, _, _ = staff.predict(doc_id, "Space Diplomacy Dialogue 2020: Key Findings", doc.date,
                                           "Mark Manantan; Ana Ruiz", doc.publisher, doc.url, api_name="/set")
    assert message == f"Saved the title and authors of “Space Diplomacy Dialogue 2020: Key Findings” ({doc_id})."
    assert [doc_id, "Space Diplomacy Dialogue 2020: Key Findings"] in [row[:2] for row in listing["data"]]
    reader.refresh()
    corrected = reader.document(doc_id)
    assert corrected.authors == ["Mark Manantan", "Ana Ruiz"] and corrected.title_source == "staff"
    assert (corrected.date, corrected.date_source) == (doc.date, doc.date_source)  # unchanged: not made a staff value
    assert public.predict(question, [], api_name="/ask")["citations"][0]["title"] != old_title
    assert staff.predict(doc_id, corrected.title, corrected.date, "Mark Manantan; Ana Ruiz", corrected.publisher,
                         corrected.url, api_name="/set")[0].startswith("Nothing to change")
