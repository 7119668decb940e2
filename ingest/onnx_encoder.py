"""all-MiniLM-L6-v2 on ONNX Runtime: the same vectors as sentence-transformers (cosine 1.00000 on SQuAD
passages, bench/embedding_backends.py), a question in ~3 ms instead of ~10-100 ms on torch, and no torch
import at start-up.

The ONNX file is exported once, offline, from the bundled model folder (torch.onnx.export of its BERT
transformer) into the cache directory, and reused from then on. sentence-transformers' own
``backend="onnx"`` would need optimum, whose ONNX package pins transformers below what this project runs.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from . import settings


def exported_model(folder: Path) -> Path:
    """The ONNX file of the model in ``folder``, exported on first use (about 20 s) and cached."""
    path = settings.cache_dir() / "onnx" / f"{folder.name}-{_fingerprint(folder)}.onnx"
    if not path.exists():
        _export(folder, path)
    return path


def _fingerprint(folder: Path) -> str:
    """Changes when the weights do, so an upgraded model package is exported anew."""
    weights = folder / "model.safetensors"
    stat = weights.stat()
    return f"{stat.st_size:x}{int(stat.st_mtime):x}"


def _export(folder: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(folder).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # renamed into place whole: a concurrent start never reads half a file
    dummy = torch.ones((2, 16), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(LastHiddenState(), (dummy, dummy, torch.zeros_like(dummy)), str(tmp), dynamo=False,
                          opset_version=17, input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["hidden"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "hidden": axes})
    os.replace(tmp, path)


def supports(folder: Path) -> bool:
    """A BERT-style sentence-transformers folder with a fast tokenizer and mean pooling, which this class mirrors."""
    pooling = folder / "1_Pooling" / "config.json"
    return (folder / "tokenizer.json").is_file() and pooling.is_file() and json.loads(pooling.read_text()).get(
        "pooling_mode_mean_tokens", False)


class OnnxEncoder:
    """The exported transformer, then mean pooling over real tokens and L2 normalisation."""

    def __init__(self, folder: Path, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread: a question took 5 ms on one and 16 ms on two, and batches were no faster on two
        # (bench/embedding_backends.py); the app's other requests get the second core.
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(str(exported_model(folder)), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        max_tokens = json.loads((folder / "sentence_bert_config.json").read_text()).get("max_seq_length", 256)
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()
        self.dim = int(json.loads((folder / "1_Pooling" / "config.json").read_text())["word_embedding_dimension"])

    def embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        # Sorted by length so each batch pads little, as sentence-transformers does; returned in input order.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chunk = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            out[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out
