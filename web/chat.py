"""The public chat: ask a question, read the quoted answer and its sources. It cannot change the corpus."""
from __future__ import annotations

import html
import re

import gradio as gr

from qa.models import Answer, Citation
from qa.pipeline import QAPipeline

EXAMPLES = [
    "What obstacles hinder cooperation in space?",
    "What are the four key takeaways of the dialogue?",
    "Who prepared the report?",
]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def as_text(text: str) -> str:
    """Report or user text, escaped so Markdown and HTML in it are shown, never interpreted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def confidence_words(confidence: float) -> str:
    if confidence >= 0.75:
        return "high confidence"
    if confidence >= 0.6:
        return "medium confidence"
    return "low confidence"


def _source_line(n: int, c: Citation, highlight: bool) -> str:
    passage = c.passage
    if highlight and c.end > c.start:
        quoted = f"{as_text(passage[:c.start])}**{as_text(passage[c.start:c.end])}**{as_text(passage[c.end:])}"
    else:
        quoted = as_text(passage)
    date = f", {as_text(c.date)}" if c.date else ""
    return f"{n}. *{as_text(c.title)}*{date}, page {c.page}  \n   “{quoted}”"


def render_answer(answer: Answer) -> str:
    """Markdown for one answer: the quote with citation markers, then each source once."""
    if answer.abstained:
        lines = [f"**Not found in the reports.** {as_text(answer.answer)}"]
        if answer.related:
            lines += ["", "Possibly related passages:"]
            lines += [_source_line(n, c, highlight=False) for n, c in enumerate(answer.related, start=1)]
        return "\n".join(lines)
    markers = "".join(f"[{n}]" for n in range(1, len(answer.citations) + 1))
    lines = [f"> {as_text(answer.answer)} {markers}", "", f"*Quoted verbatim from the reports; {confidence_words(answer.confidence)}.*", "", "**Sources**"]
    lines += [_source_line(n, c, highlight=True) for n, c in enumerate(answer.citations, start=1)]
    return "\n".join(lines)


def create_chat_app(pipeline: QAPipeline) -> gr.Blocks:
    def chat(message: str, history: list[dict]) -> str:
        earlier = [m["content"] for m in history if m.get("role") == "user" and isinstance(m.get("content"), str)]
        return render_answer(pipeline.ask(message, earlier))

    def ask(question: str, history: list[str] | None = None) -> dict:
        """Answer a question from the reports; the same JSON object as `qa ask --json`."""
        return pipeline.ask(question, history or []).to_dict()

    with gr.Blocks(title="Report Q&A", analytics_enabled=False) as demo:
        gr.Markdown("# Report Q&A\nAsk a question about our reports. Every answer is quoted verbatim from a report, with its source.")
        gr.ChatInterface(
            chat,
            chatbot=gr.Chatbot(label="Conversation", height=520, placeholder="Ask about the reports, or try an example below."),
            textbox=gr.Textbox(placeholder="Ask a question about the reports", submit_btn=True, max_length=1000),
            examples=EXAMPLES,
            cache_examples=False,
            api_name="chat",
        )
        gr.api(ask, api_name="ask")
    return demo
