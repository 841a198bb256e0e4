"""BLEU, chrF, chrF++ and TER through sacrebleu, corpus and segment level.

Scores are sacrebleu's own: the same classes, the same defaults, and each
result carries sacrebleu's signature. Confidence intervals resample
per-segment sufficient statistics (as ``sacrebleu --confidence`` does; see
:func:`mteval.metrics.significance.bootstrap_interval`), with a seed of their
own so results are repeatable without touching global state.

References are one string per segment, or several reference streams (a
list of such lists, as sacrebleu takes them) for multi-reference scores.
:class:`LexicalOptions` carries sacrebleu's ``-tok``, ``-lc`` and the target
language of ``-l``; like sacrebleu's command line, they change BLEU only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Sequence

from mteval.errors import InputError
from mteval.metrics.base import LEXICAL_METRICS
from mteval.metrics.significance import (
    LexicalEvaluator, LexicalOptions, _plain, _reference_streams, resampled_interval, sacrebleu_metric,
)

__all__ = ["LEXICAL_METRICS", "LexicalOptions", "LexicalScorer", "MetricScore", "make_metric", "score_corpus",
           "score_segments", "signatures"]


def make_metric(name: str, *, segment: bool = False, options: LexicalOptions | None = None):
    """A sacrebleu metric object; segment level differs only for BLEU (effective order)."""
    if name not in LEXICAL_METRICS:
        raise InputError(f"Unknown metric '{name}'; choose from {', '.join(LEXICAL_METRICS)} or comet.")
    if segment and name == "bleu":
        from sacrebleu.metrics import BLEU

        return BLEU(effective_order=True, **(options or LexicalOptions()).bleu_arguments())
    return sacrebleu_metric(name, options=options)


@dataclass
class MetricScore:
    """One corpus-level score, with how it was computed."""

    metric: str
    score: float
    signature: str
    n_segments: int
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    n_bootstrap: int | None = None
    seed: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MetricScore":
        return cls(**data)


def _streams(hypotheses: Sequence[str], references) -> list[list[str]]:
    """``references`` as a list of reference streams, each checked to pair up with ``hypotheses``."""
    streams = _reference_streams(references, len(hypotheses))
    if not streams:
        raise InputError("There are no references to score against.")
    for stream in streams:
        if len(stream) != len(hypotheses):
            raise InputError(f"{len(hypotheses)} hypotheses but {len(stream)} references; they must pair up line by line.")
    return streams


class LexicalScorer:
    """One system's segments, their sufficient statistics extracted once per metric.

    Corpus scores of the whole or of any subset of segments, their bootstrap
    intervals and the segment-level scores all come from the same statistics,
    so a segment is tokenised and counted once however many views need it.
    """

    def __init__(self, *, hypotheses: Sequence[str], references: Sequence[str] | Sequence[Sequence[str]],
                 metrics: Sequence[str] = LEXICAL_METRICS, options: LexicalOptions | None = None):
        streams = _streams(hypotheses, references)
        self.metrics = list(metrics)
        self.n_segments = len(hypotheses)
        self.n_references = len(streams)
        self.options = options or LexicalOptions()
        self._evaluators = {}
        self._stats = {}
        for name in self.metrics:
            if name not in LEXICAL_METRICS:
                make_metric(name)  # rejects an unknown name with a clear message
            evaluator = LexicalEvaluator(name, streams, self.options)
            self._evaluators[name] = evaluator
            self._stats[name] = evaluator.statistics(list(hypotheses)).reshape(len(hypotheses), -1)

    @classmethod
    def from_statistics(cls, rows: dict[str, Any], *, metrics: Sequence[str], options: LexicalOptions | None = None,
                        n_references: int = 1) -> "LexicalScorer":
        """A scorer over statistics extracted before (``rows[metric]``: segments x statistics), e.g. chunk by chunk."""
        scorer = cls.__new__(cls)
        scorer.metrics = list(metrics)
        scorer.options = options or LexicalOptions()
        scorer.n_references = n_references
        scorer._evaluators = {name: signed_evaluator(name, scorer.options, n_references) for name in scorer.metrics}
        scorer._stats = {name: rows[name] for name in scorer.metrics}
        scorer.n_segments = len(rows[scorer.metrics[0]]) if scorer.metrics else 0
        return scorer

    def statistics(self) -> dict[str, Any]:
        """The per-segment sufficient statistics, per metric (segments x statistics)."""
        return dict(self._stats)

    def corpus(self, indices: Sequence[int] | None = None, *, n_bootstrap: int = 0, seed: int = 12345) -> dict[str, MetricScore]:
        """Corpus scores of the segments at ``indices`` (all by default)."""
        results: dict[str, MetricScore] = {}
        for name in self.metrics:
            evaluator = self._evaluators[name]
            rows = self._stats[name] if indices is None else self._stats[name][list(indices)]
            if not len(rows):
                raise InputError("There are no segments to score.")
            result = statistics_score(name, evaluator, rows.sum(axis=0), len(rows))
            if n_bootstrap and len(rows) > 1:
                _, low, high = resampled_interval(evaluator, rows, n_samples=n_bootstrap, seed=seed)
                result = with_interval(result, evaluator, low, high, n_bootstrap=n_bootstrap, seed=seed)
            results[name] = result
        return results

    def segment_scores(self) -> dict[str, list[float]]:
        """Sentence-level scores, equal to sacrebleu's ``sentence_score`` (BLEU with effective order)."""
        scores: dict[str, list[float]] = {}
        for name in self.metrics:
            rows = self._stats[name]
            if name == "bleu":
                sentence_bleu = make_metric("bleu", segment=True, options=self.options)
                scores[name] = [float(sentence_bleu._compute_score_from_stats([_plain(v) for v in row]).score) for row in rows]
            else:
                scores[name] = [float(v) for v in self._evaluators[name].scores(rows, 1)]
        return scores


def score_corpus(
    *,
    hypotheses: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    metrics: Sequence[str] = LEXICAL_METRICS,
    n_bootstrap: int = 0,
    seed: int = 12345,
    options: LexicalOptions | None = None,
) -> dict[str, MetricScore]:
    """Corpus scores of ``hypotheses`` against one reference per segment, or against several streams."""
    if not hypotheses:
        raise InputError("There are no segments to score.")
    scorer = LexicalScorer(hypotheses=hypotheses, references=references, metrics=metrics, options=options)
    return scorer.corpus(n_bootstrap=n_bootstrap, seed=seed)


def score_segments(
    *, hypotheses: Sequence[str], references: Sequence[str] | Sequence[Sequence[str]],
    metrics: Sequence[str] = LEXICAL_METRICS, options: LexicalOptions | None = None,
) -> dict[str, list[float]]:
    """Sentence-level scores (BLEU with effective order, as ``sacrebleu -sl``)."""
    if not hypotheses:
        return {name: [] for name in metrics}
    return LexicalScorer(hypotheses=hypotheses, references=references, metrics=metrics, options=options).segment_scores()


def statistics_score(name: str, evaluator: LexicalEvaluator, total, n_segments: int) -> MetricScore:
    """The corpus score of the summed sufficient statistics ``total`` of ``n_segments``, with sacrebleu's signature."""
    sacre = evaluator.metric._compute_score_from_stats([_plain(v) for v in total])
    return MetricScore(metric=name, score=float(sacre.score), signature=evaluator.signature, n_segments=n_segments,
                       details=_details(name, sacre))


def with_interval(score: MetricScore, evaluator: LexicalEvaluator, low: float, high: float, *, n_bootstrap: int,
                  seed: int) -> MetricScore:
    """``score`` with its 95% bootstrap interval, signed with the resampling as sacrebleu signs it."""
    return replace(score, ci_low=low, ci_high=high, ci_level=0.95, n_bootstrap=n_bootstrap, seed=seed,
                   signature=bootstrapped_signature(evaluator.signature, n_bootstrap, seed))


def bootstrapped_signature(signature: str, n_samples: int, seed: int) -> str:
    """A signature with the resampling that made its interval, where and as sacrebleu puts it (after nrefs):
    ``nrefs:1|bs:1000|seed:12345|case:mixed|...``."""
    head, _, rest = signature.partition("|")
    return f"{head}|bs:{n_samples}|seed:{seed}" + (f"|{rest}" if rest else "")


def signed_evaluator(name: str, options: LexicalOptions | None = None, n_references: int = 1) -> LexicalEvaluator:
    """An evaluator (formulas and signature) for statistics extracted elsewhere, against ``n_references`` streams."""
    evaluator = LexicalEvaluator(name, None, options or LexicalOptions())
    evaluator.metric.corpus_score(["-"], [["-"]] * n_references)  # sacrebleu signs only after it has seen the count
    return evaluator


def signatures(metrics: Sequence[str] = LEXICAL_METRICS, *, options: LexicalOptions | None = None,
               n_references: int = 1, segment: bool = False) -> dict[str, str]:
    """sacrebleu signatures of ``metrics`` for ``n_references`` references per segment (``segment``: of the
    sentence-level scores, BLEU with effective order)."""
    result = {}
    for name in metrics:
        metric = make_metric(name, segment=segment, options=options)
        metric.corpus_score(["-"], [["-"]] * n_references)  # sacrebleu signs only after it has seen the reference count
        result[name] = str(metric.get_signature())
    return result


def _details(name: str, score) -> dict[str, Any]:
    if name == "bleu":
        return {
            "precisions": [float(p) for p in score.precisions],
            "bp": float(score.bp),
            "sys_len": int(score.sys_len),
            "ref_len": int(score.ref_len),
        }
    return {}
