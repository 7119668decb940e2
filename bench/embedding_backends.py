"""Embedding speed: sentence-transformers on torch (float32, bfloat16) vs ONNX Runtime, by batch size and threads.

    .venv/bin/python bench/embedding_backends.py [--passages 600]

Prints passages/s (ingest) and the latency of one question (a query) for each, and the lowest cosine
between each backend's vectors and torch float32's of the same passage. bfloat16 only where the CPU has it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import load, percentiles, shared_data  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.embedder import Embedder, TorchEncoder, native_bfloat16  # noqa: E402
from ingest.onnx_encoder import OnnxEncoder  # noqa: E402
from ingest.splitting import split_passages  # noqa: E402
from qa.evaluation import load_squad  # noqa: E402


def texts(n: int) -> tuple[list[str], list[str]]:
    documents, gold = load_squad(shared_data("squad/dev-v1.1.json"))
    passages = [p.text for doc in documents[:8] for p in split_passages(doc)][:n]
    return passages, [q.question for q in gold[:200]]


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=600)
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    passages, questions = texts(args.passages)
    print(f"{len(passages)} SQuAD passages, {len(questions)} questions; {load()}")
    torch_model = Embedder(backend="torch")
    reference = torch_model.embed(passages)
    onnx_model = Embedder(backend="onnx")
    bfloat16_model = Embedder(backend="torch")
    bfloat16_model.encoder = TorchEncoder(bfloat16_model.location, bfloat16=True)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        onnx_model.encoder = OnnxEncoder(Path(settings.model_location(onnx_model.name)), threads)
        backends = {"torch": torch_model, "onnxruntime": onnx_model}
        if native_bfloat16():
            backends["torch bf16"] = bfloat16_model
        for name, model in backends.items():
            for batch_size in (16, 32, 64):
                started = time.perf_counter()
                vectors = model.embed(passages, batch_size)
                rate = len(passages) / (time.perf_counter() - started)
                agreement = float((vectors * reference).sum(1).min())
                print(f"{name:11s} threads {threads} batch {batch_size:3d}: {rate:6.1f} passages/s"
                      f"  (min cosine to torch {agreement:.5f})", flush=True)
            timings = []
            for question in questions:
                started = time.perf_counter()
                model.embed([question])
                timings.append(time.perf_counter() - started)
            print(f"{name:11s} threads {threads} one question: {percentiles(timings)}", flush=True)
    print(load())


if __name__ == "__main__":
    main()
