"""Per-system output: each model translates the corpus; precomputed outputs are read per document.

Both give one line per source sentence (``None`` for sentences that are
not translated: links, bylines, copyright), independent of any other system.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from mteval.documents.corpus import DocumentPair
from mteval.documents.segment import Sentence
from mteval.errors import InputError

Progress = Callable[[str, int, int], None]


@dataclass
class DocumentWork:
    """One document pair on its way through the pipeline."""

    doc: DocumentPair
    source: list[Sentence]
    reference: list[Sentence]
    translations: dict[str, list[str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: DocumentPair) -> "DocumentWork":
        return cls(doc, doc.source_sentences(), doc.reference_sentences())


def translate_corpus(works: list[DocumentWork], name: str, translator, progress: Progress | None = None) -> None:
    """Translate every body sentence of the corpus with one system, in one batched call."""
    wanted = [s.text for work in works for s in work.source if s.role == "body"]
    done, reused = 0, 0

    def skip(count: int) -> None:  # sentences found in the cache or repeated: not part of the bar or its rate
        nonlocal reused
        reused = count

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(f"translate {name}", done, len(wanted) - reused)

    outputs = iter(translator.translate(wanted, progress=advance, reused=skip))
    for work in works:
        work.translations[name] = [next(outputs) if s.role == "body" else None for s in work.source]


def precomputed_lines(work: DocumentWork, name: str) -> list[str | None]:
    """A precomputed system's lines for one document: one per source sentence, or one per body sentence."""
    lines = work.doc.systems.get(name)
    if lines is None:
        raise InputError(f"System '{name}' has no output for document '{work.doc.doc_id}'.")
    if len(lines) == len(work.source):
        return [line if s.role == "body" else None for line, s in zip(lines, work.source)]
    body = [i for i, s in enumerate(work.source) if s.role == "body"]
    if len(lines) == len(body):
        out: list[str | None] = [None] * len(work.source)
        for i, line in zip(body, lines):
            out[i] = line
        return out
    raise InputError(
        f"System '{name}' has {len(lines)} lines for document '{work.doc.doc_id}', which has "
        f"{len(work.source)} source sentences ({len(body)} in the body); give one line per source sentence."
    )
