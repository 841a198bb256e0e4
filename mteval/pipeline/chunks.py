"""One chunk of documents through every per-document stage, and the cutting of a corpus into chunks.

A chunk's work is everything that needs only its own documents: each
system's output, the pair audit, the editor's review, the document records,
each system's segment and per-document scores (lexical, MT errors, COMET in
one call for all systems) and the per-segment sufficient statistics that the
corpus scores are computed from at the end (:mod:`mteval.pipeline.segment_table`).
The same function serves the in-memory run, a streamed run and each Ray
worker, so they compute the same records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np

from mteval.documents.corpus import DocumentPair
from mteval.documents.language_check import language_warnings
from mteval.pair_audit.records import Audit
from mteval.pair_audit.review import apply_review
from mteval.pipeline import scoring
from mteval.pipeline.settings import EvaluationSettings
from mteval.pipeline.systems import DocumentWork, Progress, precomputed_lines, translate_corpus
from mteval.pipeline.timing import StageClock
from mteval.results.records import DocumentResult, Segment, SystemDocument
from mteval.systems.mt_checks import mt_errors

#: documents per chunk: large enough for full translation and COMET batches, small enough to bound memory
DEFAULT_CHUNK_SIZE = 64


@dataclass
class Chunk:
    start: int  # position of the chunk's first document in the corpus
    documents: list[DocumentPair]


@dataclass
class ChunkResult:
    start: int
    documents: list[DocumentResult]
    statistics: dict[str, dict[str, np.ndarray]]  # system -> metric -> rows of the chunk's scored segments
    timing: dict[str, float] = field(default_factory=dict)


@dataclass
class Stages:
    """What a chunk's work needs: the settings and the loaded (or lazily loading) models."""

    settings: EvaluationSettings
    names: list[str]  # every system, precomputed outputs first
    precomputed: list[str]
    translators: dict[str, Any]  # name -> Translator
    auditor: Any  # PairAuditor
    comet: Any = None  # CometScorer, or None
    progress: Progress | None = None
    n_documents: int = 0  # of the whole corpus, for the audit's progress bar


def cut(documents: Sequence[DocumentPair], size: int, *, start: int = 0) -> Iterator[Chunk]:
    """Consecutive chunks of ``size`` documents from position ``start``."""
    for first in range(start, len(documents), size):
        yield Chunk(first, list(documents[first : first + size]))


def run_chunk(chunk: Chunk, stages: Stages) -> ChunkResult:
    clock = StageClock()
    works = [DocumentWork.of(doc) for doc in chunk.documents]
    system_outputs(works, stages)
    clock.lap("translation")
    audits = audit_chunk(works, stages, chunk.start)
    clock.lap("pair audit")
    documents = [document_result(work, audit, stages.names) for work, audit in zip(works, audits)]
    statistics = score_chunk(documents, stages.names, stages.settings)
    clock.lap("scoring")
    if stages.comet is not None:
        scoring.score_comet_chunk(documents, stages.names, stages.comet)
        clock.lap("comet")
    return ChunkResult(chunk.start, documents, statistics, clock.laps)


def system_outputs(works: list[DocumentWork], stages: Stages) -> None:
    for name in stages.precomputed:
        for work in works:
            work.translations[name] = precomputed_lines(work, name)
    for name, translator in stages.translators.items():
        translate_corpus(works, name, translator, stages.progress)


def audit_chunk(works: list[DocumentWork], stages: Stages, start: int) -> list[Audit]:
    """The pair audit of each document (the same for every system), with the editor's review applied."""
    settings, audits = stages.settings, []
    for offset, work in enumerate(works):
        signal = work.translations.get(settings.align_with) if settings.align_with else None
        audit = stages.auditor.audit(work.doc.doc_id, work.source, work.reference,
                                     line_parallel=work.doc.line_parallel, signal=signal,
                                     source_lang=work.doc.source_lang, reference_lang=work.doc.reference_lang)
        if settings.review is not None:  # an editor's decisions: false alarms stop taking beads out of the parallel part
            audit = apply_review(work.doc.doc_id, audit, settings.review)
        audits.append(audit)
        if stages.progress:
            stages.progress("audit", start + offset + 1, stages.n_documents or start + len(works))
    return audits


def score_chunk(documents: list[DocumentResult], names: Sequence[str],
                settings: EvaluationSettings) -> dict[str, dict[str, np.ndarray]]:
    """Each system's lexical and MT-error scores of the documents; the lexical statistics, per system."""
    statistics = {}
    for name in names:
        statistics[name] = scoring.score_lexical_chunk(documents, name, settings)
        scoring.score_mt_errors_chunk(documents, name)
    return statistics


def document_result(work: DocumentWork, audit: Audit, system_names: Sequence[str]) -> DocumentResult:
    doc = work.doc
    return DocumentResult(
        doc_id=doc.doc_id, source_lang=doc.source_lang, reference_lang=doc.reference_lang, origin=doc.origin,
        warnings=language_warnings([s.text for s in work.source], [s.text for s in work.reference],
                                   doc.source_lang, doc.reference_lang, doc_id=doc.doc_id)
        + doc.segmentation_warnings(),
        source_sentences=work.source, reference_sentences=work.reference, audit=audit,
        segments=_segments(work, audit, system_names),
        systems={
            name: SystemDocument(translations=work.translations[name],
                                 mt_errors=mt_errors(audit, work.source, work.reference, work.translations[name],
                                                     system=name, source_lang=doc.source_lang,
                                                     reference_lang=doc.reference_lang))
            for name in system_names
        },
    )


def _segments(work: DocumentWork, audit: Audit, system_names: Sequence[str]) -> list[Segment]:
    parallel = set(audit.parallel_beads())
    segments = []
    for index, bead in enumerate(audit.beads):
        roles = [work.source[i].role for i in bead.source] + [work.reference[j].role for j in bead.reference]
        role = "body" if "body" in roles else roles[0]
        segment = Segment(bead=index, source_ids=bead.source, reference_ids=bead.reference, role=role,
                          parallel=index in parallel,
                          source=" ".join(work.source[i].text for i in bead.source),
                          reference=" ".join(work.reference[j].text for j in bead.reference))
        if extra := work.doc.extra_references:  # line-parallel multi-reference input: beads are 1-1 by line
            segment.extra_references = [" ".join(stream[j] for j in bead.reference) for stream in extra]
        if role == "body":
            for name in system_names:
                parts = [work.translations[name][i] for i in bead.source]
                segment.hypotheses[name] = " ".join(p for p in parts if p)
        segments.append(segment)
    return segments
