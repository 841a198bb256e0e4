"""Jupyter hooks: ``results.show(doc_id)``, ``results._repr_html_()`` and ``results.plot``.

Nothing here prints; every function returns an object that Jupyter
displays (``_repr_html_``/``_repr_svg_``) or a plain string.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any


def show(results, doc_id: str | None = None):
    """The side-by-side view of one document (the first when ``doc_id`` is None), displayed inline."""
    from mteval.report.plots import main_metric
    from mteval.report.views import document_view

    if not results.documents:
        raise KeyError("these results have no documents")
    if doc_id is None:
        position, doc = 0, results.documents[0]
    else:
        matches = [(i, d) for i, d in enumerate(results.documents) if d.get("doc_id") == doc_id]
        if not matches:
            known = ", ".join(str(d.get("doc_id")) for d in results.documents[:5])
            raise KeyError(f"no document '{doc_id}' in these results (they have {known}"
                           f"{', ...' if len(results.documents) > 5 else ''})")
        position, doc = matches[0]
    return document_view(results, doc, anchor=f"doc-{position}", main_metric=main_metric(results))


def results_html(results) -> str:
    """A compact HTML summary for Jupyter: corpus scores and the documents (no side-by-side views)."""
    from mteval.report.views import _environment, asset

    context = page_context_light(results)
    html = _environment().get_template("summary.html.j2").render(**context)
    return f'<div class="mteval-report"><style>{asset("style.css")}</style>{html}</div>'


def page_context_light(results) -> dict[str, Any]:
    """The page context without plots or document views (for big corpora in a notebook)."""
    from mteval.report.html import _corpus_rows, _significance
    from mteval.report.plots import main_metric
    from mteval.report.views import format_score, metric_label

    metric = main_metric(results)
    rows, has_ter, levels = _corpus_rows(results, results.provenance or {})
    documents = []
    for position, doc in enumerate(results.documents):
        divergences = (doc.get("audit") or {}).get("divergences", [])
        scores = []
        for system in results.systems:
            parts = ((doc.get("systems") or {}).get(system) or {}).get("scores") or {}
            value = ((parts.get("whole") or {}).get(metric) or {}).get("score")
            scores.append(("" if value is None else f"{value:.6g}", format_score(value, metric or "")))
        documents.append({"anchor": f"doc-{position}", "doc_id": str(doc.get("doc_id", "")),
                          "beads": len((doc.get("audit") or {}).get("beads", [])), "divergences": len(divergences),
                          "major": sum(d.get("severity") == "major" for d in divergences),
                          "mt": sum(str(d.get("kind", "")).startswith("mt_") for d in divergences),
                          "related": (doc.get("audit") or {}).get("related", True), "scores": scores})
    return {"title": "mteval results", "systems": results.systems, "corpus_rows": rows, "has_ter": has_ter,
            "ci_text": "95% bootstrap confidence intervals" if levels else "no confidence intervals",
            "significance": _significance(results), "documents": documents, "main_label": metric_label(metric or ""),
            "skipped": [{"stage": s.get("stage", ""), "what": s.get("system") or s.get("metric") or "",
                         "reason": s.get("reason", "")} for s in results.skipped]}


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
    """``results.plot``: the report's plots. Each method returns an :class:`SVGPlot`, or draws on ``ax``."""

    def __init__(self, results):
        self._results = results

    def __repr__(self) -> str:
        return "<ResultsPlots: .scores(metric=None, part='whole'), .divergences(), .score_vs_length(metric=None)>"

    def scores(self, metric: str | None = None, *, part: str = "whole", ax=None):
        """Distribution of segment scores per system (box and dots)."""
        from mteval.report import plots

        if ax is not None:
            return plots.draw_score_distributions(self._results, ax, metric=metric, part=part)
        return SVGPlot(plots.score_distributions_svg(self._results, metric=metric, part=part), "scores")

    score_distributions = scores

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
