"""Sentence segmentation for Indonesian and English news articles.

Lines first, then sentences. A line is a unit of its own when it is a
related-article link ("Baca juga:", "Related news:"), a byline ("Pewarta:",
"Translator:", "Editor:") or a copyright notice; those are never split.
Body lines are split Moses-style: at sentence-final punctuation followed by
space and an upper-case start, unless the token before the period is a
known abbreviation, an initial, or a numeric-only prefix before a number.
News copy also glues sentences together ("sistemnya.Karena"); a period
between a lower-case word and a capitalised word is a boundary too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mteval.errors import InputError

ROLES = ("body", "related_link", "byline", "copyright")
SUPPORTED_LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with where it sits in the normalised text."""

    text: str
    role: str = "body"
    start: int = 0
    end: int = 0
    paragraph: int = 0


_ROLE_PATTERNS = (
    ("related_link", re.compile(r"^(baca juga|related news|read also|lihat juga|simak juga|berita terkait)\s*:", re.I)),
    ("byline", re.compile(r"^(pewarta|penulis|reporter|translator|penerjemah|editor|redaktur|writer)\s*:", re.I)),
    ("copyright", re.compile(r"^(copyright\b|©|\(c\)\s|hak cipta\b)", re.I)),
)

# An opening quote or bracket may precede the capital that starts a sentence.
_OPENERS = "\"'“‘«(["
_CLOSERS = "\"'”’»)]"
_BOUNDARY = re.compile(
    r"(?P<punct>[.?!…]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?P<space>\s+)(?=[" + re.escape(_OPENERS) + r"]*[A-Z0-9])"
)
# "sistemnya.Karena": lower-case word, period, capitalised word, no space.
_GLUED = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
_TOKEN_BEFORE = re.compile(r"(\S+)$")


def line_role(line: str) -> str:
    """The role of one line of an article: body, related_link, byline or copyright."""
    stripped = line.strip()
    for role, pattern in _ROLE_PATTERNS:
        if pattern.match(stripped):
            return role
    return "body"


@lru_cache(maxsize=None)
def nonbreaking_prefixes(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(always, numeric_only) abbreviation sets shipped for ``lang``."""
    check_language(lang)
    text = resources.files("mteval.data.nonbreaking_prefixes").joinpath(f"{lang}.txt").read_text("utf-8")
    always: set[str] = set()
    numeric: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        token, _, marker = line.partition(" ")
        (numeric if "#NUMERIC_ONLY#" in marker else always).add(token)
    return frozenset(always), frozenset(numeric)


def check_language(lang: str) -> None:
    if lang not in SUPPORTED_LANGUAGES:
        raise InputError(
            f"Unknown language code '{lang}': sentence splitting supports {', '.join(SUPPORTED_LANGUAGES)}."
        )


def _is_abbreviation(before: str, following: str, lang: str) -> bool:
    always, numeric = nonbreaking_prefixes(lang)
    match = _TOKEN_BEFORE.search(before)
    if not match:
        return False
    token = match.group(1).lstrip(_OPENERS)
    if token in always:
        return True
    # Initials and dotted abbreviations: "B.J. Habibie", "U.S."
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Z]", token):
        return True
    return token in numeric and following[:1].isdigit()


def _split_body(line: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within one body line."""
    cuts: list[int] = []
    for match in _GLUED.finditer(line):
        cuts.append(match.end())
    for match in _BOUNDARY.finditer(line):
        # Only the few characters before and after the period matter; slicing the whole line made long lines quadratic.
        if match.group("punct").endswith(".") and _is_abbreviation(
            line[max(0, match.start() - 64) : match.start()], line[match.end() : match.end() + 1], lang
        ):
            continue
        cuts.append(match.start("space"))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(set(cuts)) + [len(line)]:
        piece = line[start:cut]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            spans.append((start + left, start + right))
        start = cut
    return spans


def split_document(text: str, lang: str) -> list[Sentence]:
    """Split normalised article text into sentences with roles and offsets."""
    check_language(lang)
    sentences: list[Sentence] = []
    paragraph = -1
    previous_blank = True
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            paragraph += 1
        previous_blank = False
        role = line_role(line)
        spans = _split_body(line, lang) if role == "body" else [_strip_span(line)]
        for start, end in spans:
            sentences.append(
                Sentence(line[start:end], role, line_start + start, line_start + end, paragraph)
            )
    return sentences


def split_lines(text: str) -> list[Sentence]:
    """One sentence per non-empty line (pre-split input); roles still detected."""
    sentences: list[Sentence] = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        if line.strip():
            start, end = _strip_span(line)
            sentences.append(Sentence(line[start:end], line_role(line), line_start + start, line_start + end, index))
    return sentences


def _strip_span(line: str) -> tuple[int, int]:
    left = len(line) - len(line.lstrip())
    return left, len(line.rstrip())
