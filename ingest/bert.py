"""A mean-pooled BERT sentence model (the bundled all-MiniLM-L6-v2) run on plain torch, for bulk embedding.

Loading the model through sentence-transformers imports transformers' model code, which imports SciPy, sympy and
(through sentence-transformers) scikit-learn: some 3 s of CPU in every ingest process before it embeds a line,
three times what torch itself costs (docs/testing.md). This module computes what sentence-transformers computes for
such a model, op for op in the same order: the tokenizer from its tokenizer.json, transformers' ``BertModel``
forward (scaled-dot-product attention, the boolean padding mask it builds, the exact GELU), then sentence-
transformers' ``encode`` (batches of texts sorted by length, mean pooling, normalising twice). The vectors are
bit-identical to theirs (tests/test_embedding.py), so an index does not depend on which of the two built it.

Any other model, or a folder laid out otherwise, is loaded through sentence-transformers (``runs``).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional

# What a folder must hold for this module to run it as sentence-transformers would.
MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
           "sentence_transformers.models.Normalize"]
MEAN_POOLING = {"pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                "pooling_mode_mean_sqrt_len_tokens": False}


def runs(folder: Path) -> bool:
    """Whether ``folder`` holds a model this module computes exactly as sentence-transformers does: a BERT encoder
    (absolute positions, exact GELU), mean pooling, normalised, with a fast tokenizer and safetensors weights."""
    try:
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        config = json.loads((folder / "config.json").read_text())
        transformer = json.loads((folder / "sentence_bert_config.json").read_text())
        prompts = json.loads((folder / "config_sentence_transformers.json").read_text()).get("prompts")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return (modules == MODULES and all(pooling.get(k, False) == v for k, v in MEAN_POOLING.items())
            and config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute" and not config.get("is_decoder")
            # sentence-transformers lowercases or prefixes the texts itself when these ask it to
            and isinstance(transformer.get("max_seq_length"), int) and not transformer.get("do_lower_case")
            and not prompts
            and (folder / "tokenizer.json").is_file() and (folder / "model.safetensors").is_file())


class _Embeddings(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c.get("pad_token_id", 0))
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, input_ids, token_type_ids):
        positions = torch.arange(input_ids.shape[1]).unsqueeze(0)
        embedded = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(embedded + self.position_embeddings(positions))


class _Attention(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.heads = c["num_attention_heads"]
        self.head_size = c["hidden_size"] // self.heads
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, hidden, mask):
        shape = (*hidden.shape[:-1], -1, self.head_size)
        query, key, value = (layer(hidden).view(*shape).transpose(1, 2) for layer in (self.query, self.key, self.value))
        attended = functional.scaled_dot_product_attention(query, key, value, attn_mask=mask, dropout_p=0.0,
                                                           scale=self.head_size ** -0.5, is_causal=False)
        return attended.transpose(1, 2).contiguous().reshape(*hidden.shape[:-1], -1)


class _Output(nn.Module):
    """A dense layer, then the residual added and normalised."""

    def __init__(self, c: dict, inputs: int):
        super().__init__()
        self.dense = nn.Linear(inputs, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dense(hidden) + residual)


class _AttentionBlock(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.self = _Attention(c)
        self.output = _Output(c, c["hidden_size"])


class _Intermediate(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])


class _Layer(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.attention = _AttentionBlock(c)
        self.intermediate = _Intermediate(c)
        self.output = _Output(c, c["intermediate_size"])

    def forward(self, hidden, mask):
        attended = self.attention.output(self.attention.self(hidden, mask), hidden)
        return self.output(functional.gelu(self.intermediate.dense(attended)), attended)


class _Encoder(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c["num_hidden_layers"]))


class Bert(nn.Module):
    """BERT's encoder; its parameters are named as in the weights file, so they load as they are."""

    def __init__(self, config: dict):
        super().__init__()
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)

    def forward(self, input_ids, attention_mask, token_type_ids):
        """The last layer's token vectors. Padding is masked as transformers masks it for scaled-dot-product
        attention: no mask at all when no text is padded, else a boolean one per text over every query."""
        hidden = self.embeddings(input_ids, token_type_ids)
        mask = None
        if not bool(attention_mask.all()):
            batch, length = attention_mask.shape
            mask = attention_mask.bool()[:, None, None, :].expand(batch, 1, length, length).contiguous()
        for layer in self.encoder.layer:
            hidden = layer(hidden, mask)
        return hidden


class MeanPooledBert:
    """The model in a sentence-transformers folder that ``runs`` accepts, with the interface TorchEncoder uses."""

    pools_by_mean = True

    def __init__(self, folder: Path):
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.bert = Bert(config)
        weights = load_file(str(folder / "model.safetensors"))
        self.bert.load_state_dict({k: v for k, v in weights.items() if k in self.bert.state_dict()})
        self.dim = config["hidden_size"]
        self.pad_id = config.get("pad_token_id", 0)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])

    def to(self, dtype: torch.dtype) -> None:
        self.bert.to(dtype)

    def tokenize(self, texts: list[str]) -> dict[str, list]:
        """Each text's ``input_ids``, ``token_type_ids``, ``attention_mask`` and ``offset_mapping``, unpadded."""
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        return {"input_ids": [e.ids for e in encoded], "token_type_ids": [e.type_ids for e in encoded],
                "attention_mask": [e.attention_mask for e in encoded], "offset_mapping": [e.offsets for e in encoded]}

    def pad(self, features: dict[str, list]) -> dict[str, torch.Tensor]:
        """Token lists padded on the right to the longest, as tensors."""
        longest = max(len(ids) for ids in features["input_ids"])
        fill = {"input_ids": self.pad_id, "token_type_ids": 0, "attention_mask": 0}
        return {key: torch.tensor([row + [fill[key]] * (longest - len(row)) for row in features[key]])
                for key in fill}

    def token_embeddings(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.bert(features["input_ids"], features["attention_mask"], features["token_type_ids"])

    def encode(self, texts: list[str], batch_size: int) -> torch.Tensor:
        """Unit vectors of ``texts``: sentence-transformers' ``encode(normalize_embeddings=True)``, batches and all
        (a batch's padding changes a vector's last bits)."""
        order = np.argsort([-len(text) for text in texts])
        vectors: list[torch.Tensor] = []
        for start in range(0, len(texts), batch_size):
            features = self.pad(self.tokenize([texts[i] for i in order[start:start + batch_size]]))
            tokens = self.token_embeddings(features)
            mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * mask).sum(dim=1, dtype=torch.float32)
            mean = (summed / torch.clamp(mask.sum(dim=1, dtype=torch.float32), min=1e-9)).to(tokens.dtype)
            # Normalised by the model's last module, then again by encode.
            vectors.extend(functional.normalize(functional.normalize(mean, p=2, dim=-1), p=2, dim=1))
        return torch.stack([vectors[i] for i in np.argsort(order)])
