"""The metric registry: one entry per metric, read by scoring, significance, the gate, the report and the CLI.

In sacrebleu's spirit every metric states what it is: a name, a label for
people, its direction, how a corpus score is obtained (``"statistics"``:
sacrebleu sufficient statistics summed over segments; ``"segment"``: the
mean of segment scores, as COMET; ``"count"``: an error rate, not a
similarity) and how many decimals it is shown with. Nothing else in the
project writes "TER is lower" or ``metric != "comet"``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    name: str
    label: str
    higher_is_better: bool
    kind: str  # "statistics" | "segment" | "count"
    decimals: int
    description: str

    def improvement(self, baseline: float, candidate: float) -> float:
        """How much better ``candidate`` is than ``baseline`` (negative: worse), in the metric's own units."""
        return candidate - baseline if self.higher_is_better else baseline - candidate

    def format(self, value: float | None) -> str:
        return "–" if value is None else f"{value:.{self.decimals}f}"

    def format_delta(self, value: float | None) -> str:
        return "–" if value is None else f"{value:+.{self.decimals}f}"


METRICS: dict[str, MetricInfo] = {
    "bleu": MetricInfo("bleu", "BLEU", True, "statistics", 1,
                       "n-gram precision with a brevity penalty (sacrebleu), 0-100"),
    "chrf": MetricInfo("chrf", "chrF", True, "statistics", 1, "character n-gram F-score (sacrebleu), 0-100"),
    "chrf++": MetricInfo("chrf++", "chrF++", True, "statistics", 1,
                         "chrF with word unigrams and bigrams (sacrebleu), 0-100"),
    "ter": MetricInfo("ter", "TER", False, "statistics", 1,
                      "edits needed per reference word, in percent (sacrebleu); lower is better"),
    "comet": MetricInfo("comet", "COMET", True, "segment", 4,
                        "learned quality estimate from source, output and reference; about 0-1"),
    "mt_errors": MetricInfo("mt_errors", "MT errors / 100 sent.", False, "count", 1,
                            "names and numbers of the source missing or changed in the output, per 100 source "
                            "sentences; lower is better"),
}

#: the sacrebleu metrics, in their usual order
LEXICAL_METRICS = tuple(name for name, info in METRICS.items() if info.kind == "statistics")


def metric_info(name: str) -> MetricInfo:
    """The registry entry of ``name``; an unknown name raises ``ValueError`` listing the known ones."""
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(f"Unknown metric '{name}'; known metrics: {', '.join(METRICS)}.") from None
