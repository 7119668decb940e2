"""Links to answers (web/permalink.py) and the controls under an answer (web/answer_tools.py), without a browser:
what a link holds, what is taken from one, when the library counts as changed, and how the controls are named."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from ingest.index import DocumentRecord
from qa.models import Answer, Citation
from qa.pipeline import MAX_HISTORY, MAX_QUESTION_CHARS
from web.answer_tools import AnswerTools, confidence_html, download_html, site_url
from web.permalink import Permalink, library_fingerprint, permalink_query, read_permalink

DOC = DocumentRecord(id="733735fcbbbce323", title="Key Findings", source="/x.pdf", url="", date="2020-12-01",
                     authors=["Mark Manantan"], publisher="Pacific Forum", pages=2, pages_without_text=0,
                     added_at="2026-01-01", passages=15)


def _read(query: str) -> Permalink | None:
    return read_permalink(parse_qs(query.removeprefix("?")))


def test_a_link_holds_the_question_the_questions_it_followed_the_report_and_the_library():
    link = Permalink("What about the second one?", ["Who?", "What obstacles & hurdles?"], DOC.id, "0123456789")
    query = permalink_query(link)
    assert query.startswith("?q=What+about+the+second+one%3F&h=Who%3F&h=What+obstacles+%26+hurdles%3F")
    assert _read(query) == link


def test_a_link_keeps_only_the_questions_a_follow_up_is_read_with():
    earlier = [f"Question {n}?" for n in range(MAX_HISTORY + 4)]
    assert _read(permalink_query(Permalink("Now?", earlier))).history == earlier[-MAX_HISTORY:]


def test_what_a_link_sends_is_only_a_candidate():
    assert _read("") is None and _read("q=%20%20&h=Who%3F") is None
    taken = _read("q=" + "a" * 50_000 + "&h=" + "b" * 50_000 + "&report=../../etc/passwd&v=<script>")
    assert len(taken.question) == MAX_QUESTION_CHARS and len(taken.history[0]) == MAX_QUESTION_CHARS
    assert taken.report is None and taken.fingerprint == ""
    assert _read("q=Who%3F&report=" + "f" * 65).report is None


def test_the_library_fingerprint_changes_with_a_report_or_its_details_not_with_their_order():
    other = replace(DOC, id="ffff0000", title="Annual Report")
    same = library_fingerprint([DOC, other], "all-MiniLM-L6-v2")
    assert same == library_fingerprint([other, DOC], "all-MiniLM-L6-v2") and len(same) == 10
    assert same != library_fingerprint([DOC], "all-MiniLM-L6-v2")
    assert same != library_fingerprint([replace(DOC, title="Key Findings (corrected)"), other], "all-MiniLM-L6-v2")
    assert same != library_fingerprint([DOC, other], "another-model")


def test_links_leaving_the_page_use_the_configured_address_else_a_well_formed_host(monkeypatch):
    monkeypatch.delenv("QA_PUBLIC_URL", raising=False)
    assert site_url("http", "127.0.0.1:7860") == "http://127.0.0.1:7860/"
    assert site_url("https", "[::1]:443") == "https://[::1]:443/"
    for scheme, host in (("http", "evil.example/<script>"), ("javascript", "x"), ("http", ""), ("http", "a b")):
        assert site_url(scheme, host) == ""
    monkeypatch.setenv("QA_PUBLIC_URL", "https://reports.example.org/qa/")
    assert site_url("http", "127.0.0.1:7860") == "https://reports.example.org/qa/"


def test_the_controls_are_named_in_their_text_and_escape_what_they_show(tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    cited = Citation(DOC.id, 'Key <b>"Findings"</b>', 2, "This report was prepared.", 0, 25, 1.0, str(pdf),
                     passage_id=14, publisher="Pacific Forum")
    tools = AnswerTools("https://qa.example.org/", "?q=Who%3F")
    assert tools.link(cited, [cited]) == f"https://qa.example.org/view/{DOC.id}?page=2&part=14%3A0-25"
    cite = tools.cite_html(1, cited, [cited])
    assert '<summary>Cite<span class="qa-unseen"> source 1</span></summary>' in cite
    assert cite.count('<button type="button" class="qa-copy">Copy<span class="qa-unseen"> the ') == 3
    assert "<b>" not in cite and "Key &lt;b&gt;&quot;Findings&quot;&lt;/b&gt;" in cite
    assert 'href="?q=Who%3F"' in tools.share_html() and "Copy link" in tools.share_html()
    # a report the app does not serve: the citation links to the answer itself
    assert tools.link(replace(cited, source=""), []) == "https://qa.example.org/?q=Who%3F"
    why = confidence_html(Answer("q", "a", False, 0.9, why="The quote is <close>."))
    assert why.startswith("high confidence. <details") and "&lt;close&gt;" in why
    assert confidence_html(Answer("q", "a", False, 0.2)) == "low confidence."
    assert download_html("") == ""
    assert download_html("# A <b>&</b>\n").endswith('<pre class="qa-download-text" hidden># A &lt;b&gt;&amp;&lt;/b&gt;\n</pre>')
