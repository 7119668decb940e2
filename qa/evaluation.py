"""Score the QA pipeline on gold questions: our JSONL gold sets and SQuAD v1.1/v2.0 files.

Gold JSONL, one question a line:
    {"id": "obstacles-1", "question": "...", "history": ["earlier question", ...],  # or [{"question": ...}, ...]
     "answers": ["verbatim answer", ...], "answerable": true,
     "doc": "2016-annual-performance-report.pdf", "kind": "named"}

``items``: for a question asking for a list, the lead sentence of each of its items, verbatim; ``items_recall`` is the
share of them an answer quotes. Optional fields for a library of reports: ``doc``, the report the answer must come from, or ``docs``, the reports
an across-report answer should cite (each matched against a report's id, file name or file stem); ``kind``, the
sort of question (named, latest, table, ...), by which results are also broken down.

Answer matching follows SQuAD's normalisation (lower case, no punctuation, articles or extra spaces).
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import string
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

import numpy as np
from tqdm import tqdm

from ingest.embedder import Embedder
from ingest.formats import document_id
from ingest.index import SCHEMA_VERSION, IndexWriter, exists
from ingest.models import Document, PageSpan
from ingest.pipeline import EMBEDDING_RECIPE, store_document
from ingest.splitting import MAX_WORDS, MIN_WORDS, sentence_spans, split_passages

from .models import Answer, Citation
from .pipeline import QAPipeline

METRICS = (
    "answer_hit_at_1", "answer_sentences", "items_recall", "f1", "em", "passage_hit_at_1", "passage_hit_at_5", "mrr", "doc_hit_at_1", "docs_recall",
    "abstain_precision", "abstain_recall", "latency_ms_p50", "latency_ms_p95", "n", "key_em", "key_f1", "key_rate",
)
# Confidence buckets of the reliability curve: does a quote given with confidence c turn out right about c of the time?
RELIABILITY_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass
class GoldQuestion:
    id: str
    question: str
    answers: list[str]
    answerable: bool = True
    history: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)  # the report(s) the answer must come from
    across: bool = False  # asked across reports: every one of ``docs`` should be cited
    kind: str = ""
    items: list[str] = field(default_factory=list)  # a list question: each item's lead sentence


@dataclass
class Row:
    id: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    confidence: float
    gold: list[str]
    answer_hit: bool
    f1: float
    em: float
    passage_rank: int | None  # 1-based rank of the first retrieved passage containing a gold answer
    latency_ms: float
    kind: str = ""
    gold_docs: list[str] = field(default_factory=list)
    cited_docs: list[str] = field(default_factory=list)  # file names of the cited reports, in citation order
    doc_hit: bool | None = None  # first citation from a gold report (None: the row names no report)
    docs_recall: float | None = None  # across-report rows: share of the gold reports cited
    key: str | None = None  # the words the first citation marks as the answer (qa/answer_key.py)
    key_scored: bool = False  # the gold answers are short spans a key can be scored against (SQuAD)
    sentences: int | None = None  # sentences quoted (None: refused)
    items_recall: float | None = None  # a list question: share of its items' lead sentences quoted


# -- SQuAD normalisation and scores ---------------------------------------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def normalize(text: str) -> str:
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


def f1_score(prediction: str, gold: str) -> float:
    pred, ref = normalize(prediction).split(), normalize(gold).split()
    common = sum((Counter(pred) & Counter(ref)).values())
    if not common:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
# SQuAD's normalisation drops ASCII punctuation only; a dash or quote mark from Unicode would glue words together.
_UNICODE_PUNCTUATION = re.compile(r"[\u2010-\u2027\u2030-\u205e«»]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # a PDF's text layer may hold stray control characters between words


# The same text is matched against answer after answer: a passage against each question's answers in `qa eval`, a
# whole report against each gold answer in tests/test_library_gold.py (17 s of CPU there without the cache, 1 s with).
@lru_cache(maxsize=64)
def _words(text: str) -> str:
    # NFKC: a PDF's ligatures ("ﬁ") and compatibility forms match the plain letters a gold answer is written in.
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    return f" {normalize(_UNICODE_PUNCTUATION.sub(' ', _POSSESSIVE.sub('', text)))} "


def contains_answer(text: str, answers: list[str]) -> bool:
    """Is a gold answer in ``text`` as whole words? ("Nortman's punt" contains "Nortman"; "20160" not "2016".)"""
    haystack = _words(text)
    return any(_words(a) in haystack for a in answers if normalize(a))


# -- loading gold sets ------------------------------------------------------------------------------

def load_gold(path: Path) -> list[GoldQuestion]:
    questions = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            # "doc": null (or "docs": null) is a row that names no report, as leaving the key out is.
            doc, docs = data.get("doc"), data.get("docs")
            if doc is not None and docs is not None:
                raise ValueError("give `doc` or `docs`, not both")
            docs = [doc] if doc is not None else docs if docs is not None else []
            if not isinstance(docs, list) or not all(isinstance(d, str) and d for d in docs):
                raise ValueError("`doc` is a file name or report id; `docs` a list of them")
            # An earlier turn is its question; a {"question": ..., "answer": ...} turn (as CoQA-style sets write
            # them) gives its question, since follow-ups are read in the light of the questions asked before.
            history = [h.get("question") if isinstance(h, dict) else h for h in data.get("history", [])]
            if not all(isinstance(h, str) for h in history):
                raise ValueError('`history` is a list of earlier questions, as strings or {"question": ...} objects')
            items = data.get("items", [])
            if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                raise ValueError("`items` is a list of sentences")
            questions.append(GoldQuestion(
                id=str(data["id"]), question=data["question"], answers=list(data.get("answers", [])),
                answerable=bool(data.get("answerable", True)), history=history,
                docs=docs, across="docs" in data, kind=str(data.get("kind", "")), items=items,
            ))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: not a gold question ({exc.__class__.__name__}: {exc})") from exc
    return questions


def load_squad(path: Path) -> tuple[list[Document], list[GoldQuestion]]:
    """One document per article (its paragraphs, blank-line separated) and every question."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    documents, questions = [], []
    for article in data:
        text = "\n\n".join(" ".join(p["context"].split()) for p in article["paragraphs"])
        title = article["title"].replace("_", " ")
        doc_id = document_id(text.encode())
        documents.append(Document(doc_id, title, text, [PageSpan(1, 0, len(text))], source=f"squad:{article['title']}"))
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible", False))
                answers = [a["text"] for a in qa.get("answers", [])] or [a["text"] for a in qa.get("plausible_answers", [])]
                questions.append(GoldQuestion(qa["id"], qa["question"], [] if impossible else answers, not impossible))
    return documents, questions


def squad_index(path: Path, cache_root: Path, embedder: Embedder) -> Path:
    """The index of a SQuAD file's articles, built once and cached under ``cache_root``."""
    key = hashlib.sha256(
        Path(path).read_bytes() + f"{MAX_WORDS}/{MIN_WORDS}/{SCHEMA_VERSION}/{EMBEDDING_RECIPE}/{embedder.name}".encode()
    ).hexdigest()[:12]
    index_dir = Path(cache_root) / f"squad-{Path(path).stem}-{key}"
    if exists(index_dir):
        return index_dir
    documents, _ = load_squad(path)
    # Built in a folder of its own and moved into place whole: a build that was interrupted, or another evaluation
    # building the same index at the same time, leaves no half-built index under the cached name.
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{index_dir.name}.building-", dir=index_dir.parent))
    try:
        with IndexWriter(building, embedder.name, embedder.dim) as writer:
            for doc in documents:
                store_document(writer, embedder, doc, split_passages(doc))
        if not exists(index_dir):
            shutil.rmtree(index_dir, ignore_errors=True)  # what an interrupted build left there
            building.rename(index_dir)
    except OSError:
        if not exists(index_dir):  # another evaluation's build moved into place first: that one serves
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return index_dir


def sample(questions: list[GoldQuestion], limit: int | None, seed: int) -> list[GoldQuestion]:
    if not limit or limit >= len(questions):
        return questions
    return random.Random(seed).sample(questions, limit)


# -- which report an answer came from -----------------------------------------------------------------

def _doc_names(citation: Citation) -> set[str]:
    """What a gold row may call a report: its id, its file's name or that name without its extension."""
    path = PurePath(citation.source)
    return {name.lower() for name in (citation.doc_id, path.name, path.stem) if name}


def cited_doc_hit(citations: list[Citation], gold_docs: list[str]) -> bool:
    """Is the first citation from one of the gold reports?"""
    return bool(citations) and bool(_doc_names(citations[0]) & {d.lower() for d in gold_docs})


def cited_docs_recall(citations: list[Citation], gold_docs: list[str]) -> float:
    """The share of the gold reports that the answer cites at least once."""
    cited = set().union(*(_doc_names(c) for c in citations)) if citations else set()
    return sum(d.lower() in cited for d in gold_docs) / len(gold_docs)


def _cited_files(citations: list[Citation]) -> list[str]:
    return list(dict.fromkeys(PurePath(c.source).name or c.doc_id for c in citations))


# -- scoring ------------------------------------------------------------------------------------------

def evaluate(pipeline: QAPipeline, questions: list[GoldQuestion], progress: bool = False,
             score_keys: bool = False) -> tuple[dict, list[Row]]:
    """Ask every question; ``score_keys`` when the gold answers are short spans (SQuAD), not whole sentences."""
    rows = []
    for q in tqdm(questions, desc="Asking", unit="question", disable=not progress):
        started = time.perf_counter()
        result = pipeline.run(q.question, q.history)
        latency = (time.perf_counter() - started) * 1000
        answer = result.answer
        rank = next((i for i, c in enumerate(result.candidates, start=1) if contains_answer(c.passage.text, q.answers)), None)
        spoken = "" if answer.abstained else answer.answer
        scored_docs = q.answerable and bool(q.docs)
        rows.append(Row(
            id=q.id, question=q.question, answerable=q.answerable, abstained=answer.abstained,
            answer=spoken, confidence=answer.confidence, gold=q.answers,
            answer_hit=bool(q.answers) and contains_answer(spoken, q.answers),
            f1=max((f1_score(spoken, g) for g in q.answers), default=0.0),
            em=float(any(normalize(spoken) == normalize(g) for g in q.answers)),
            passage_rank=rank if q.answerable else None, latency_ms=round(latency, 2),
            kind=q.kind, gold_docs=q.docs, cited_docs=_cited_files(answer.citations),
            doc_hit=cited_doc_hit(answer.citations, q.docs) if scored_docs else None,
            docs_recall=cited_docs_recall(answer.citations, q.docs) if scored_docs and q.across else None,
            key=_key_text(answer), key_scored=score_keys,
            sentences=None if answer.abstained else count_sentences(spoken),
            items_recall=sum(contains_answer(spoken, [i]) for i in q.items) / len(q.items) if q.items else None,
        ))
    return summarize(rows), rows


def count_sentences(text: str) -> int:
    """Sentences in an answer, line by line (a list answer puts each item on a line of its own)."""
    return sum(len(sentence_spans(line)) for line in text.splitlines() if line.strip())


def _key_text(answer: Answer) -> str | None:
    first = answer.citations[0] if answer.citations else None
    return first.passage[first.key[0]:first.key[1]] if first and first.key else None


def summarize(rows: list[Row]) -> dict:
    answerable = [r for r in rows if r.answerable]
    abstained = [r for r in rows if r.abstained]
    unanswerable = [r for r in rows if not r.answerable]
    key_answered = [r for r in answerable if r.key_scored and not r.abstained]
    keyed = [r for r in key_answered if r.key is not None]

    def mean(values) -> float | None:
        values = list(values)
        return round(float(np.mean(values)), 4) if values else None

    latencies = [r.latency_ms for r in rows]
    return {
        "answer_hit_at_1": mean(r.answer_hit for r in answerable),
        # How long the answers are: a right answer of three sentences reads better than one of twenty.
        "answer_sentences": mean(r.sentences for r in rows if r.sentences is not None),
        "items_recall": mean(r.items_recall for r in rows if r.items_recall is not None),
        "f1": mean(r.f1 for r in answerable),
        "em": mean(r.em for r in answerable),
        "passage_hit_at_1": mean(r.passage_rank == 1 for r in answerable),
        "passage_hit_at_5": mean(r.passage_rank is not None and r.passage_rank <= 5 for r in answerable),
        "mrr": mean(1 / r.passage_rank if r.passage_rank else 0.0 for r in answerable),
        "doc_hit_at_1": mean(r.doc_hit for r in answerable if r.doc_hit is not None),
        "docs_recall": mean(r.docs_recall for r in answerable if r.docs_recall is not None),
        "abstain_precision": mean(not r.answerable for r in abstained),
        "abstain_recall": mean(r.abstained for r in unanswerable),
        "latency_ms_p50": round(float(np.percentile(latencies, 50)), 2) if latencies else None,
        "latency_ms_p95": round(float(np.percentile(latencies, 95)), 2) if latencies else None,
        "n": len(rows),
        # The answer inside the quote, on answered questions whose gold answers are spans: how well the
        # marked words match one (SQuAD's EM and F1), and on what share of answers words were marked.
        "key_em": mean(any(normalize(r.key) == normalize(g) for g in r.gold) for r in keyed),
        "key_f1": mean(max(f1_score(r.key, g) for g in r.gold) for r in keyed),
        "key_rate": mean(r.key is not None for r in key_answered),
    }


def by_kind(rows: list[Row]) -> dict[str, dict]:
    """The metrics of each kind of question, plus the share of them refused; {} when no row has a kind."""
    kinds = dict.fromkeys(r.kind for r in rows if r.kind)
    results = {}
    for kind in kinds:
        subset = [r for r in rows if r.kind == kind]
        results[kind] = {**summarize(subset), "abstained": round(sum(r.abstained for r in subset) / len(subset), 4)}
    return results


def reliability(rows: list[Row], edges: tuple[float, ...] = RELIABILITY_EDGES) -> list[dict]:
    """Answers given (not refused), bucketed by confidence: how many, and the share whose quote holds a gold answer.

    An answer to a question no report answers is wrong, whatever it quotes.
    """
    answered = [r for r in rows if not r.abstained]
    curve = []
    for lo, hi in zip(edges, edges[1:]):
        last = hi == edges[-1]
        bucket = [r for r in answered if lo <= r.confidence < hi or (last and r.confidence == hi)]
        right = sum(r.answerable and r.answer_hit for r in bucket)
        curve.append({
            "confidence": f"{lo:g}-{hi:g}", "n": len(bucket), "right": right,
            "share_right": round(right / len(bucket), 4) if bucket else None,
            "mean_confidence": round(float(np.mean([r.confidence for r in bucket])), 4) if bucket else None,
        })
    return curve


def report(metrics: dict, rows: list[Row]) -> dict:
    return {"metrics": metrics, "by_kind": by_kind(rows), "reliability": reliability(rows),
            "questions": [asdict(r) for r in rows]}
