"""How an answer, a source and the list of reports are written as HTML: every report and reader text inert."""

from ingest.index import DocumentRecord
from qa.models import NOT_FOUND, Answer, Citation, ReportAnswer, Scope, ScopedReport
from web.answer_view import answer_html, question_html, readable_date
from web.report_files import original_link
from web.reports_view import reports_html
from web.scope_view import scope_html

PASSAGE = "Alpha <b>beta</b> gamma. Delta [x](http://evil) epsilon."


def _citation(start=0, end=24, passage=PASSAGE, passage_id=1, source="/nonexistent/r.pdf", url="") -> Citation:
    return Citation("d1", "T <script>x()</script>", 3, passage, start, end, 0.1, source, url=url,
                    date="2024-01-01", passage_id=passage_id)


def test_report_and_reader_text_is_escaped():
    html = answer_html(Answer("q", PASSAGE[:24], False, 0.8, [_citation()]))
    assert "<b>" not in html and "&lt;b&gt;beta&lt;/b&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert question_html('<img src=x onerror="y()">') == "&lt;img src=x onerror=&quot;y()&quot;&gt;"


def test_answer_has_marker_source_page_date_and_highlight():
    html = answer_html(Answer("q", PASSAGE[:24], False, 0.8, [_citation()]))
    assert '<sup class="qa-marker">[1]</sup>' in html
    assert "page 3" in html and "1 January 2024" in html and "high confidence" in html
    assert "<mark>Alpha &lt;b&gt;beta&lt;/b&gt; gamma.</mark> Delta" in html


def test_each_distinct_source_is_listed_once_with_its_marker_after_its_words():
    first, second = _citation(0, 24), _citation(25, len(PASSAGE))
    other = _citation(0, 6, passage="Omega.", passage_id=2)
    html = answer_html(Answer("q", f"{PASSAGE} Omega.", False, 0.7, [first, second, other]))
    assert html.count('<li class="qa-source"') == 2
    assert html.count("<mark>") == 3  # both spans of the shared passage, and the other one
    assert 'epsilon.<sup class="qa-marker">[1]</sup> Omega.<sup class="qa-marker">[2]</sup>' in html
    assert 'gamma.<sup class="qa-marker">' not in html  # one marker for adjacent spans of one source


def test_a_long_passage_is_cut_to_the_quote_and_its_context():
    passage = "Lead in. " * 40 + "The quoted sentence. " + "Trailing text. " * 40
    start = passage.index("The quoted")
    html = answer_html(Answer("q", "The quoted sentence.", False, 0.8, [_citation(start, start + 20, passage)]))
    shown = html.split('<blockquote class="qa-passage">')[1].split("</blockquote>")[0]
    assert shown.startswith("…") and shown.endswith("…") and " Lead" in shown and "Trailing " in shown
    assert "<mark>The quoted sentence.</mark>" in shown and len(shown) < 2 * 160 + 60


def test_abstention_says_not_found_and_lists_related_passages():
    html = answer_html(Answer("q", NOT_FOUND, True, 0.1, related=[_citation(), _citation()]))
    assert "Not found in the reports" in html and "Possibly related passages" in html
    assert html.count('<li class="qa-source"') == 1 and "<mark>" not in html


def test_original_link_is_our_pdf_or_the_public_url(tmp_path):
    pdf = tmp_path / "a report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    text = tmp_path / "notes.txt"
    text.write_text("x")
    assert original_link("d1", str(pdf), "https://example.org/r") == "reports/d1/a%20report.pdf"
    assert original_link("d1", str(text), "https://example.org/r") == "https://example.org/r"
    assert original_link("d1", str(text), "javascript:alert(1)") == "reports/d1/notes.txt"
    assert original_link("d1", str(tmp_path / "gone.pdf"), "javascript:alert(1)") == ""


def test_source_link_opens_the_viewer_with_every_part_of_the_quote_from_that_report(tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    first, second = _citation(0, 24, source=str(pdf)), _citation(0, 6, "Omega.", passage_id=2, source=str(pdf))
    second.page = 4
    other = Citation("d2", "Other", 9, "Psi.", 0, 4, 0.1, str(pdf), passage_id=7)
    html = answer_html(Answer("q", f"{PASSAGE[:24]} Omega. Psi.", False, 0.8, [first, second, other]))
    assert '<a class="qa-open" href="view/d1?page=3&amp;part=1%3A0-24&amp;part=2%3A0-6">Open the report at page 3</a>' in html
    assert '<a class="qa-open" href="view/d1?page=4&amp;part=1%3A0-24&amp;part=2%3A0-6">Open the report at page 4</a>' in html
    assert '<a class="qa-open" href="view/d2?page=9&amp;part=7%3A0-4">Open the report at page 9</a>' in html
    text = tmp_path / "notes.txt"
    text.write_text("x")
    as_text = answer_html(Answer("q", PASSAGE[:24], False, 0.8, [_citation(source=str(text))]))
    assert '<a class="qa-open" href="view/d1?page=3&amp;part=1%3A0-24">Open the report</a>' in as_text
    related = answer_html(Answer("q", NOT_FOUND, True, 0.1, related=[_citation(source=str(pdf))]))
    assert '<a class="qa-open" href="view/d1?page=3">Open the report at page 3</a>' in related
    on_the_web = answer_html(Answer("q", PASSAGE[:24], False, 0.8, [_citation(url="https://example.org/r")]))
    assert '<a class="qa-open" href="https://example.org/r">Open the report</a>' in on_the_web


def test_readable_date():
    assert readable_date("2020-12-01") == "1 December 2020"
    assert readable_date("2020-12") == "December 2020"
    assert readable_date("2020") == "2020"


def _doc(title: str, date: str = "2020-12-01") -> DocumentRecord:
    return DocumentRecord("d1", title, "/nonexistent.txt", "", date, ["Ann Lee"], "Forum", 3, 0, "", passages=12)


def test_reports_list_filters_and_escapes():
    docs = [_doc("Space <i>diplomacy</i>"), _doc("Harbours", "2023-05-01")]
    html = reports_html(docs, "")
    assert "2 reports" in html and "&lt;i&gt;diplomacy" in html and "<i>" not in html
    filtered = reports_html(docs, "december ann")
    assert "1 of 2 reports" in filtered and "Space" in filtered and "Harbours" not in filtered


def test_reports_list_offers_to_ask_each_report_by_its_id():
    html = reports_html([_doc('Space "diplomacy" <b>')], "")
    assert ('<button type="button" class="qa-ask-report" data-doc="d1"'
            ' aria-label="Ask this report: Space &quot;diplomacy&quot; &lt;b&gt;">Ask this report</button>') in html


def test_scope_chip_names_the_report_or_all_and_escapes():
    assert "all reports" in scope_html(None) and "qa-scope-clear" not in scope_html(None)
    chip = scope_html(_doc("Space <i>diplomacy</i>"))
    assert "<cite>Space &lt;i&gt;diplomacy&lt;/i&gt;</cite>" in chip and "1 December 2020" in chip
    assert 'aria-label="Stop asking only Space &lt;i&gt;diplomacy&lt;/i&gt;: ask all reports"' in chip


def _report_answer(doc_id: str, year: int, passage: str) -> ReportAnswer:
    cited = Citation(doc_id, f"Annual Report {year} <x>", 2, passage, 0, len(passage), 0.5, "/nonexistent/r.pdf",
                     date=f"{year}-03-01", passage_id=year)
    return ReportAnswer(doc_id, cited.title, cited.date, passage, 0.8 if year == 2019 else 0.2, [cited])


def test_an_answer_across_reports_is_one_dated_quote_per_report_with_its_own_source():
    parts = [_report_answer("a", 2019, "Claims took 41 days."), _report_answer("b", 2020, "Claims took 35 days.")]
    answer = Answer("How has it changed?", "joined", False, 0.8, [c for p in parts for c in p.citations], across=parts)
    html = answer_html(answer)
    items = html.split('<li class="qa-report-answer">')[1:]
    assert len(items) == 2 and "joined" not in html and "2 reports, oldest first" in html
    for item, year, days, n, words in zip(items, (2019, 2020), ("41", "35"), (1, 2), ("high", "low")):
        assert f'<time datetime="{year}-03-01">1 March {year}</time>' in item and f"{words} confidence" in item
        assert f'Claims took {days} days.<sup class="qa-marker">[{n}]</sup></blockquote>' in item
        assert item.count('<li class="qa-source"') == 1 and f"<cite>Annual Report {year} &lt;x&gt;</cite>" in item
        assert f'value="{n}"' in item and "page 2" in item


def test_an_answer_says_which_reports_were_searched():
    cited = _citation()
    report = ScopedReport("d1", "Annual <b>Report</b> 2016", "2017-02-01")
    given = Answer("q", PASSAGE[:24], False, 0.8, [cited], scope=Scope([report], "only", False))
    assert '<p class="qa-scope-note">Asked within <cite>Annual &lt;b&gt;Report&lt;/b&gt; 2016</cite>' \
           " (1 February 2017).</p>" in answer_html(given)
    named = Scope([report], "only", True, reference="the 2016 <report>")
    assert "Searched only <cite>Annual" in answer_html(Answer("q", PASSAGE[:24], False, 0.8, [cited], scope=named))
    assert "as the question names “the 2016 &lt;report&gt;”" in answer_html(Answer("q", NOT_FOUND, True, 0.1, scope=named))
    many = Scope([ScopedReport(f"d{i}", f"Report {i}") for i in range(6)], "preferred", True, reference="the reports")
    note = answer_html(Answer("q", PASSAGE[:24], False, 0.8, [cited], scope=many))
    assert "Searched every report, first <cite>Report 0</cite>, <cite>Report 1</cite>, <cite>Report 2</cite>, " \
           "<cite>Report 3</cite> and 2 more, as the question names “the reports”." in note
    title_words = Scope([ScopedReport("d1", "Report")], "preferred", True)  # named by no phrase: no note
    assert "qa-scope-note" not in answer_html(Answer("q", PASSAGE[:24], False, 0.8, [cited], scope=title_words))
    assert "qa-scope-note" not in answer_html(Answer("q", PASSAGE[:24], False, 0.8, [cited]))


def test_a_table_row_quoted_across_reports_is_a_table_too():
    row = _report_answer("a", 2019, "Total 898 2,294")
    row.citations[0].table = {"header": ["Item", "Hours"], "rows": [["Total", "898"]]}
    prose = _report_answer("b", 2020, "Claims took 35 days.")
    html = answer_html(Answer("q", "joined", False, 0.8, row.citations + prose.citations, across=[row, prose]))
    first, second = html.split('<li class="qa-report-answer">')[1:]
    assert '<th scope="col">Hours</th>' in first and "<td>898</td>" in first
    assert "<table" not in second and "Claims took 35 days." in second
