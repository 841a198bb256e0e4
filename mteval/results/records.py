"""The typed records of an evaluation run, and the one :class:`Results` type that holds them.

Data flows one way: documents → pair audit (once per pair: beads,
divergences, the parallel part) → per-system work (translations, MT errors,
segment and corpus scores) → these records. Dicts appear only at the JSON
boundary (``to_dict``/``from_dict``, in :mod:`mteval.results.schema`).

Per document a :class:`DocumentResult` holds the sentences, the pair's
:class:`~mteval.pair_audit.records.Audit`, one :class:`Segment` per bead
(shared by every system: the same beads, the same parallel flag) and one
:class:`SystemDocument` per system (its translations, its MT errors, its
per-document scores). The corpus level holds one :class:`SystemScores` per
system.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from mteval.documents.segment import Sentence
from mteval.metrics.base import metric_info
from mteval.metrics.lexical import MetricScore
from mteval.pair_audit.records import Audit, Divergence

PARTS = ("whole", "parallel")


def check_part(part: str) -> str:
    """``part`` if it names a part, else a ValueError naming the parts."""
    if part not in PARTS:
        raise ValueError(f"Unknown part '{part}'; choose one of {', '.join(PARTS)}.")
    return part


LEVELS = ("corpus", "document", "bead", "divergence", "significance")


@dataclass
class Segment:
    """One bead of a document: what is scored, for every system alike."""

    bead: int
    source_ids: tuple[int, ...]
    reference_ids: tuple[int, ...]
    role: str
    parallel: bool
    source: str
    reference: str
    hypotheses: dict[str, str] = field(default_factory=dict)  # system -> output for this bead (body beads)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> metric -> segment score
    extra_references: list[str] = field(default_factory=list)  # line-parallel multi-reference input only

    def reference_streams(self) -> list[str]:
        return [self.reference, *self.extra_references]

    def in_part(self, part: str) -> bool:
        return check_part(part) == "whole" or self.parallel


@dataclass
class SystemDocument:
    """One system's work on one document."""

    translations: list[str | None]  # one per source sentence; None where not translated (links, bylines)
    mt_errors: list[Divergence] = field(default_factory=list)
    scores: dict[str, dict[str, MetricScore]] = field(default_factory=dict)  # part -> metric -> score


@dataclass
class DocumentResult:
    doc_id: str
    source_lang: str
    reference_lang: str
    origin: dict[str, Any]
    warnings: list[str]
    source_sentences: list[Sentence]
    reference_sentences: list[Sentence]
    audit: Audit
    segments: list[Segment]
    systems: dict[str, SystemDocument] = field(default_factory=dict)

    def divergences(self) -> list[Divergence]:
        """The pair's divergences, then every system's MT errors."""
        return list(self.audit.divergences) + [e for s in self.systems.values() for e in s.mt_errors]


@dataclass
class SystemScores:
    """Corpus scores of one system: ``parts[part][metric]``."""

    parts: dict[str, dict[str, MetricScore]] = field(default_factory=lambda: {part: {} for part in PARTS})

    def get(self, metric: str, part: str = "whole") -> MetricScore | None:
        return self.parts.get(part, {}).get(metric)


@dataclass
class Skipped:
    """A stage that did not run, and why."""

    stage: str
    reason: str
    system: str | None = None
    metric: str | None = None


@dataclass(repr=False)
class Results:
    """Everything a run produced. The notebook view is ``mteval.explore(results)`` (in the report layer)."""

    provenance: dict[str, Any]
    corpus: dict[str, SystemScores] = field(default_factory=dict)
    # a list, or (a streamed run) a sequence read lazily from results.jsonl (mteval.results.stream.StreamedDocuments)
    documents: Sequence[DocumentResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    significance: dict[str, Any] | None = None

    def __repr__(self) -> str:
        skipped = f", {len(self.skipped)} skipped stage(s)" if self.skipped else ""
        return (f"<mteval Results: {len(self.documents)} document(s), systems {_listing(self.corpus)}{skipped}>")

    # -- access -----------------------------------------------------------
    @property
    def systems(self) -> list[str]:
        return list(self.corpus)

    def document(self, doc_id: str) -> DocumentResult:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(f"No document '{doc_id}' in these results; they hold {_listing(d.doc_id for d in self.documents)}.")

    def system_scores(self, system: str) -> SystemScores:
        if system not in self.corpus:
            raise KeyError(f"No system '{system}' in these results; they hold {_listing(self.corpus)}.")
        return self.corpus[system]

    def score(self, system: str, metric: str, part: str = "whole") -> float | None:
        """The corpus score; None only when that metric was not computed for that part (see ``skipped``)."""
        metric_info(metric)
        check_part(part)
        entry = self.system_scores(system).get(metric, part)
        return None if entry is None else entry.score

    def iter_segments(self) -> Iterator[tuple[DocumentResult, Segment]]:
        for doc in self.documents:
            for segment in doc.segments:
                yield doc, segment

    def segment_scores(self, system: str, metric: str, part: str = "whole") -> list[float]:
        """Scores of every scored segment of ``system``, in corpus order."""
        return [
            segment.scores[system][metric]
            for _, segment in self.iter_segments()
            if segment.in_part(part) and metric in segment.scores.get(system, {})
        ]

    # -- JSON and tables ----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        from mteval.results.schema import results_to_dict

        return results_to_dict(self)

    def to_json(self, path=None, *, indent: int | None = 1) -> str:
        from mteval.results.schema import write_json

        return write_json(self, path, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "results") -> "Results":
        from mteval.results.schema import results_from_dict

        return results_from_dict(data, source=source)

    @classmethod
    def from_json(cls, path) -> "Results":
        from mteval.results.schema import read_json

        return read_json(path)

    def to_pandas(self, level: str = "corpus"):
        """A DataFrame of one level: corpus, document, bead (segment), divergence or significance."""
        from mteval.results.tables import to_pandas

        return to_pandas(self, level)


def _listing(names) -> str:
    names = list(names)
    return ", ".join(f"'{n}'" for n in names) if names else "none"
