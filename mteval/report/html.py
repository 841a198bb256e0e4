"""The HTML report: one self-contained page per results file.

``render_html(results)`` returns the page; ``write_report(results, DIR)``
writes it to ``DIR/index.html``. The page loads nothing from the network:
its stylesheet, script and plots (SVG) are inline, and its content security
policy allows no other source. All text from the results is escaped by the
templates (jinja2 autoescape) or, for highlighted sentences, piece by piece.

jinja2 and matplotlib are imported when a report is rendered, not at import.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["render_html", "write_report", "results_markdown", "document_view", "significance_tests"]


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


def results_markdown(results) -> str:
    from mteval.report.markdown import results_markdown as markdown

    return markdown(results)


def document_view(results, doc_id: str):
    from mteval.report.views import document_view as view

    return view(results, doc_id)


# -- the page's data ---------------------------------------------------------------------


def _fmt(value: Any, metric: str = "") -> str:
    from mteval.report.views import format_score

    return format_score(value, metric)


def _ci(entry: dict[str, Any], metric: str) -> str:
    low, high = entry.get("ci_low"), entry.get("ci_high")
    if low is None or high is None:
        return ""
    return f"[{_fmt(low, metric)}, {_fmt(high, metric)}]"


def page_context(results) -> dict[str, Any]:
    from markupsafe import Markup

    from mteval.report.plots import main_metric, report_plots
    from mteval.report.views import document_view, metric_label

    provenance = results.provenance or {}
    systems = results.systems
    metric = main_metric(results)
    lower_is_better = metric == "ter"

    corpus_rows, has_ter, ci_levels = _corpus_rows(results, provenance)
    ci_text = (f"{round(100 * ci_levels[0])}% bootstrap confidence intervals" if ci_levels
               else "no confidence intervals were computed")

    views, documents = [], []
    for position, doc in enumerate(results.documents):
        anchor = f"doc-{position}"
        view = document_view(results, doc, anchor=anchor, main_metric=metric)
        views.append(Markup(view.to_html(standalone=False)))
        scores = []
        for system in systems:
            entry = ((doc.get("systems", {}).get(system) or {}).get("scores", {}).get("whole", {}) or {}).get(metric)
            value = None if entry is None else entry.get("score")
            scores.append(("" if value is None else f"{value:.6g}", _fmt(value, metric or "")))
        documents.append(
            {
                "anchor": anchor,
                "doc_id": view.doc_id,
                "beads": len(view.beads),
                "divergences": view.n_divergences,
                "major": view.n_major,
                "mt": sum(count for kind, count in view.counts.items() if kind.startswith("mt_")),
                "related": view.related,
                "scores": scores,
            }
        )
    documents.sort(key=lambda row: (-row["divergences"], row["anchor"]))

    audit = provenance.get("audit") or {}
    inputs = [str(item.get("path", item)) if isinstance(item, dict) else str(item)
              for item in provenance.get("inputs") or []]
    meta = {
        "version": provenance.get("mteval_version", ""),
        "created": provenance.get("created", ""),
        "fingerprint": str(provenance.get("corpus_fingerprint") or "")[:16],
        "inputs": inputs,
        "n_documents": len(results.documents),
        "n_beads": sum(row["beads"] for row in documents),
        "n_divergences": sum(row["divergences"] for row in documents),
        "n_major": sum(row["major"] for row in documents),
        "mt_signal_from": audit.get("mt_signal_from"),
    }
    names = ", ".join(row["doc_id"] for row in documents[:1])
    title = "mteval report" + (f": {names}" if len(documents) == 1 else f": {len(documents)} documents")
    return {
        "title": title,
        "meta": meta,
        "systems": systems,
        "corpus_rows": corpus_rows,
        "has_ter": has_ter,
        "ci_text": ci_text,
        "significance": _significance(results),
        "skipped": [
            {"stage": item.get("stage", ""), "what": item.get("system") or item.get("metric") or "",
             "reason": item.get("reason", "")}
            for item in results.skipped
        ],
        "plots": [(id_, caption, Markup(svg)) for id_, caption, svg in report_plots(results)],
        "documents": documents,
        "views": views,
        "main_metric": metric,
        "main_label": metric_label(metric) if metric else "",
        "lower_is_better": lower_is_better,
    }


def _model_of(provenance: dict[str, Any], system: str) -> str:
    record = (provenance.get("systems") or {}).get(system) or {}
    if record.get("precomputed"):
        return "precomputed output"
    model = record.get("model") or ""
    engine = record.get("engine")
    return f"{model} ({engine})" if model and engine else str(model)


def _corpus_rows(results, provenance) -> tuple[list[dict[str, Any]], bool, list[float]]:
    from mteval.report.views import metric_label

    rows: list[dict[str, Any]] = []
    best: dict[tuple[str, str], float] = {}
    metrics_seen: list[str] = []
    levels: list[float] = []
    for system, parts in results.corpus.items():
        for part, metrics in parts.items():
            for metric, entry in metrics.items():
                if metric not in metrics_seen:
                    metrics_seen.append(metric)
                if entry.get("ci_level"):
                    levels.append(float(entry["ci_level"]))
                score = entry.get("score")
                if score is None:
                    continue
                key = (part, metric)
                better = min if metric == "ter" else max
                best[key] = score if key not in best else better(best[key], score)
    for system, parts in results.corpus.items():
        whole, parallel = parts.get("whole", {}), parts.get("parallel", {})
        metrics = [m for m in metrics_seen if m in whole or m in parallel]
        for index, metric in enumerate(metrics):
            w, p = whole.get(metric) or {}, parallel.get(metric) or {}
            ws, ps = w.get("score"), p.get("score")
            several = len(results.corpus) > 1
            rows.append(
                {
                    "system": system,
                    "model": _model_of(provenance, system),
                    "first": index == 0,
                    "span": len(metrics),
                    "metric": metric,
                    "label": metric_label(metric),
                    "signature": w.get("signature") or p.get("signature") or "",
                    "whole": _fmt(ws, metric),
                    "whole_ci": _ci(w, metric),
                    "parallel": _fmt(ps, metric),
                    "parallel_ci": _ci(p, metric),
                    "gap": "–" if ws is None or ps is None else f"{ps - ws:+.{3 if metric == 'comet' else 2}f}",
                    "n_whole": w.get("n_segments", "–"),
                    "n_parallel": p.get("n_segments", "–"),
                    "best_whole": several and ws is not None and ws == best.get(("whole", metric)),
                    "best_parallel": several and ps is not None and ps == best.get(("parallel", metric)),
                }
            )
    return rows, "ter" in metrics_seen, levels


def significance_tests(data: Any) -> list[tuple[str, dict[str, Any]]]:
    """``(part, test record)`` pairs of a results file's significance block (either layout)."""
    if not isinstance(data, dict) or not data:
        return []
    if "results" in data:
        return [("whole", data)]
    tests = []
    for part, records in data.items():
        if isinstance(records, dict):
            tests += [(part, record) for record in records.values() if isinstance(record, dict) and "results" in record]
    return tests


def _significance(results) -> list[dict[str, Any]]:
    """One table per part: each system and metric against the baseline, a p-value per test."""
    from mteval.report.views import metric_label

    tables: dict[str, dict[str, Any]] = {}
    for part, record in significance_tests(results.significance):
        table = tables.setdefault(part, {"part": part, "baseline": record.get("baseline"), "tests": [], "rows": {}})
        test = str(record.get("test", "")).replace("_", " ")
        table["tests"].append(
            {"name": test, "n": record.get("n_resamples") or record.get("n_bootstrap") or "",
             "method": record.get("p_value_method", ""), "n_segments": record.get("n_segments", "")}
        )
        for system, metrics in (record.get("results") or {}).items():
            for metric, entry in metrics.items():
                row = table["rows"].setdefault(
                    (system, metric),
                    {
                        "system": system,
                        "metric": metric_label(metric),
                        "score": _fmt(entry.get("score"), metric),
                        "ci": _ci(entry, metric),
                        "difference": "baseline" if system == table["baseline"]
                        else f"{float(entry.get('difference') or 0):+.3g}",
                        "p": [],
                    },
                )
                p = entry.get("p_value")
                row["p"].append("–" if p is None else f"{float(p):.4f}")
    out = []
    for table in tables.values():
        table["rows"] = list(table["rows"].values())
        for row in table["rows"]:
            row["p"] += ["–"] * (len(table["tests"]) - len(row["p"]))
        out.append(table)
    return out
