"""The report's plots, drawn with matplotlib and returned as SVG text.

Each ``draw_*`` function draws on a matplotlib ``Axes`` (so a notebook can
place it in its own figure); each ``*_svg`` function makes a figure on the
non-interactive Agg canvas (created here, never at import, and without
touching pyplot's global backend) and returns it as an ``<svg>`` string.
Text in the SVG is real text, escaped by matplotlib's SVG writer.
"""
from __future__ import annotations

from typing import Any

from mteval.report.views import main_metric

SEVERITY_COLOURS = {"major": "#c62828", "minor": "#ef8f00", "info": "#90a4ae"}
# kinds in the order the report's legend uses
KIND_ORDER = ("source_only", "reference_only", "entity_mismatch", "number_mismatch",
              "mt_omission", "mt_number_error", "mt_entity_error")


def _plain(text: Any, limit: int = 28) -> str:
    """A label drawn as it is (no mathtext), shortened to ``limit`` characters."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _label(metric: str) -> str:
    from mteval.metrics.base import metric_info

    return metric_info(metric).label


def _colours(n: int) -> list:
    from matplotlib import colormaps

    # qualitative maps while they last (10, then 20 colours); beyond 20, evenly spaced hues of a continuous map, so
    # that no two systems share a colour
    if n <= 10:
        return [colormaps["tab10"](i) for i in range(n)]
    if n <= 20:
        return [colormaps["tab20"](i) for i in range(n)]
    return [colormaps["hsv"](i / n) for i in range(n)]


def _horizontal() -> dict:
    """Boxplot's keyword for horizontal boxes: ``orientation`` from matplotlib 3.10, ``vert`` before (deprecated)."""
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, _plain(message), ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])


# -- drawing -------------------------------------------------------------------------------


def draw_score_distributions(results, ax, *, metric: str | None = None, part: str = "whole"):
    """Per-segment scores of each system: a box per system with the segments as dots."""
    import numpy as np

    metric = main_metric(results, metric)
    systems = results.systems
    data = [results.segment_scores(system, metric, part) for system in systems] if metric else []
    if not any(len(values) for values in data):
        _empty(ax, "no segment scores")
        return ax
    positions = list(range(1, len(systems) + 1))
    ax.boxplot([values or [np.nan] for values in data], positions=positions, **_horizontal(), widths=0.5,
               showfliers=False, medianprops={"color": "#333333"}, boxprops={"color": "#777777"},
               whiskerprops={"color": "#777777"}, capprops={"color": "#777777"})
    rng = np.random.default_rng(0)
    for position, values, colour in zip(positions, data, _colours(len(systems))):
        if values:
            jitter = rng.uniform(-0.15, 0.15, size=len(values))
            ax.scatter(values, np.full(len(values), position) + jitter, s=14, color=colour, alpha=0.8, zorder=3)
    ax.set_yticks(positions)
    ax.set_yticklabels([_plain(system) for system in systems])
    ax.set_xlabel(f"segment {_label(metric)} ({part} text)")
    ax.set_title(f"{_label(metric)} per segment, by system")
    ax.grid(axis="x", alpha=0.3)
    return ax


def divergence_counts_by_kind(results) -> dict[str, dict[str, int]]:
    """``{kind: {severity: count}}`` over every document: the pair's divergences and every system's MT errors."""
    counts: dict[str, dict[str, int]] = {}
    for doc in results.documents:
        for divergence in doc.divergences():
            by_severity = counts.setdefault(divergence.kind, {})
            by_severity[divergence.severity] = by_severity.get(divergence.severity, 0) + 1
    return counts


def draw_divergence_counts(results, ax):
    """Divergences per kind, stacked by severity."""
    from mteval.report.views import kind_label

    counts = divergence_counts_by_kind(results)
    if not counts:
        _empty(ax, "no divergences")
        return ax
    kinds = [k for k in KIND_ORDER if k in counts] + sorted(k for k in counts if k not in KIND_ORDER)
    kinds = kinds[::-1]  # first kind at the top
    left = [0] * len(kinds)
    severities = list(SEVERITY_COLOURS) + sorted({s for c in counts.values() for s in c} - set(SEVERITY_COLOURS))
    for severity in severities:
        values = [counts[k].get(severity, 0) for k in kinds]
        if not any(values):
            continue
        ax.barh(range(len(kinds)), values, left=left, color=SEVERITY_COLOURS.get(severity, "#5c6bc0"),
                label=_plain(severity), height=0.6)
        left = [a + b for a, b in zip(left, values)]
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, str(total), va="center", fontsize=8)
    ax.set_yticks(range(len(kinds)))
    ax.set_yticklabels([_plain(kind_label(k)) for k in kinds])
    ax.set_xlabel("divergences")
    ax.set_title("Divergences by kind")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(0, max(left) * 1.15 + 0.5)
    return ax


def draw_score_vs_length(results, ax, *, metric: str | None = None):
    """Segment score against the length of the bead's source text (words); hollow: not parallel."""
    metric = main_metric(results, metric)
    drew = False
    for system, colour in zip(results.systems, _colours(len(results.systems))):
        points = {True: ([], []), False: ([], [])}
        for _, segment in results.iter_segments():
            value = segment.scores.get(system, {}).get(metric)
            if value is None:
                continue
            xs, ys = points[segment.parallel]
            xs.append(len(segment.source.split()))
            ys.append(value)
        for parallel, (xs, ys) in points.items():
            if not xs:
                continue
            drew = True
            label = _plain(system) + ("" if parallel else " (not parallel)")
            if parallel:
                ax.scatter(xs, ys, s=18, color=colour, label=label, alpha=0.85)
            else:
                ax.scatter(xs, ys, s=18, facecolors="none", edgecolors=[colour], label=label, alpha=0.85)
    if not drew:
        _empty(ax, "no segment scores")
        return ax
    ax.set_xlabel("source length (words)")
    ax.set_ylabel(f"segment {_label(metric)}")
    ax.set_title(f"Segment {_label(metric)} versus length")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return ax


# -- SVG -------------------------------------------------------------------------------------


def _svg(draw, name: str, size: tuple[float, float], **kwargs) -> str:
    import io
    import warnings

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"mteval-{name}", "font.size": 9,
                                "svg.id": f"plot-{name}"}):
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(figure)
        buffer = io.StringIO()
        with warnings.catch_warnings():
            # text is written as SVG text (svg.fonttype none) and drawn by the browser's fonts: matplotlib's own
            # font lacking a glyph (CJK names) says nothing about the page
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
            draw(figure.add_subplot(), **kwargs)
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):].strip()


def score_distributions_svg(results, *, metric: str | None = None, part: str = "whole") -> str:
    height = 1.2 + 0.45 * max(1, len(results.systems))
    return _svg(lambda ax: draw_score_distributions(results, ax, metric=metric, part=part), "scores", (6.0, height))


def divergence_counts_svg(results) -> str:
    kinds = len(divergence_counts_by_kind(results)) or 1
    return _svg(lambda ax: draw_divergence_counts(results, ax), "divergences", (6.0, 1.0 + 0.35 * kinds))


def score_vs_length_svg(results, *, metric: str | None = None) -> str:
    return _svg(lambda ax: draw_score_vs_length(results, ax, metric=metric), "length", (6.0, 3.6))


def report_plots(results) -> list[tuple[str, str, str]]:
    """``(id, caption, svg)`` of each plot of the report."""
    metric = main_metric(results)
    label = _label(metric) if metric else "score"
    plots = []
    if results.systems:
        plots.append(("plot-scores", f"Distribution of segment {label} per system (dots: segments).",
                      score_distributions_svg(results, metric=metric)))
    plots.append(("plot-divergences", "Divergences between source and reference (and MT errors), by kind and "
                                      "severity.", divergence_counts_svg(results)))
    if results.systems:
        plots.append(("plot-length", f"Segment {label} versus source length; hollow dots are beads outside the "
                                     "parallel part.", score_vs_length_svg(results, metric=metric)))
    return plots
