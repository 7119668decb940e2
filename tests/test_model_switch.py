"""`ingest rebuild` with another embedding model while the app runs: the app's next answer embeds the question with
the model the index now holds, though the app was started configured with the old one."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, ingest
from ingest import settings
from ingest.onnx_encoder import exported_model
from qa.pipeline import QAPipeline
from running_app import running_app

QUESTION = "What obstacles hinder cooperation in space?"


def smaller_model(folder: Path) -> Path:
    """Another model, made offline: the bundled one cut to its first three transformer layers."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(settings.model_location(settings.BUNDLED_MODEL), device="cpu")
    bert = model[0].auto_model
    bert.encoder.layer = bert.encoder.layer[:3]
    bert.config.num_hidden_layers = 3
    model.save(str(folder))
    return folder


@pytest.mark.slow
def test_the_running_app_answers_with_the_model_of_a_rebuild(scratch_index, tmp_path, monkeypatch):
    from gradio_client import Client

    other = str(smaller_model(tmp_path / "minilm-3-layers"))
    cache = {"QA_CACHE_DIR": str(tmp_path / "cache")}  # the smaller model's ONNX export, apart from the real one's
    # The bundled model's export, made by the install, linked in: the app would otherwise export it anew (about
    # 20 s) before it serves. The smaller model's is made where the test makes it, by the rebuild.
    bundled = exported_model(Path(settings.model_location(settings.BUNDLED_MODEL)))
    (tmp_path / "cache" / "onnx").mkdir(parents=True)
    (tmp_path / "cache" / "onnx" / bundled.name).symlink_to(bundled)
    monkeypatch.setenv("QA_CACHE_DIR", cache["QA_CACHE_DIR"])
    with running_app(scratch_index, tmp_path / "app.log", cache) as url:
        client = Client(url, verbose=False)
        before = client.predict(QUESTION, [], api_name="/ask")
        rebuilt = ingest("rebuild", "--corpus", str(CORPUS), index=scratch_index, env={"QA_EMBED_MODEL": other, **cache})
        assert rebuilt.returncode == 0, rebuilt.stderr
        after = client.predict(QUESTION, [], api_name="/ask")
        served = client.predict(QUESTION, [], api_name="/ask")  # and the one after that, from the same model

    expected = QAPipeline(scratch_index).ask(QUESTION)  # configured with the bundled model, it follows the index
    assert expected.citations, expected
    assert after["citations"][0]["score"] == pytest.approx(expected.citations[0].score, abs=1e-3)
    assert served["citations"][0]["score"] == after["citations"][0]["score"]
    # Had the app kept embedding questions with the bundled model, its scores would be those of `before`.
    assert abs(after["citations"][0]["score"] - before["citations"][0]["score"]) > 1e-2
