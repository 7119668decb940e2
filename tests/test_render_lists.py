"""A list answer and a refusal as HTML: items one per line with the whole passage on demand; the reports searched
and a scope that may help."""
from qa.models import NOT_FOUND, Answer, Citation, ScopedReport, Suggestion
from web.answer_view import answer_html

PASSAGE = "Three <i>problems</i> abound. First, the quay is short. It dates from 1920. Second, dredging stopped."


def _cite(sentence: str, passage: str = PASSAGE, passage_id: int = 1) -> Citation:
    start = passage.index(sentence)
    return Citation("d1", "Harbour Survey", 2, passage, start, start + len(sentence), 0.5, "/r/h.pdf",
                    date="2023-05-01", passage_id=passage_id)


def test_a_list_answer_shows_each_items_lead_sentence_and_the_whole_passage_on_demand():
    third = "Third, pilots are few."
    citations = [_cite("Three <i>problems</i> abound."), _cite("First, the quay is short."),
                 _cite("Second, dredging stopped."), _cite(third, third, passage_id=2)]
    items = ["First, the quay is short.", "Second, dredging stopped.", third]
    answer = Answer("What problems?", "\n".join(c.passage[c.start:c.end] for c in citations), False, 0.8, citations,
                    items=items, whole=PASSAGE + " " + third)
    html = answer_html(answer)
    # the announcement and the first items share a source: its marker waits for the last of them
    assert '<span class="qa-list-intro">Three &lt;i&gt;problems&lt;/i&gt; abound.</span>' in html
    assert html.count('<li class="qa-item">') == 3
    # one marker per source, after the last item quoted from it
    assert '<li class="qa-item">Second, dredging stopped.<sup class="qa-marker">[1]</sup></li>' in html
    assert '<li class="qa-item">First, the quay is short.</li>' in html
    assert f'<li class="qa-item">{third}<sup class="qa-marker">[2]</sup></li>' in html
    whole = html.split('<details class="qa-whole">')[1].split("</details>")[0]
    assert "<summary>Show the whole passage</summary>" in whole and "It dates from 1920." in whole
    assert "It dates from 1920." not in html.split('<details class="qa-whole">')[0].split('<ol class="qa-sources"')[0]


def test_an_answer_that_is_no_list_has_no_list_controls():
    html = answer_html(Answer("q", "First, the quay is short.", False, 0.8, [_cite("First, the quay is short.")]))
    assert "qa-items" not in html and "qa-whole" not in html


def test_a_refusal_names_the_reports_searched_and_a_scope_that_may_help():
    plain = answer_html(Answer("q", NOT_FOUND, True, 0.01, reports_searched=12))
    assert "Searched all 12 reports of the library." in plain and "Possibly related" not in plain
    assert "Searched the library's one report." in answer_html(Answer("q", NOT_FOUND, True, 0.01, reports_searched=1))
    other = ScopedReport("d2", "Port <b>Review</b>", "2021-03-01")
    broader = answer_html(Answer("q", NOT_FOUND, True, 0.01, reports_searched=1,
                                 suggestion=Suggestion("all", [other], 0.6)))
    assert "<cite>Port &lt;b&gt;Review&lt;/b&gt;</cite> (1 March 2021), outside the reports searched, may answer it" in broader
    narrower = answer_html(Answer("q", NOT_FOUND, True, 0.01, reports_searched=5, suggestion=Suggestion("only", [other])))
    assert "The related passages are all from <cite>Port &lt;b&gt;Review&lt;/b&gt;</cite>" in narrower
