"""Files -> documents -> passages: formats, cleaning, metadata, offsets."""
from __future__ import annotations

import pytest

from ingest.cleaning import reflow
from ingest.formats import ReadError, read_document
from ingest.metadata import Metadata
from ingest.splitting import MAX_WORDS, split_passages
from pdfs import write_pdf
from conftest import CORPUS

SEED = CORPUS / "2020-apsdd-key-findings.txt"


def test_seed_report_metadata_comes_from_front_matter():
    doc = read_document(SEED)
    assert doc.title == "2020 Asia Pacific Space Diplomacy Dialogue (APSDD): Key Findings"
    assert doc.publisher == "Pacific Forum"
    assert doc.date == "2020-12-01"
    assert doc.authors == ["Mark Manantan"]
    assert "title:" not in doc.text


def test_seed_report_is_clean_and_verbatim():
    text = read_document(SEED).text
    assert "width=" not in text
    assert "History of Pacific Forum" not in text
    # the report's own sentences are kept exactly
    assert "Space is a global commons, but serious obstacles for international cooperation abound." in text
    assert "This report was prepared by Mark Manantan." in text


def test_passages_point_back_into_the_document():
    doc = read_document(SEED)
    passages = split_passages(doc)
    assert len(passages) > 5
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert len(p.text.split()) <= MAX_WORDS + 40
        for s in p.sentences:
            sentence = p.text[s.start : s.end]
            assert sentence == sentence.strip() and sentence
    sentences = [s for p in passages for s in p.sentence_texts()]
    assert "Second, the divide between “technology” and “politics” inhibits multilateral cooperation." in sentences


def test_pdf_pages_keep_their_numbers(tmp_path):
    pdf = write_pdf(
        tmp_path / "r.pdf",
        [["Satellites watch the ocean for illegal fishing."], [], ["Debris removal needs new rules of the road."]],
        title="Ocean Watch",
    )
    doc = read_document(pdf)
    assert doc.title == "Ocean Watch"
    assert doc.pages_without_text == 1
    pages = {p.page: p.text for p in split_passages(doc)}
    assert pages == {
        1: "Satellites watch the ocean for illegal fishing.",
        3: "Debris removal needs new rules of the road.",
    }


def test_markdown_and_html_are_read_as_text(tmp_path):
    md = tmp_path / "note.md"
    md.write_text("---\ntitle: A note\n---\n# Heading\n\nSee **the** [annex](http://x.org) for\ndetails.\n\n"
                  "Dr. Ada Reyes 14 June 2023\n\n## Why this note\n\nIt was asked for.\n")
    doc = read_document(md)
    assert doc.title == "A note"
    # a heading after a line without a full stop stays a paragraph of its own
    assert doc.text == "Heading\n\nSee the annex for details.\n\nDr. Ada Reyes 14 June 2023\n\nWhy this note\n\nIt was asked for."
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Web report</title><script>alert(1)</script></head>"
                    "<body><p>First paragraph.</p><p>Second &amp; last.</p></body></html>")
    doc = read_document(page)
    assert doc.title == "Web report"
    assert doc.text == "First paragraph.\n\nSecond & last."


def test_command_line_metadata_wins(tmp_path):
    txt = tmp_path / "plain_report.txt"
    txt.write_text("Just one sentence here.")
    assert read_document(txt).title == "plain report"
    assert read_document(txt, Metadata(title="Given")).title == "Given"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("image.png", b"\x89PNG....", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF cannot be read"),
    ],
)
def test_unreadable_files_get_a_one_line_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason) as info:
        read_document(path)
    assert "\n" not in str(info.value)


def test_pdf_line_breaks_are_joined_into_paragraphs():
    raw = ("The space environment is congested and contested, and the number of actors grows\n"
           "every year as launch costs fall and inter-\nnational firms enter the market for good.\n"
           "A new paragraph.\n")
    assert reflow(raw, hard_wrapped=True) == (
        "The space environment is congested and contested, and the number of actors grows every year as launch "
        "costs fall and international firms enter the market for good.\n\nA new paragraph."
    )
