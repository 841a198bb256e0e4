"""The notebook view of results: ``mteval.explore(results)``.

:class:`Explorer` wraps a :class:`~mteval.results.records.Results` (the
data) with what a notebook shows: a compact HTML summary
(``_repr_html_``), the side-by-side view of one document (``.show``) and
the report's plots (``.plot``). The data type knows nothing of it, so
results load, compare and gate without the report's dependencies.

Nothing here prints; every method returns an object that Jupyter displays
(``_repr_html_``/``_repr_svg_``) or a plain string.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

#: documents listed in the summary; the rest are counted (``to_pandas("document")`` has them all)
SUMMARY_DOCUMENTS = 20


def explore(results) -> "Explorer":
    """The notebook view of ``results`` (a :class:`Results` or the path of a results.json)."""
    return Explorer(results)


class Explorer:
    """``mteval.explore(results)``: shows itself as a summary; ``.show(doc_id)``, ``.plot``, ``.results``."""

    def __init__(self, results):
        from mteval.results.records import Results

        if isinstance(results, (str, Path)):
            results = Results.from_json(results)
        if not isinstance(results, Results):
            raise TypeError(f"explore() takes mteval Results or the path of a results.json, not {type(results).__name__}.")
        self.results = results

    def __repr__(self) -> str:
        return f"<mteval.explore: {self.results!r}; .show(doc_id), .plot, .results>"

    def show(self, doc_id: str | None = None):
        """The side-by-side view of one document (the first when ``doc_id`` is None), displayed inline."""
        return show(self.results, doc_id)

    def _repr_html_(self) -> str:
        return results_html(self.results)

    @property
    def plot(self) -> "ResultsPlots":
        """The report's plots: ``.plot.scores()``, ``.divergences()``, ``.score_vs_length()``."""
        return ResultsPlots(self.results)


def show(results, doc_id: str | None = None):
    """The side-by-side view of one document of ``results`` (the first when ``doc_id`` is None)."""
    from mteval.report.views import document_view

    if not results.documents:
        raise KeyError("These results have no documents.")
    if doc_id is None:
        position = 0
    else:
        ids = [d.doc_id for d in results.documents]
        if doc_id not in ids:
            shown = ", ".join(f"'{i}'" for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise KeyError(f"No document '{doc_id}' in these results; they hold {shown}.")
        position = ids.index(doc_id)
    return document_view(results, results.documents[position], anchor=f"doc-{position}")


def results_html(results) -> str:
    """A compact HTML summary for Jupyter: corpus scores and the documents (no side-by-side views)."""
    from mteval.report.views import _environment, asset

    html = _environment().get_template("summary.html.j2").render(**summary_context(results))
    return f'<div class="mteval-report"><style>{asset("style.css")}</style>{html}</div>'


def summary_context(results) -> dict[str, Any]:
    """The page context without plots or document views (for big corpora in a notebook)."""
    from mteval.metrics.base import metric_info
    from mteval.report.html import corpus_rows, directions, document_rows, significance_tables, skipped_rows
    from mteval.report.views import main_metric

    metric = main_metric(results)
    rows, levels = corpus_rows(results)
    return {"systems": results.systems, "corpus_rows": rows, "directions": directions(results),
            "ci_text": "95% bootstrap confidence intervals" if levels else "no confidence intervals",
            "significance": significance_tables(results), "documents": document_rows(results, metric),
            "limit": SUMMARY_DOCUMENTS, "main_label": metric_info(metric).label if metric else "",
            "skipped": skipped_rows(results)}


class SVGPlot:
    """A plot as SVG text; Jupyter shows it inline, ``save(path)`` writes it."""

    def __init__(self, svg: str, name: str):
        self.svg = svg
        self.name = name

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<SVGPlot {self.name}: {len(self.svg)} characters of SVG>"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.svg, encoding="utf-8")
        return path


class ResultsPlots:
    """The report's plots. Each method returns an :class:`SVGPlot`, or draws on ``ax`` when given."""

    def __init__(self, results):
        self._results = results

    def __repr__(self) -> str:
        return "<ResultsPlots: .scores(metric=None, part='whole'), .divergences(), .score_vs_length(metric=None)>"

    def scores(self, metric: str | None = None, *, part: str = "whole", ax=None):
        """Distribution of segment scores per system (box and dots)."""
        from mteval.report import plots
        from mteval.results.records import check_part

        check_part(part)

        if ax is not None:
            return plots.draw_score_distributions(self._results, ax, metric=metric, part=part)
        return SVGPlot(plots.score_distributions_svg(self._results, metric=metric, part=part), "scores")

    def divergences(self, *, ax=None):
        """Divergence counts by kind, stacked by severity."""
        from mteval.report import plots

        if ax is not None:
            return plots.draw_divergence_counts(self._results, ax)
        return SVGPlot(plots.divergence_counts_svg(self._results), "divergences")

    def score_vs_length(self, metric: str | None = None, *, ax=None):
        """Segment score against source length (words)."""
        from mteval.report import plots

        if ax is not None:
            return plots.draw_score_vs_length(self._results, ax, metric=metric)
        return SVGPlot(plots.score_vs_length_svg(self._results, metric=metric), "length")
