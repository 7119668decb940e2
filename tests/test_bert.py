"""Which model folders ingest/bert.py runs itself: only those it computes exactly as sentence-transformers does;
any other model is loaded through sentence-transformers (tests/test_embedding.py compares the vectors)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from ingest import bert, settings

BUNDLED = settings.model_location(settings.BUNDLED_MODEL)


@pytest.fixture
def folder(tmp_path):
    """The bundled model's folder, its configuration copied and its weights linked."""
    copy = tmp_path / "model"
    shutil.copytree(BUNDLED, copy, ignore=shutil.ignore_patterns("model.safetensors"))
    (copy / "model.safetensors").symlink_to(f"{BUNDLED}/model.safetensors")
    return copy


def _edit(path, **changes):
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_the_bundled_model_is_run_on_plain_torch(folder):
    assert bert.runs(folder)


@pytest.mark.parametrize("file, changes", [
    ("1_Pooling/config.json", {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}),
    ("1_Pooling/config.json", {"pooling_mode_max_tokens": True}),
    ("config.json", {"model_type": "roberta"}),
    ("config.json", {"hidden_act": "gelu_new"}),
    ("config.json", {"position_embedding_type": "relative_key"}),
    ("config.json", {"is_decoder": True}),
    ("sentence_bert_config.json", {"do_lower_case": True}),
    ("config_sentence_transformers.json", {"prompts": {"query": "query: "}}),
])
def test_a_model_computed_otherwise_is_left_to_sentence_transformers(folder, file, changes):
    _edit(folder / file, **changes)
    assert not bert.runs(folder)


def test_a_folder_without_normalisation_or_fast_tokenizer_is_left_to_sentence_transformers(folder):
    modules = json.loads((folder / "modules.json").read_text())
    (folder / "modules.json").write_text(json.dumps(modules[:2]))
    assert not bert.runs(folder)
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "tokenizer.json").unlink()
    assert not bert.runs(folder)


def test_a_model_name_rather_than_a_folder_is_left_to_sentence_transformers(tmp_path):
    assert not bert.runs(tmp_path / "sentence-transformers" / "all-mpnet-base-v2")


@pytest.mark.slow
def test_an_ingest_process_embeds_without_importing_transformers_scipy_or_scikit_learn():
    """They cost an ingest job some 3 s of CPU before its first line (docs/testing.md)."""
    probe = ("import sys; from ingest.embedder import Embedder; Embedder().embed_bulk(['The budget rose.']); "
             "print(sorted(m for m in ('sentence_transformers', 'transformers', 'scipy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
