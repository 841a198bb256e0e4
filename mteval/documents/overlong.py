"""Overlong "sentences" cut into bounded pieces before alignment, embedding and translation.

A line without sentence punctuation (a table flattened into one line, a
scraped page, hostile input) comes out of segmentation as one sentence of
any length; every later stage costs more than linearly in a sentence's
length (the embedder, the translation model, TER's edit distance), so one
1 MB line could take hours. :func:`split_overlong` cuts every sentence
longer than :data:`MAX_SENTENCE_CHARS` at its last clause boundary (``,``
``;`` ``:`` or a dash, followed by a space) in the second half of each
window, else at its last space there, else hard at the limit; each piece
keeps the sentence's role and paragraph and gets its own offsets. The work
is linear in the text's length. :func:`overlong_warning` says which
document was cut, so that the user knows.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Sequence

from mteval.documents.segment import Sentence

# The longest sentence of the PANL (id/en) and Text+Berg (de/fr) dev data has 686 characters; a piece
# of 1,000 characters is about 250 subword tokens, what a Marian model reads with --max-length 256.
MAX_SENTENCE_CHARS = 1000
_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]\s")


def split_overlong(sentences: Sequence[Sentence], limit: int = MAX_SENTENCE_CHARS) -> list[Sentence]:
    """``sentences`` with every one longer than ``limit`` characters cut into pieces of at most ``limit``."""
    out: list[Sentence] = []
    for sentence in sentences:
        if len(sentence.text) <= limit:
            out.append(sentence)
            continue
        for start, end in _pieces(sentence.text, limit):
            out.append(replace(sentence, text=sentence.text[start:end], start=sentence.start + start,
                               end=sentence.start + end))
    return out


def overlong_warning(sentences: Sequence[Sentence], *, what: str, limit: int = MAX_SENTENCE_CHARS) -> str | None:
    """One sentence naming ``what`` (e.g. "document 'x', source side") when any sentence is over ``limit``."""
    lengths = [len(s.text) for s in sentences if len(s.text) > limit]
    if not lengths:
        return None
    count = f"{len(lengths)} sentence{'s' if len(lengths) > 1 else ''}"
    return (
        f"{what}: {count} longer than {limit:,} characters (the longest {max(lengths):,}) "
        f"{'were' if len(lengths) > 1 else 'was'} cut at clause boundaries or spaces into pieces of at most "
        f"{limit:,} characters, so that alignment, embedding and translation stay bounded."
    )


def _pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """Spans (start, end) of at most ``limit`` characters covering ``text``, leading and trailing spaces dropped."""
    spans: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while position < length:
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            break
        cut = length if length - position <= limit else _cut(text, position, limit)
        end = cut
        while end > position and text[end - 1].isspace():
            end -= 1
        if end > position:
            spans.append((position, end))
        position = cut
    return spans


def _cut(text: str, position: int, limit: int) -> int:
    """Where the piece starting at ``position`` ends: a clause boundary, else a space, else the limit."""
    window = text[position : position + limit]
    half = limit // 2
    clause = None
    for match in _CLAUSE_END.finditer(window, half):
        clause = match
    if clause is not None:
        return position + clause.start() + 1 if window[clause.start()] in ",;:" else position + clause.start()
    space = max(window.rfind(" ", half), window.rfind("\t", half))
    if space > 0:
        return position + space
    cut = position + limit
    while cut > position + 1 and unicodedata.combining(text[cut]):  # keep an accent with its letter
        cut -= 1
    return cut
