"""The one table of settings: complete, documented, read when asked for, and a bad value told in one line."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from ingest import settings


def test_docs_show_the_table_as_the_code_has_it():
    assert settings.markdown_table() in (ROOT / "docs" / "settings.md").read_text()


def test_every_variable_the_code_reads_is_in_the_table():
    code = [p for d in ("ingest", "qa", "web") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    named = {name for p in code for name in re.findall(r"\b(QA_[A-Z0-9_]+)\b", p.read_text())}
    assert named - set(settings.VARIABLES) == set()


def test_values_are_read_when_asked_for(monkeypatch):
    monkeypatch.setenv("QA_EXACT_SEARCH_MAX", "7")
    monkeypatch.setenv("QA_ANSWERS_AT_ONCE", "3")
    assert (settings.exact_search_max(), settings.answers_at_once()) == (7, 3)
    monkeypatch.delenv("QA_ANSWERS_AT_ONCE")
    assert settings.answers_at_once() >= 1


@pytest.mark.parametrize("name, value", [("QA_PORT", "web"), ("QA_ANSWERS_AT_ONCE", "0"),
                                         ("QA_MAX_UPLOAD_MB", "lots"), ("QA_EMBED_BACKEND", "gpu")])
def test_a_bad_value_names_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(settings.SettingError, match=name):
        settings.configure_process()


def test_importing_the_code_sets_no_environment():
    """Only entry points set the process's environment; importing the modules that load the model sets nothing."""
    code = ("import os; before = dict(os.environ); import ingest.embedder, ingest.index, qa.pipeline, web.chat, app;"
            " print(sorted(set(os.environ.items()) - set(before.items())))")
    env = {k: v for k, v in os.environ.items() if k not in settings.PROCESS_ENVIRONMENT}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_commands_refuse_a_bad_setting_in_one_line(tmp_path):
    from conftest import INGEST

    out = subprocess.run([INGEST, "list", "--index", str(tmp_path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "QA_EXACT_SEARCH_MAX": "many"})
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["error: QA_EXACT_SEARCH_MAX must be a whole number of at least 0, not 'many'"]
    app = subprocess.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "QA_PORT": "web"})
    assert app.returncode == 1
    assert app.stderr.strip() == "Report Q&A cannot start: QA_PORT must be a whole number of at least 1, not 'web'"
