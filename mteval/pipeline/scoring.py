"""Every system scored on the same segments: the pair audit's beads, whole text and parallel part.

Each function reads and fills one system's part of the records; nothing a
system does changes the segments another is scored on, and each system's
intervals use the run's seed alone, so adding, removing or reordering
systems changes no figure of any other.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from mteval.metrics.lexical import LexicalScorer, MetricScore
from mteval.pipeline.segment_table import SegmentTable
from mteval.pipeline.settings import EvaluationSettings
from mteval.results.records import PARTS, DocumentResult, Segment, SystemScores
from mteval.systems.mt_checks import errors_per_100

MT_ERRORS_SIGNATURE = "mt_errors:names+numbers+dates|per:100-source-sentences"


def _located(documents: Sequence[DocumentResult], name: str) -> list[tuple[int, Segment]]:
    return [(d, s) for d, doc in enumerate(documents) for s in doc.segments if name in s.hypotheses]


def reference_streams(segments: Sequence[Segment]) -> list[list[str]]:
    """The references of ``segments`` as sacrebleu's reference streams (several for multi-reference input)."""
    extra = min((len(s.extra_references) for s in segments), default=0)
    return [[s.reference for s in segments], *[[s.extra_references[k] for s in segments] for k in range(extra)]]


def score_lexical_chunk(documents: Sequence[DocumentResult], name: str,
                        settings: EvaluationSettings) -> dict[str, np.ndarray]:
    """Segment and per-document scores of one system on some documents; their sufficient statistics, per metric.

    The statistics (one row per scored segment, in corpus order) are what the
    corpus scores, intervals and paired tests are computed from at the end.
    """
    lexical = settings.lexical_metrics
    located = _located(documents, name)
    if not located or not lexical:
        return {}
    scorer = LexicalScorer(hypotheses=[s.hypotheses[name] for _, s in located],
                           references=reference_streams([s for _, s in located]), metrics=lexical,
                           options=settings.lexical_options)
    per_segment = scorer.segment_scores()
    for position, (_, segment) in enumerate(located):
        segment.scores.setdefault(name, {}).update({m: values[position] for m, values in per_segment.items()})
    for part in PARTS:
        by_document: dict[int, list[int]] = {}
        for i, (d, segment) in enumerate(located):
            if segment.in_part(part):
                by_document.setdefault(d, []).append(i)
        for d, doc in enumerate(documents):
            doc_scores = scorer.corpus(by_document[d]) if d in by_document else {}
            doc.systems[name].scores.setdefault(part, {}).update(doc_scores)
    return scorer.statistics()


def corpus_lexical(table: SegmentTable, name: str, settings: EvaluationSettings) -> SystemScores:
    """A system's corpus scores per part, with bootstrap intervals, from the statistics of every segment."""
    result = SystemScores()
    rows = table.statistics(name)
    if not rows or not settings.lexical_metrics:
        return result
    scorer = LexicalScorer.from_statistics(rows, metrics=settings.lexical_metrics, options=settings.lexical_options,
                                           n_references=table.n_references)
    for part in PARTS:
        chosen = table.in_part(part)
        if chosen:
            result.parts[part].update(scorer.corpus(chosen, n_bootstrap=settings.n_bootstrap, seed=settings.seed))
    return result


def _mt_error_score(errors: int, sentences: int, by_kind: dict[str, int]) -> MetricScore:
    return MetricScore(metric="mt_errors", score=errors_per_100(errors, sentences), signature=MT_ERRORS_SIGNATURE,
                       n_segments=sentences, details={"errors": errors, "by_kind": by_kind})


def score_mt_errors_chunk(documents: Sequence[DocumentResult], name: str) -> None:
    """MT errors per 100 translated source sentences of each document, per part."""
    for doc in documents:
        for part in PARTS:
            errors, sentences, kinds = mt_error_counts(doc, name, part)
            if sentences:
                doc.systems[name].scores.setdefault(part, {})["mt_errors"] = _mt_error_score(errors, sentences, kinds)


def mt_error_counts(doc: DocumentResult, name: str, part: str) -> tuple[int, int, dict[str, int]]:
    """(errors, translated source sentences, errors by kind) of one system on one document's part."""
    work = doc.systems[name]
    beads = [s for s in doc.segments if s.in_part(part) and name in s.hypotheses]
    in_part = {i for s in beads for i in s.source_ids}
    sentences = sum(1 for i in in_part if work.translations[i] is not None)
    wanted = {s.bead for s in beads}
    errors = [e for e in work.mt_errors if e.bead is not None and e.bead in wanted]
    kinds: dict[str, int] = {}
    for error in errors:
        kinds[error.kind] = kinds.get(error.kind, 0) + 1
    return len(errors), sentences, kinds


def corpus_mt_errors(table: SegmentTable, name: str, scores: SystemScores) -> None:
    """The corpus's MT errors per 100 translated source sentences, per part, from the documents' counts."""
    for part in PARTS:
        errors, sentences, kinds = table.mt_errors(name, part)
        if sentences:
            scores.parts[part]["mt_errors"] = _mt_error_score(errors, sentences, kinds)


def score_comet_chunk(documents: Sequence[DocumentResult], names: Sequence[str], scorer) -> None:
    """COMET segment scores of every system in one scorer call (each source and reference encoded once)."""
    segments = [s for doc in documents for s in doc.segments
                if s.source and (s.reference or scorer.reference_free) and all(n in s.hypotheses for n in names)]
    if not segments:
        return
    results = scorer.score_systems(
        {name: [s.hypotheses[name] for s in segments] for name in names},
        sources=[s.source for s in segments],
        references=None if scorer.reference_free else [s.reference for s in segments],
    )
    for name in names:
        result = results[name]
        for segment, value in zip(segments, result.scores):
            segment.scores.setdefault(name, {})["comet"] = float(value)
        signature = comet_signature(result.provenance)
        for part in PARTS:
            for doc in documents:  # per document: the mean of its segments, without an interval
                mine = [s.scores[name]["comet"] for s in doc.segments
                        if s.in_part(part) and "comet" in s.scores.get(name, {})]
                if mine:
                    doc.systems[name].scores.setdefault(part, {})["comet"] = MetricScore(
                        metric="comet", score=float(np.mean(mine)), signature=signature, n_segments=len(mine))


def comet_signature(provenance: dict[str, Any]) -> str:
    return f"comet:{provenance.get('model')}|version:{provenance.get('comet_version')}"


def corpus_comet(table: SegmentTable, name: str, scores: SystemScores, settings: EvaluationSettings) -> None:
    """One system's COMET: the mean of its segment scores per part, with a bootstrap interval."""
    from mteval.metrics.significance import mean_interval

    if table.comet_signature is None:
        return
    for part in PARTS:
        values = table.comet(name, part)
        if len(values) == 0:
            continue
        entry = MetricScore(metric="comet", score=float(values.mean()), signature=table.comet_signature,
                            n_segments=len(values))
        if settings.n_bootstrap and len(values) > 1:
            _, low, high = mean_interval(values, n_samples=settings.n_bootstrap, seed=settings.seed)
            entry.ci_low, entry.ci_high, entry.ci_level = low, high, 0.95
            entry.n_bootstrap, entry.seed = settings.n_bootstrap, settings.seed
        scores.parts[part]["comet"] = entry


def significance(table: SegmentTable, system_names: list[str], settings: EvaluationSettings) -> dict[str, Any]:
    """Paired bootstrap and approximate randomization of every system against the first, per part.

    Both tests resample the statistics already extracted for the corpus scores;
    a segment's statistics do not depend on the segments beside it. COMET is
    tested on the segments it scored (a reference-based model scores no bead
    without a reference), so its test has its own segment count.
    """
    record: dict[str, Any] = {}
    for part in PARTS:
        chosen = table.in_part(part)
        tests = _paired_tests(table.segment_statistics(system_names, chosen, settings), settings) \
            if len(chosen) >= 2 else None
        comet = table.comet_columns(system_names, part)
        if len(next(iter(comet.values()), ())) >= 2:
            comet_tests = _paired_tests(_comet_statistics(system_names, comet), settings)
            tests = comet_tests if tests is None else {k: _with_metric(tests[k], comet_tests[k]) for k in tests}
        if tests is not None:
            record[part] = {test: result.to_dict() for test, result in tests.items()}
    return record


def _paired_tests(statistics, settings: EvaluationSettings) -> dict[str, Any]:
    from mteval.metrics.significance import approximate_randomization, paired_bootstrap

    # The paired bootstrap needs resamples even when no intervals were asked for (0): sacrebleu's --paired-bs-n
    # 1000. sacrebleu's paired mode never reads -cin, so the compatible tests take 1000 unless told otherwise.
    compatible = settings.paired_compat == "sacrebleu"
    n_resamples = settings.n_paired_bootstrap or (1000 if compatible else settings.n_bootstrap or 1000)
    return {
        "paired_bootstrap": paired_bootstrap(statistics=statistics, n_samples=n_resamples, seed=settings.seed,
                                             sacrebleu_compatible=compatible),
        "approximate_randomization": approximate_randomization(
            statistics=statistics, n_trials=settings.n_trials, n_bootstrap=n_resamples, seed=settings.seed,
            sacrebleu_compatible=compatible),
    }


def _comet_statistics(names: Sequence[str], columns: dict[str, np.ndarray]):
    from mteval.metrics.significance import SegmentStatistics, averaged_evaluator

    n = len(next(iter(columns.values())))
    return SegmentStatistics(list(names), n, ["comet"], {"comet": averaged_evaluator("comet")},
                             {"comet": {name: columns[name].reshape(-1, 1) for name in names}})


def _with_metric(lexical, comet):
    """The lexical test with COMET's rows added; ``n_segments_by_metric`` says where the counts differ."""
    from dataclasses import replace

    merged = replace(lexical, metrics=lexical.metrics + comet.metrics,
                     signatures={**lexical.signatures, **comet.signatures},
                     results={s: {**lexical.results[s], **comet.results[s]} for s in lexical.systems})
    if comet.n_segments != lexical.n_segments:
        merged.n_segments_by_metric = {"comet": comet.n_segments}
    return merged
