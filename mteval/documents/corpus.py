"""Document pairs (an original and its human version) and corpora of them."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from mteval.errors import InputError
from mteval.documents.languages import standard_language
from mteval.documents.overlong import overlong_warning, split_overlong
from mteval.documents.segment import Sentence, line_segments, split_document, split_lines
from mteval.documents.text import has_visible_text, is_text, normalise


@dataclass
class DocumentPair:
    """One story: the source-language original and the human reference version.

    ``source`` and ``reference`` are normalised (see :func:`mteval.documents.text.normalise`);
    the texts as read stay in ``source_original`` / ``reference_original``.
    ``systems`` maps a system name to its output, one line per source sentence.
    ``presplit`` means one sentence per line; ``line_parallel`` adds that line
    *i* of the source is paired with line *i* of the reference (sacrebleu's
    line-parallel files), so no alignment is needed: every line is a segment,
    kept as read (sacrebleu scores the lines as they are), and roles (links,
    bylines) are inferred only with ``line_roles``. ``extra_references`` are
    further reference streams of line-parallel input (multi-reference scoring).
    """

    doc_id: str
    source: str
    reference: str
    source_lang: str = "id"
    reference_lang: str = "en"
    systems: dict[str, list[str]] = field(default_factory=dict)
    presplit: bool = False
    line_parallel: bool = False
    line_roles: bool = False
    extra_references: list[list[str]] = field(default_factory=list)
    source_original: str | None = None
    reference_original: str | None = None
    origin: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_texts(
        cls,
        doc_id: str,
        source: str,
        reference: str,
        *,
        source_lang: str = "id",
        reference_lang: str = "en",
        systems: dict[str, Sequence[str] | str] | None = None,
        presplit: bool = False,
        line_parallel: bool = False,
        line_roles: bool = False,
        extra_references: Sequence[Sequence[str]] = (),
        origin: dict[str, str] | None = None,
    ) -> "DocumentPair":
        """Build a pair from raw texts, normalising them once (line-parallel texts stay as read)."""
        prepare = _as_read if line_parallel else normalise
        for what, text in (("document id", str(doc_id)), ("source", source), ("reference", reference)):
            if not is_text(text):
                raise InputError(f"Document '{_shown(doc_id)}': the {what} holds a lone surrogate (such as \\ud800), "
                                 "which is not text.")
        outputs = {name: system_lines(name, doc_id, value, line_parallel) for name, value in (systems or {}).items()}
        if extra_references and not line_parallel:
            raise InputError(
                f"Document '{doc_id}': several references are supported for line-parallel input only; "
                "give one reference per document."
            )
        return cls(
            doc_id=str(doc_id),
            source=prepare(source),
            reference=prepare(reference),
            source_lang=standard_language(source_lang),
            reference_lang=standard_language(reference_lang),
            systems=outputs,
            presplit=presplit or line_parallel,
            line_parallel=line_parallel,
            line_roles=line_roles,
            extra_references=[list(stream) for stream in extra_references],
            source_original=source,
            reference_original=reference,
            origin=dict(origin or {}),
        )

    def source_sentences(self) -> list[Sentence]:
        return self._sentences(self.source, self.source_lang)

    def reference_sentences(self) -> list[Sentence]:
        return self._sentences(self.reference, self.reference_lang)

    def _sentences(self, text: str, lang: str, *, bounded: bool = True) -> list[Sentence]:
        if self.line_parallel:
            # Line-parallel lines stay whole, as line i is paired with line i (TER caps their cost when scored).
            return line_segments(text, infer_roles=self.line_roles)
        sentences = split_lines(text) if self.presplit else split_document(text, lang)
        return split_overlong(sentences) if bounded else sentences

    def segmentation_warnings(self) -> list[str]:
        """A warning per side whose overlong sentences were cut (see :mod:`mteval.documents.overlong`)."""
        if self.line_parallel:
            return []
        found = (
            overlong_warning(self._sentences(text, lang, bounded=False), what=f"document '{self.doc_id}', {side} side")
            for side, text, lang in (("source", self.source, self.source_lang),
                                     ("reference", self.reference, self.reference_lang))
        )
        return [warning for warning in found if warning]

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        extra = ["\n".join(stream) for stream in self.extra_references]  # none: the one-reference fingerprint
        for part in (self.doc_id, self.source_lang, self.reference_lang, self.source, self.reference, *extra):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()


def _shown(doc_id: object) -> str:
    """``doc_id`` printable even when it holds a lone surrogate."""
    return str(doc_id).encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")


def _origin(doc: DocumentPair) -> str:
    """Where a document was read from, as its loader recorded it ("x.jsonl, line 3"), or ""."""
    return doc.origin.get("record") or doc.origin.get("source", "")


def _as_read(text: str) -> str:
    """Line-parallel text: only line ends unified, every line (empty ones too) kept as it is."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def output_lines(lines: Sequence[str], *, line_parallel: bool = False) -> list[str]:
    """A system's output lines kept as its document's texts are: normalised, or as read when line-parallel (so the
    same output scores the same whether it comes from a file, a corpus record or a list)."""
    return list(lines) if line_parallel else [normalise(line) for line in lines]


def system_lines(name: str, doc_id: str, value: Sequence[str] | str, line_parallel: bool) -> list[str]:
    """A system's output for one document (text or a list of lines), checked and kept as :func:`output_lines`."""
    if isinstance(value, str):
        if not (value.strip() if line_parallel else has_visible_text(value)):
            return []
        lines = _as_read(value).split("\n") if line_parallel else normalise(value).split("\n")
    else:
        if value is None:  # a datasets corpus fills a system that a row lacks with None
            raise InputError(f"System '{name}' has no output for document '{doc_id}' (null); every document that "
                             "names a system needs its output.")
        if not isinstance(value, Sequence) or not all(isinstance(line, str) for line in value):
            raise InputError(f"System '{name}' output for document '{doc_id}' must be text or a list of strings, "
                             f"not {type(value).__name__}.")
        lines = output_lines(value, line_parallel=line_parallel)
    if not all(is_text(line) for line in lines):
        raise InputError(f"System '{name}': a line holds a lone surrogate (such as \\ud800), which is not text "
                         f"(document '{_shown(doc_id)}').")
    return lines


@dataclass
class Corpus:
    """An ordered collection of document pairs with unique ids."""

    documents: list[DocumentPair]
    inputs: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        seen: dict[str, DocumentPair] = {}
        for doc in self.documents:
            if doc.doc_id in seen:
                places = [_origin(d) for d in (seen[doc.doc_id], doc)]
                where = f" ({places[0]} and {places[1]})" if all(places) else ""
                raise InputError(f"Document id '{doc.doc_id}' appears twice{where}; ids must be unique.")
            seen[doc.doc_id] = doc

    def __iter__(self) -> Iterator[DocumentPair]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, doc_id: str) -> DocumentPair:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(doc_id)

    @property
    def system_names(self) -> list[str]:
        names: list[str] = []
        for doc in self.documents:
            names.extend(name for name in doc.systems if name not in names)
        return names

    def fingerprint(self) -> str:
        """Identity of the test set: ids, languages and normalised texts."""
        digest = hashlib.sha256()
        for doc in self.documents:
            digest.update(doc.fingerprint().encode("ascii"))
        return digest.hexdigest()
