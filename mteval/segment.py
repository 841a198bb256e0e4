"""Sentence segmentation for news articles (filled in below)."""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("body", "related_link", "byline", "copyright")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with where it sits in the normalised text."""

    text: str
    role: str = "body"
    start: int = 0
    end: int = 0
    paragraph: int = 0
