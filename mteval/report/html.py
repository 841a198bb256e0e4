"""The HTML report: one self-contained page per results file.

``render_html(results)`` returns the page; ``write_report(results, DIR)``
writes it to ``DIR/index.html``. The page loads nothing from the network:
its stylesheet, script and plots (SVG) are inline, and its content security
policy allows no other source. All text from the results is escaped by the
templates (jinja2 autoescape) or, for highlighted sentences, piece by piece.
Labels, directions and number formats of the metrics come from the metric
registry (:mod:`mteval.metrics.base`).

jinja2 and matplotlib are imported when a report is rendered, not at import.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mteval.metrics.base import metric_info

__all__ = ["render_html", "write_report", "page_context", "corpus_rows", "significance_tables"]


def write_report(results, directory: str | Path) -> Path:
    """Write the report of ``results`` to ``directory/index.html`` and return that path."""
    from mteval.output_files import ensure_directory, write_text

    path = ensure_directory(directory, what="the report directory") / "index.html"
    return write_text(path, render_html(results), what="the report")


def render_html(results, *, title: str | None = None) -> str:
    """The whole report page of ``results`` as a string."""
    import base64
    import hashlib

    from markupsafe import Markup

    from mteval.report.views import _environment, asset

    script = asset("script.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    context = page_context(results)
    context.update(
        title=title or context["title"],
        css=Markup(asset("style.css")),
        script=Markup(script),
        script_hash=f"sha256-{digest}",
    )
    return _environment().get_template("report.html.j2").render(**context)


# -- the page's data ---------------------------------------------------------------------


def interval(entry, metric: str) -> str:
    """``[low, high]`` of a score in the metric's format; empty when no interval was computed."""
    if entry is None or entry.ci_low is None or entry.ci_high is None:
        return ""
    info = metric_info(metric)
    return f"[{info.format(entry.ci_low)}, {info.format(entry.ci_high)}]"


def document_rows(results, metric: str | None) -> list[dict[str, Any]]:
    """One row per document for the documents table: counts and each system's main score."""
    rows = []
    for position, doc in enumerate(results.documents):
        pair = doc.audit.divergences
        scores = []
        for system in results.systems:
            work = doc.systems.get(system)
            entry = work.scores.get("whole", {}).get(metric) if work is not None and metric else None
            value = None if entry is None else entry.score
            scores.append(("" if value is None else f"{value:.6g}", metric_info(metric).format(value) if metric else "–"))
        rows.append({
            "anchor": f"doc-{position}", "doc_id": doc.doc_id, "beads": len(doc.segments),
            "divergences": len(pair), "major": sum(d.severity == "major" for d in pair),
            "mt": sum(len(work.mt_errors) for work in doc.systems.values()),
            "related": doc.audit.related, "scores": scores,
        })
    return rows


def page_context(results) -> dict[str, Any]:
    from markupsafe import Markup

    from mteval.report.plots import report_plots
    from mteval.report.views import document_view, main_metric

    provenance = results.provenance or {}
    metric = main_metric(results)
    rows, levels = corpus_rows(results)
    ci_text = (f"{round(100 * levels[0])}% bootstrap confidence intervals" if levels
               else "no confidence intervals were computed")

    views = [document_view(results, doc, anchor=f"doc-{position}") for position, doc in enumerate(results.documents)]
    documents = document_rows(results, metric)
    documents.sort(key=lambda row: (-row["divergences"], row["anchor"]))

    inputs = [str(item.get("path", item)) if isinstance(item, dict) else str(item)
              for item in provenance.get("inputs") or []]
    meta = {
        "version": provenance.get("mteval_version", ""),
        "created": provenance.get("created", ""),
        "fingerprint": str(provenance.get("corpus_fingerprint") or "")[:16],
        "full_fingerprint": str(provenance.get("corpus_fingerprint") or ""),
        "review": provenance.get("review"),
        "inputs": inputs,
        "n_documents": len(results.documents),
        "n_beads": sum(row["beads"] for row in documents),
        "n_divergences": sum(row["divergences"] for row in documents),
        "n_major": sum(row["major"] for row in documents),
        "align_with": (provenance.get("audit") or {}).get("align_with"),
    }
    names = ", ".join(row["doc_id"] for row in documents[:1])
    title = "mteval report" + (f": {names}" if len(documents) == 1 else f": {len(documents)} documents")
    return {
        "title": title,
        "meta": meta,
        "systems": results.systems,
        "corpus_rows": rows,
        "directions": directions(results),
        "ci_text": ci_text,
        "significance": significance_tables(results),
        "skipped": skipped_rows(results),
        "plots": [(id_, caption, Markup(svg)) for id_, caption, svg in report_plots(results)],
        "documents": documents,
        "views": [Markup(view.to_html(standalone=False)) for view in views],
        "main_metric": metric,
        "main_label": metric_info(metric).label if metric else "",
        "lower_is_better": bool(metric) and not metric_info(metric).higher_is_better,
    }


def skipped_rows(results) -> list[dict[str, str]]:
    return [{"stage": item.stage, "what": item.system or item.metric or "", "reason": item.reason}
            for item in results.skipped]


def directions(results) -> list[tuple[str, bool, str]]:
    """``(label, higher_is_better, description)`` of every metric scored, for the legend."""
    metrics = dict.fromkeys(m for scores in results.corpus.values() for part in scores.parts.values() for m in part)
    out = []
    for info in map(metric_info, metrics):
        direction = f"{'higher' if info.higher_is_better else 'lower'} is better"
        out.append((info.label, info.higher_is_better,
                    info.description if direction in info.description else f"{info.description} ({direction})"))
    return out


def _model_of(provenance: dict[str, Any], system: str) -> str:
    record = (provenance.get("systems") or {}).get(system) or {}
    if record.get("precomputed"):
        return "precomputed output"
    model = record.get("model") or ""
    engine = record.get("engine")
    return f"{model} ({engine})" if model and engine else str(model)


def corpus_rows(results) -> tuple[list[dict[str, Any]], list[float]]:
    """One row per system and metric (whole text, parallel part, their gap) and the interval levels seen."""
    provenance = results.provenance or {}
    metrics_seen = list(dict.fromkeys(
        m for scores in results.corpus.values() for part in scores.parts.values() for m in part))
    levels = [entry.ci_level for scores in results.corpus.values() for part in scores.parts.values()
              for entry in part.values() if entry.ci_level]
    best: dict[tuple[str, str], float] = {}
    for scores in results.corpus.values():
        for part, entries in scores.parts.items():
            for metric, entry in entries.items():
                better = max if metric_info(metric).higher_is_better else min
                key = (part, metric)
                best[key] = entry.score if key not in best else better(best[key], entry.score)
    several = len(results.corpus) > 1
    rows: list[dict[str, Any]] = []
    for system, scores in results.corpus.items():
        metrics = [m for m in metrics_seen if scores.get(m) is not None or scores.get(m, "parallel") is not None]
        for index, metric in enumerate(metrics):
            info = metric_info(metric)
            w, p = scores.get(metric, "whole"), scores.get(metric, "parallel")
            ws, ps = (None if w is None else w.score), (None if p is None else p.score)
            rows.append({
                "system": system,
                "model": _model_of(provenance, system),
                "first": index == 0,
                "span": len(metrics),
                "metric": metric,
                "label": info.label,
                "higher_is_better": info.higher_is_better,
                "signature": (w or p).signature,
                "whole": info.format(ws),
                "whole_ci": interval(w, metric),
                "parallel": info.format(ps),
                "parallel_ci": interval(p, metric),
                "gap": info.format_delta(None if ws is None or ps is None else ps - ws),
                "n_whole": _count(w, info),
                "n_parallel": _count(p, info),
                "best_whole": several and ws is not None and ws == best.get(("whole", metric)),
                "best_parallel": several and ps is not None and ps == best.get(("parallel", metric)),
            })
    return rows, levels


def _verdict(info, difference: float | None) -> str:
    """"better" or "worse" than the baseline, in the metric's direction ("" when equal or unknown)."""
    if difference is None or round(difference, info.decimals) == 0:
        return ""
    return "better" if info.improvement(0.0, difference) > 0 else "worse"


def _count(entry, info) -> str:
    """What a score was computed on: beads, or source sentences for an error rate."""
    if entry is None:
        return "–"
    return f"{entry.n_segments} sent." if info.kind == "count" else str(entry.n_segments)


def significance_tables(results) -> list[dict[str, Any]]:
    """One table per part: each system and metric against the baseline, a p-value per test."""
    from mteval.results.tables import significance_records

    tables: dict[str, dict[str, Any]] = {}
    for part, record in significance_records(results):
        baseline = record.get("baseline")
        table = tables.setdefault(part, {"part": part, "baseline": baseline, "tests": [], "rows": {}})
        table["tests"].append({
            "name": str(record.get("test", "")).replace("_", " "),
            "n": record.get("n_resamples") or record.get("n_bootstrap") or "",
            "method": record.get("p_value_method", ""), "n_segments": record.get("n_segments", ""),
        })
        for system, metrics in (record.get("results") or {}).items():
            if system == baseline:  # its scores are in the corpus table; the rows are the comparisons
                continue
            for metric, entry in metrics.items():
                info = metric_info(metric)
                row = table["rows"].setdefault((system, metric), {
                    "system": system,
                    "metric": info.label,
                    "score": info.format(entry.get("score")),
                    "ci": "" if entry.get("ci_low") is None else
                    f"[{info.format(entry['ci_low'])}, {info.format(entry['ci_high'])}]",
                    "difference": info.format_delta(entry.get("difference")),
                    "verdict": _verdict(info, entry.get("difference")),
                    "p": [],
                })
                p = entry.get("p_value")
                row["p"].append("–" if p is None else f"{float(p):.4f}")
    out = []
    for table in tables.values():
        table["rows"] = list(table["rows"].values())
        for row in table["rows"]:
            row["p"] += ["–"] * (len(table["tests"]) - len(row["p"]))
        out.append(table)
    return out
