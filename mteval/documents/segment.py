"""Sentence segmentation of news articles in any language.

Lines first, then sentences. A line is a unit of its own when it is a
related-article link ("Baca juga:", "Related news:"), a byline ("Pewarta:",
"Translator:", "Editor:") or a copyright notice; those are never split.
Body lines are split Moses-style: at sentence-final punctuation followed by
space and an upper-case start, unless the token before the period is a
known abbreviation, an initial, or a numeric-only prefix before a number.
News copy also glues sentences together ("sistemnya.Karena"); a period
between a lower-case word and a capitalised word is a boundary too.

These rules are the project's own for Indonesian and English (measured on the
seed pair) and serve Malay too (:data:`OWN_RULES`). Every other language's
body lines are split by ``sentencex`` (about 300 languages, "。" included),
with one rule of ours on top: a single capital and a period ("M. Dupont")
is an initial, never a sentence end. Pre-split and line-parallel input is
never segmented, so any valid language code works there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

from mteval.documents import cldr
from mteval.documents.languages import base_language, standard_language

ROLES = ("body", "related_link", "byline", "copyright")
#: language -> the shipped non-breaking-prefix list its own rules use (Malay shares Indonesian's)
OWN_RULES = {"id": "id", "en": "en", "ms": "id"}


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
    rules = OWN_RULES[base_language(lang)]
    text = resources.files("mteval.data.nonbreaking_prefixes").joinpath(f"{rules}.txt").read_text("utf-8")
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
    """An InputError unless ``lang`` is a valid ISO 639 / BCP-47 code."""
    standard_language(lang)


def segmentation_rules(lang: str) -> str:
    """Which rules split body lines of ``lang``, as provenance names them."""
    base = base_language(lang)
    if base in OWN_RULES:
        return f"mteval rules ({OWN_RULES[base]})"
    return f"{_body_splitter(base)[0]} + joins"


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


def _ends_with_initial(span: str) -> bool:
    """A lone capital and a period ends ``span``: an initial ("M. Dupont"), not a sentence end."""
    token = span.rsplit(None, 1)[-1].lstrip(_OPENERS) if span.strip() else ""
    return len(token) == 2 and token[0].isupper() and token[1] == "."


@lru_cache(maxsize=1)
def _thai_splitter():
    """pythainlp's CRF sentence splitter (``pip install 'mteval[th]'``), or None: Thai marks no sentence end, so
    sentencex keeps a Thai line whole."""
    try:
        from pythainlp.tokenize import sent_tokenize
    except ImportError:
        return None
    return lambda line: sent_tokenize(line, engine="crfcut")


#: Khmer ends a sentence with khan "។" (or bariyoosan "៕"), which sentencex does not cut at
_KHMER_END = re.compile(r"(?<=[\u17d4\u17d5])")


def _body_splitter(lang: str) -> tuple[str, Callable[[str], list[str]]]:
    """The rules that cut a body line of ``lang`` (a base language without rules of ours) into sentences, as
    provenance names them, and the function that cuts (its pieces keep their spaces)."""
    thai = _thai_splitter() if lang == "th" else None
    if thai is not None:
        return f"pythainlp {_version('pythainlp')} (crfcut)", thai
    if lang == "km":
        return "mteval rules (km: a sentence ends at khan)", _KHMER_END.split
    import sentencex

    return f"sentencex {_version('sentencex')} ({lang})", lambda line: list(sentencex.segment(lang, line))


@lru_cache(maxsize=None)
def _version(package: str) -> str:
    from importlib import metadata

    return metadata.version(package)


def _split_body_pieces(line: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of one body line by sentencex (pythainlp for Thai when installed, khan for Khmer), cuts
    inside a sentence joined again."""
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in _body_splitter(lang)[1](line):
        if not piece:  # nothing between two cuts (khan at the end of a line)
            continue
        start = line.find(piece, position)
        if start < 0:  # the splitter changed the text: keep the line whole rather than guess offsets
            return [_strip_span(line)]
        position = start + len(piece)
        left = start + len(piece) - len(piece.lstrip())
        right = start + len(piece.rstrip())
        if right <= left:
            continue
        if spans and _no_sentence_end(line[spans[-1][0]:spans[-1][1]], line[left:right], lang):
            spans[-1] = (spans[-1][0], right)
        else:
            spans.append((left, right))
    return spans or [_strip_span(line)]


def _no_sentence_end(before: str, after: str, lang: str) -> bool:
    """Whether sentencex's cut between ``before`` and ``after`` falls inside a sentence: after an initial; in
    a figure ("５．３％", a full-width point); before a lower-case letter, which no sentence starts with ("45
    млрд. долл."); between a day written as an ordinal and its month ("am 3. Mai", German and Nordic usage);
    between an abbreviated month and a figure ("1er janv. 2020")."""
    if _ends_with_initial(before):
        return True
    if before[-1:] in ".．" and before[-2:-1].isdigit() and after[:1].isdigit():
        return True
    first = after.split(None, 1)[0] if after.strip() else ""
    if first[:1].islower() and first.islower():  # "iPhone", "eBay" may open one
        return True
    if re.search(r"(?<!\d)\d{1,2}\.$", before):
        word = re.match(r"\w+", after)
        return bool(word) and cldr.fold(word.group(0)) in cldr.month_names(base_language(lang))
    abbreviation = re.search(r"(?<!\w)(\w+)\.$", before)
    # a figure after an abbreviated month is its year or day ("1er janv. 2020", "1 de ene. 2020")
    return bool(abbreviation) and after[:1].isdigit() and (
        cldr.fold(abbreviation.group(1)) in cldr.month_abbreviations(base_language(lang)))


#: how a document's input was cut, and the rules named for its sides when no splitter ran
_CUT_RULES = {"line-parallel": "one segment per line (line-parallel)",
              "line-parallel, roles inferred": "one segment per line (line-parallel), roles inferred",
              "pre-split": "one sentence per line (pre-split)"}


def segmentation_provenance(documents) -> dict[str, object]:
    """Which rules split each side of ``documents`` (DocumentPair-like: languages, presplit, line_parallel), and
    how the input was cut (``cuts``: split into sentences, pre-split, line-parallel with or without roles)."""
    record: dict[str, dict[str, str]] = {"source": {}, "reference": {}}
    cuts: set[str] = set()
    for doc in documents:
        cut = (("line-parallel, roles inferred" if doc.line_roles else "line-parallel") if doc.line_parallel
               else "pre-split" if doc.presplit else "split into sentences")
        cuts.add(cut)
        for side, lang in (("source", doc.source_lang), ("reference", doc.reference_lang)):
            record[side].setdefault(lang, _CUT_RULES.get(cut) or segmentation_rules(lang))
    return {"splitter": "mteval.documents.segment", **record, "cuts": sorted(cuts)}


def split_document(text: str, lang: str) -> list[Sentence]:
    """Split normalised article text into sentences with roles and offsets."""
    base = base_language(lang)
    split_body = _split_body if base in OWN_RULES else _split_body_pieces
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
        spans = split_body(line, base) if role == "body" else [_strip_span(line)]
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


def line_segments(text: str, *, infer_roles: bool = False) -> list[Sentence]:
    """Every line is one segment, empty ones too (line-parallel input, as sacrebleu reads it).

    Roles are inferred only when asked: in line-parallel files a line that
    starts "Editor:" is a segment to score like any other.
    """
    sentences: list[Sentence] = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        end = len(line.rstrip())
        role = line_role(line) if infer_roles else "body"
        sentences.append(Sentence(line[:end], role, offset, offset + end, index))
        offset += len(line) + 1
    return sentences


def _strip_span(line: str) -> tuple[int, int]:
    left = len(line) - len(line.lstrip())
    return left, len(line.rstrip())
