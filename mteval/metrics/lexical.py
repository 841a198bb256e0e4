"""BLEU, chrF, chrF++ and TER through sacrebleu, corpus and segment level.

Scores are sacrebleu's own: the same classes, the same defaults, and each
result carries sacrebleu's signature. Confidence intervals resample
per-segment sufficient statistics (as ``sacrebleu --confidence`` does; see
:func:`mteval.metrics.significance.bootstrap_interval`), with a seed of their
own so results are repeatable without touching global state.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from ..errors import InputError
from .significance import bootstrap_interval

LEXICAL_METRICS = ("bleu", "chrf", "chrf++", "ter")


def make_metric(name: str, *, segment: bool = False):
    """A sacrebleu metric object; segment level differs only for BLEU (effective order)."""
    from sacrebleu.metrics import BLEU, CHRF, TER  # sacrebleu is light; still only loaded when scoring

    if name == "bleu":
        return BLEU(effective_order=True) if segment else BLEU()
    if name == "chrf":
        return CHRF()
    if name == "chrf++":
        return CHRF(word_order=2)
    if name == "ter":
        return TER()
    raise InputError(f"Unknown metric '{name}'; choose from {', '.join(LEXICAL_METRICS)} or comet.")


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


def _check_lengths(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if len(hypotheses) != len(references):
        raise InputError(f"{len(hypotheses)} hypotheses but {len(references)} references; they must pair up line by line.")


def score_corpus(
    *,
    hypotheses: Sequence[str],
    references: Sequence[str],
    metrics: Sequence[str] = LEXICAL_METRICS,
    n_bootstrap: int = 0,
    seed: int = 12345,
) -> dict[str, MetricScore]:
    """Corpus scores of ``hypotheses`` against one reference per segment."""
    _check_lengths(hypotheses, references)
    if not hypotheses:
        raise InputError("There are no segments to score.")
    results: dict[str, MetricScore] = {}
    for name in metrics:
        metric = make_metric(name)
        sacre = metric.corpus_score(list(hypotheses), [list(references)])
        result = MetricScore(
            metric=name,
            score=float(sacre.score),
            signature=str(metric.get_signature()),
            n_segments=len(hypotheses),
            details=_details(name, sacre),
        )
        if n_bootstrap and len(hypotheses) > 1:
            interval = bootstrap_interval(
                hypotheses=hypotheses, references=references, metrics=[name], n_samples=n_bootstrap, seed=seed
            )[name]
            result.ci_low, result.ci_high = interval.ci_low, interval.ci_high
            result.ci_level, result.n_bootstrap, result.seed = 0.95, n_bootstrap, seed
        results[name] = result
    return results


def score_segments(
    *, hypotheses: Sequence[str], references: Sequence[str], metrics: Sequence[str] = LEXICAL_METRICS
) -> dict[str, list[float]]:
    """Sentence-level scores (BLEU with effective order, as ``sacrebleu -sl``)."""
    _check_lengths(hypotheses, references)
    scores: dict[str, list[float]] = {}
    for name in metrics:
        metric = make_metric(name, segment=True)
        scores[name] = [float(metric.sentence_score(h, [r]).score) for h, r in zip(hypotheses, references)]
    return scores


def signatures(metrics: Sequence[str] = LEXICAL_METRICS) -> dict[str, str]:
    """sacrebleu signatures of ``metrics`` for one reference per segment."""
    result = {}
    for name in metrics:
        metric = make_metric(name)
        metric.corpus_score(["-"], [["-"]])  # sacrebleu signs only after it has seen the reference count
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
