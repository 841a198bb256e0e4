"""Every system scored on the same segments: the pair audit's beads, whole text and parallel part.

Each function reads and fills one system's part of the records; nothing a
system does changes the segments another is scored on, and each system's
intervals use the run's seed alone, so adding, removing or reordering
systems changes no figure of any other.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from mteval.metrics.base import METRICS
from mteval.metrics.lexical import LexicalScorer, MetricScore
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


def score_lexical(documents: Sequence[DocumentResult], name: str, settings: EvaluationSettings) -> SystemScores:
    """Segment, per-document and corpus scores of one system; one extraction of sacrebleu statistics."""
    lexical = settings.lexical_metrics
    located = _located(documents, name)
    result = SystemScores()
    if not located or not lexical:
        return result
    scorer = LexicalScorer(hypotheses=[s.hypotheses[name] for _, s in located],
                           references=reference_streams([s for _, s in located]), metrics=lexical,
                           options=settings.lexical_options)
    per_segment = scorer.segment_scores()
    for position, (_, segment) in enumerate(located):
        segment.scores.setdefault(name, {}).update({m: values[position] for m, values in per_segment.items()})
    for part in PARTS:
        chosen = [i for i, (_, s) in enumerate(located) if s.in_part(part)]
        if chosen:
            result.parts[part].update(scorer.corpus(chosen, n_bootstrap=settings.n_bootstrap, seed=settings.seed))
        by_document: dict[int, list[int]] = {}
        for i in chosen:
            by_document.setdefault(located[i][0], []).append(i)
        for d, doc in enumerate(documents):
            doc_scores = scorer.corpus(by_document[d]) if d in by_document else {}
            doc.systems[name].scores.setdefault(part, {}).update(doc_scores)
    return result


def _mt_error_score(errors: int, sentences: int, by_kind: dict[str, int]) -> MetricScore:
    return MetricScore(metric="mt_errors", score=errors_per_100(errors, sentences), signature=MT_ERRORS_SIGNATURE,
                       n_segments=sentences, details={"errors": errors, "by_kind": by_kind})


def score_mt_errors(documents: Sequence[DocumentResult], name: str, scores: SystemScores) -> None:
    """MT errors per 100 translated source sentences, per document and for the corpus, per part."""
    for part in PARTS:
        total_errors, total_sentences, total_kinds = 0, 0, {}
        for doc in documents:
            work = doc.systems[name]
            beads = [s for s in doc.segments if s.in_part(part) and name in s.hypotheses]
            in_part = {i for s in beads for i in s.source_ids}
            sentences = sum(1 for i in in_part if work.translations[i] is not None)
            errors = [e for e in work.mt_errors if e.bead is not None and e.bead in {s.bead for s in beads}]
            kinds: dict[str, int] = {}
            for error in errors:
                kinds[error.kind] = kinds.get(error.kind, 0) + 1
                total_kinds[error.kind] = total_kinds.get(error.kind, 0) + 1
            if sentences:
                work.scores.setdefault(part, {})["mt_errors"] = _mt_error_score(len(errors), sentences, kinds)
            total_errors += len(errors)
            total_sentences += sentences
        if total_sentences:
            scores.parts[part]["mt_errors"] = _mt_error_score(total_errors, total_sentences, total_kinds)


def score_comet(documents: Sequence[DocumentResult], names: Sequence[str], corpus_scores: dict[str, SystemScores],
                scorer, settings: EvaluationSettings) -> None:
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
        _comet_summary(documents, name, corpus_scores[name], segments, results[name], settings)


def _comet_summary(documents, name: str, scores: SystemScores, segments: list[Segment], result,
                   settings: EvaluationSettings) -> None:
    """One system's COMET: segment scores, their mean per part with a bootstrap interval, per document."""
    from mteval.metrics.significance import mean_interval

    for segment, value in zip(segments, result.scores):
        segment.scores.setdefault(name, {})["comet"] = float(value)
    signature = f"comet:{result.provenance.get('model')}|version:{result.provenance.get('comet_version')}"
    for part in PARTS:
        values = np.array([s.scores[name]["comet"] for s in segments if s.in_part(part)])
        if len(values) == 0:
            continue
        entry = MetricScore(metric="comet", score=float(values.mean()), signature=signature, n_segments=len(values))
        if settings.n_bootstrap and len(values) > 1:
            _, low, high = mean_interval(values, n_samples=settings.n_bootstrap, seed=settings.seed)
            entry.ci_low, entry.ci_high, entry.ci_level = low, high, 0.95
            entry.n_bootstrap, entry.seed = settings.n_bootstrap, settings.seed
        scores.parts[part]["comet"] = entry
        for doc in documents:  # per document: the mean of its segments, without an interval
            mine = [s.scores[name]["comet"] for s in doc.segments if s.in_part(part) and "comet" in s.scores.get(name, {})]
            if mine:
                doc.systems[name].scores.setdefault(part, {})["comet"] = MetricScore(
                    metric="comet", score=float(np.mean(mine)), signature=signature, n_segments=len(mine))


def significance(documents: Sequence[DocumentResult], system_names: list[str],
                 settings: EvaluationSettings) -> dict[str, Any]:
    """Paired bootstrap and approximate randomization of every system against the first, per part."""
    from mteval.metrics.significance import approximate_randomization, paired_bootstrap, segment_statistics

    record: dict[str, Any] = {}
    for part in PARTS:
        segments = [s for doc in documents for s in doc.segments
                    if s.in_part(part) and all(n in s.hypotheses for n in system_names)]
        if len(segments) < 2:
            continue
        hypotheses = {name: [s.hypotheses[name] for s in segments] for name in system_names}
        segment_metrics = [m for m, info in METRICS.items() if info.kind == "segment"]
        per_segment = {
            metric: {n: [s.scores[n][metric] for s in segments] for n in system_names}
            for metric in segment_metrics
            if all(metric in s.scores.get(n, {}) for s in segments for n in system_names)
        }
        statistics = segment_statistics(hypotheses=hypotheses, references=reference_streams(segments),
                                        metrics=settings.lexical_metrics, segment_scores=per_segment or None,
                                        options=settings.lexical_options)
        n_resamples = settings.n_bootstrap or 1000
        compatible = settings.paired_compat == "sacrebleu"
        record[part] = {
            "paired_bootstrap": paired_bootstrap(statistics=statistics, n_samples=n_resamples, seed=settings.seed,
                                                 sacrebleu_compatible=compatible).to_dict(),
            "approximate_randomization": approximate_randomization(
                statistics=statistics, n_trials=settings.n_trials, n_bootstrap=n_resamples, seed=settings.seed,
                sacrebleu_compatible=compatible,
            ).to_dict(),
        }
    return record
