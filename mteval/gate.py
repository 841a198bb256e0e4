"""Regression gate: may a candidate model replace the baseline?

:func:`check_regression` compares a candidate :class:`~mteval.results.Results`
with a stored baseline, metric by metric, and refuses results that were not
produced comparably (other documents, tokenizer, COMET model, or another
alignment: the alignment fingerprint says which segments were scored). With
``significant=True`` a drop beyond the allowance fails only when a paired
bootstrap over the beads both results share also finds it significant.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping
from xml.sax.saxutils import escape, quoteattr

from mteval.errors import IncomparableResultsError, InputError
from mteval.metrics.base import METRICS, metric_info
from mteval.results.records import Results


#: a drop this small is float rounding, not a change: a system's COMET scores move by up to 1e-6 with the other
#: systems batched beside it and with embeddings read from the cache (README, COMET), so a system gated against
#: itself from another run must pass; the lexical metrics do not move at all, and no metric prints this digit
SCORE_NOISE = 1e-6


def _amount(drop: float, sign: str = "") -> str:
    """A drop with four decimals, or in two significant digits when four decimals would show it as zero
    (``sign="+"``: with its sign)."""
    return f"{drop:{sign}.4f}" if abs(drop) >= 5e-5 else f"{drop:{sign}.2g}"


def signed_drop(drop: float) -> str:
    """A drop with its sign, as :func:`_amount` writes it; one within :data:`SCORE_NOISE` is +0.0000 (not
    -0.0000)."""
    return "+0.0000" if abs(drop) <= SCORE_NOISE else _amount(drop, "+")


@dataclass
class MetricVerdict:
    metric: str
    baseline: float
    candidate: float
    drop: float  # positive means worse, in the metric's own units
    allowed: float
    p_value: float | None = None
    regression: bool = False
    reason: str = ""


@dataclass
class GateReport:
    baseline_system: str
    candidate_system: str
    part: str
    significant: bool
    alpha: float
    verdicts: list[MetricVerdict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(v.regression for v in self.verdicts)

    @property
    def exit_status(self) -> int:
        return 0 if self.passed else 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for verdict in data["verdicts"]:
            verdict["drop"] += 0.0  # no "-0.0" for a score that did not move
        data["passed"] = self.passed
        return data

    def to_markdown(self) -> str:
        """A pull-request comment; names and reasons from the results are escaped, so they cannot inject HTML."""
        from mteval.report.markdown import md_escape

        status = "✅ passed" if self.passed else "❌ regression"
        lines = [
            f"### mteval gate: {status}",
            "",
            f"Candidate **{md_escape(self.candidate_system)}** vs baseline **{md_escape(self.baseline_system)}**, "
            f"{md_escape(self.part)} text"
            + (f", drops must also be significant (p < {self.alpha})" if self.significant else "")
            + ".",
            "",
            "| metric | baseline | candidate | drop | allowed | p | verdict |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for v in self.verdicts:
            p = "–" if v.p_value is None else f"{v.p_value:.4f}"
            verdict = "regression" if v.regression else "ok"
            lines.append(
                f"| {md_escape(v.metric)} | {v.baseline:.4f} | {v.candidate:.4f} | {signed_drop(v.drop)} | {v.allowed:.4f} "
                f"| {p} | {verdict} |"
            )
        return "\n".join(lines) + "\n"

    def to_junit(self) -> str:
        """One test case per metric, named with both systems (a dashboard lists cases without their suite)."""
        failures = sum(v.regression for v in self.verdicts)
        systems = f"{self.candidate_system} vs {self.baseline_system}"
        cases = []
        for v in self.verdicts:
            name = quoteattr(_xml_text(f"{v.metric} ({self.part}): {systems}"))
            body = ""
            if v.regression:
                reason = _xml_text(v.reason)
                body = f"<failure message={quoteattr(reason)}>{escape(reason)}</failure>"
            cases.append(f'    <testcase classname="mteval.gate" name={name}>{body}</testcase>')
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name={quoteattr(_xml_text("mteval gate: " + systems))} tests="{len(self.verdicts)}" failures="{failures}" errors="0">\n'
            + "\n".join(cases)
            + "\n</testsuite>\n"
        )


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def parse_max_drops(values: list[str] | None) -> dict[str, float]:
    """``["bleu=0.5", "comet=0.01"]`` -> ``{"bleu": 0.5, "comet": 0.01}``."""
    drops: dict[str, float] = {}
    for value in values or []:
        metric, sep, amount = value.partition("=")
        try:
            allowed = float(amount) if sep else -1.0
        except ValueError:
            allowed = -1.0
        if not metric.strip() or not (allowed >= 0 and math.isfinite(allowed)):
            raise InputError(f"--max-drop expects METRIC=AMOUNT with a finite, non-negative amount, got '{value}'.")
        drops[metric.strip().lower()] = allowed
    return drops


def check_comparable(baseline: Results, candidate: Results, metrics: list[str]) -> None:
    """Raise when the two results were produced in ways that make scores incomparable."""
    base, cand = baseline.provenance, candidate.provenance
    if base.get("corpus_fingerprint") != cand.get("corpus_fingerprint"):
        raise IncomparableResultsError(
            "The results are not comparable: field 'corpus_fingerprint' differs (they were computed on different test documents)."
        )
    _require_same(base, cand, "audit", "alignment_fingerprint",
                  ": the documents were aligned differently (another embedder, aligner version, --align-with system "
                  "or its output), so the two runs scored different segments")
    # the line-parallel cut has no alignment to tell --line-roles from its absence
    _require_same(base, cand, "segmentation", "cuts",
                  ": the texts were cut into segments differently (--line-parallel with or without --line-roles, "
                  "--presplit), so the two runs scored different segments")
    _require_same(base, cand, "review", "decisions_digest",
                  ": the runs were reviewed differently (another --review file, or none for one of them); give "
                  "both runs the same --review file")
    for metric in metrics:
        kind = metric_info(metric).kind
        if kind == "segment":
            for field_name in ("model", "precision"):
                _require_same(base, cand, metric, field_name)
            continue
        left = (base.get("metrics") or {}).get(metric)
        right = (cand.get("metrics") or {}).get(metric)
        if left != right:
            what = " (the sacrebleu signature)" if kind == "statistics" else ""
            raise IncomparableResultsError(
                f"The results are not comparable: field 'metrics.{metric}'{what} differs ({left} vs {right})."
            )


def _require_same(base: dict, cand: dict, section: str, key: str, why: str = "") -> None:
    """Raise when provenance field ``section.key`` differs between the two results; ``why`` explains it."""
    left = (base.get(section) or {}).get(key)
    right = (cand.get(section) or {}).get(key)
    if left != right:
        raise IncomparableResultsError(
            f"The results are not comparable: field '{section}.{key}' differs ({left} vs {right}){why}."
        )


def _pick_system(results: Results, name: str | None, role: str, option: str) -> str:
    """The system to gate: the one named, or the only one; a file of several systems needs the name (guessing
    would gate the wrong one, e.g. a comparison's baseline instead of its candidate, and pass a regression)."""
    if not results.systems:
        raise InputError(f"The {role} results contain no scored system.")
    if name is None:
        if len(results.systems) > 1:
            raise InputError(f"The {role} results hold {len(results.systems)} systems "
                             f"({', '.join(results.systems)}); name the one to gate with {option}.")
        return results.systems[0]
    if name not in results.systems:
        raise InputError(f"The {role} results have no system '{name}' (they have {', '.join(results.systems)}).")
    return name


def check_regression(
    baseline: Results,
    candidate: Results,
    *,
    max_drops: Mapping[str, float] | None = None,
    part: str = "whole",
    significant: bool = False,
    alpha: float = 0.05,
    baseline_system: str | None = None,
    candidate_system: str | None = None,
    n_samples: int = 1000,
    seed: int = 12345,
) -> GateReport:
    """Compare ``candidate`` with ``baseline``; fails closed.

    Anything that keeps the comparison from being complete is an
    :class:`InputError` rather than a pass: a score that is not a finite
    number, a metric of the baseline the candidate lacks, nothing to compare.
    """
    check_gate_options(alpha=alpha, n_samples=n_samples)
    base_name = _pick_system(baseline, baseline_system, "baseline", "--baseline-system")
    cand_name = _pick_system(candidate, candidate_system, "candidate", "--system")
    for results, name, role in ((baseline, base_name, "baseline"), (candidate, cand_name, "candidate")):
        _check_finite(results, name, role)
    base_scores = baseline.corpus[base_name].parts.get(part) or {}
    cand_scores = candidate.corpus[cand_name].parts.get(part) or {}
    if not base_scores:
        raise InputError(f"The baseline has no scores for the {part} text of system '{base_name}'; there is nothing to compare.")
    lost = [m for m in base_scores if m not in cand_scores]
    if lost:
        raise InputError(
            f"The candidate ('{cand_name}') has no {lost[0]} score for the {part} text but the baseline has; "
            "a candidate cannot pass on fewer metrics than its baseline."
        )
    # By default every similarity metric both results have is held to no drop; error counts
    # (mt_errors) are heuristic annotations, gated only when named in --max-drop.
    drops = dict(max_drops) if max_drops else {m: 0.0 for m in base_scores if metric_info(m).kind != "count"}
    unknown = [m for m in drops if m not in METRICS]
    if unknown:
        raise InputError(f"--max-drop: unknown metric '{unknown[0]}'; known metrics: {', '.join(METRICS)}.")
    missing = [m for m in drops if m not in base_scores]
    if missing:
        raise InputError(f"Metric '{missing[0]}' is not in the baseline's results ({part} text); it cannot be gated.")
    check_comparable(baseline, candidate, list(drops))
    report = GateReport(base_name, cand_name, part, significant, alpha)
    p_values = _paired_p_values(baseline, candidate, base_name, cand_name, list(drops), part, n_samples, seed) if significant else {}
    for metric, allowed in drops.items():
        base_value, cand_value = base_scores[metric].score, cand_scores[metric].score
        drop = -metric_info(metric).improvement(base_value, cand_value)
        verdict = MetricVerdict(metric, base_value, cand_value, drop, allowed, p_values.get(metric))
        if not drop <= allowed + SCORE_NOISE:
            if significant and verdict.p_value is not None and verdict.p_value >= alpha:
                verdict.reason = f"{metric} dropped {_amount(drop)} (allowed {allowed}) but not significantly (p={verdict.p_value:.4f})"
            else:
                verdict.regression = True
                verdict.reason = f"{metric} dropped {_amount(drop)}, more than the allowed {allowed}"
                if verdict.p_value is not None:
                    verdict.reason += f" (p={verdict.p_value:.4f})"
        report.verdicts.append(verdict)
    return report


def check_gate_options(*, alpha: float, n_samples: int) -> None:
    """The gate's numeric options, refused in one sentence when they make no sense."""
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise InputError(f"--alpha must be a significance level between 0 and 1 (exclusive), not {alpha}.")
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise InputError(f"The number of bootstrap samples must be a positive whole number, not {n_samples!r}.")


def _check_finite(results: Results, system: str, role: str) -> None:
    """A NaN or infinite corpus score makes every comparison with it false: refuse it instead of passing."""
    for part, metrics in results.corpus[system].parts.items():
        for metric, entry in metrics.items():
            value = entry.score
            if not math.isfinite(value):
                raise InputError(
                    f"The {role} score of {metric} for system '{system}' ({part} text) is {value}, not a finite number; "
                    "the gate cannot compare it."
                )


def _bead_key(doc, segment) -> tuple:
    return doc.doc_id, tuple(segment.source_ids), tuple(segment.reference_ids)


def _paired_p_values(baseline, candidate, base_name, cand_name, metrics, part, n_samples, seed) -> dict[str, float]:
    """Paired bootstrap over the beads both results scored (same documents, same alignment), with the tokenizer
    and casing the runs' BLEU signature records and every reference the segments have."""
    from mteval.metrics.significance import LexicalOptions, paired_bootstrap, segment_statistics

    signature = (baseline.provenance.get("metrics") or {}).get("bleu")
    options = LexicalOptions.from_bleu_signature(signature) if isinstance(signature, str) else None

    def collect(results: Results, name: str) -> dict:
        return {_bead_key(doc, segment): segment for doc, segment in results.iter_segments()
                if name in segment.hypotheses and segment.in_part(part)}

    base_segments, cand_segments = collect(baseline, base_name), collect(candidate, cand_name)
    shared = [key for key in base_segments if key in cand_segments]
    if len(shared) < 2:
        raise InputError("--significant needs segment results shared by both runs; these results have too few in common.")
    tested = [m for m in metrics if metric_info(m).kind != "count"]
    lexical = [m for m in tested if metric_info(m).kind == "statistics"]
    p_values: dict[str, float | None] = {}

    def test(keys: list[tuple], names: list[str], segment_scores: dict | None) -> None:
        statistics = segment_statistics(
            hypotheses={
                "baseline": [base_segments[k].hypotheses[base_name] for k in keys],
                "candidate": [cand_segments[k].hypotheses[cand_name] for k in keys],
            },
            references=[list(stream) for stream in zip(*(base_segments[k].reference_streams() for k in keys))],
            metrics=names,
            segment_scores=segment_scores,
            options=options,
        )
        result = paired_bootstrap(statistics=statistics, n_samples=n_samples, seed=seed)
        p_values.update({m: result.results["candidate"][m].p_value for m in names})

    if lexical:
        test(shared, lexical, None)
    for metric in tested:
        if metric_info(metric).kind == "segment":
            # over the beads the metric scores in both runs, as its corpus score is (reference-based COMET
            # leaves source-only beads unscored)
            keys = _scored_in_both(base_segments, cand_segments, shared, base_name, cand_name, metric)
            test(keys, [metric], {metric: {"baseline": [base_segments[k].scores[base_name][metric] for k in keys],
                                           "candidate": [cand_segments[k].scores[cand_name][metric] for k in keys]}})
    for metric, value in p_values.items():
        if value is None or not math.isfinite(value):
            raise InputError(f"The paired bootstrap gave no p-value for {metric}; its segment scores cannot be compared.")
    return p_values


def _scored_in_both(base_segments: dict, cand_segments: dict, keys: list[tuple], base_name: str, cand_name: str,
                    metric: str) -> list[tuple]:
    """The beads of ``keys`` that both runs scored with ``metric``; a bead scored in one run only is refused."""
    scored = []
    for key in keys:
        values = [base_segments[key].scores.get(base_name, {}).get(metric),
                  cand_segments[key].scores.get(cand_name, {}).get(metric)]
        if all(v is None for v in values):
            continue
        for role, system, value in zip(("baseline", "candidate"), (base_name, cand_name), values):
            if value is None or not math.isfinite(value):
                raise InputError(
                    f"The {role} results have no finite {metric} score for the bead of source sentences "
                    f"{list(key[1])} and reference sentences {list(key[2])} of document '{key[0]}' (system "
                    f"'{system}'), which the other run scored; --significant compares the beads both runs scored."
                )
        scored.append(key)
    if len(scored) < 2:
        raise InputError(f"--significant needs at least two beads that both runs scored with {metric}.")
    return scored
