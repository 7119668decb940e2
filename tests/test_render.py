from web.chat import as_text, render_answer
from qa.models import NOT_FOUND, Answer, Citation


def _citation(passage="Alpha <b>beta</b> gamma.", start=0, end=5):
    return Citation("d1", "T [x](http://evil)", 3, passage, start, end, 0.1, "/tmp/r.pdf", date="2024-01-01")


def test_report_text_is_escaped():
    assert as_text("<script>alert(1)</script>") == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert as_text("[a](http://x)") == "\\[a\\]\\(http://x\\)"


def test_answer_rendering_has_marker_page_and_highlight():
    md = render_answer(Answer("q", "Alpha", False, 0.8, [_citation()]))
    assert "[1]" in md and "page 3" in md and "**Alpha**" in md
    assert "<b>" not in md and "](http" not in md


def test_abstention_rendering_lists_related_passages():
    md = render_answer(Answer("q", NOT_FOUND, True, 0.1, related=[_citation()]))
    assert "Not found in the reports" in md and "Possibly related" in md
