"""A Markdown summary of a results file, short enough for a pull-request comment.

``results_markdown(results)`` is shared by ``mteval report --format md`` and
the gate's summary. Text from the results (system names, document ids,
reasons) is escaped so that it cannot open links, tables or HTML.
"""
from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
MAX_DOCUMENTS = 10


def md_escape(text: Any) -> str:
    """``text`` as literal Markdown on one line (no HTML, links, emphasis or table breaks)."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def _code(text: Any) -> str:
    value = " ".join(str(text).split()).replace("`", "'")
    return f"`{value}`" if value else ""


def _table(headers: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["l"] + ["r"] * (len(headers) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def results_markdown(results) -> str:
    """The summary of ``results`` as GitHub-flavoured Markdown."""
    from mteval.report.html import significance_tests
    from mteval.report.plots import divergence_counts_by_kind, main_metric
    from mteval.report.views import format_score, kind_label, metric_label

    lines: list[str] = []
    n_docs = len(results.documents)
    systems = results.systems
    lines.append(f"### mteval: {n_docs} document{'s' if n_docs != 1 else ''}, "
                 f"{len(systems)} system{'s' if len(systems) != 1 else ''}")
    lines.append("")

    if results.corpus:
        rows = []
        for system, parts in results.corpus.items():
            whole, parallel = parts.get("whole", {}), parts.get("parallel", {})
            for metric in list(dict.fromkeys([*whole, *parallel])):
                w, p = whole.get(metric) or {}, parallel.get(metric) or {}
                gap = "–" if w.get("score") is None or p.get("score") is None else f"{p['score'] - w['score']:+.2f}"
                rows.append([md_escape(system), metric_label(metric), _with_ci(w, metric, format_score),
                             _with_ci(p, metric, format_score), gap])
        lines += _table(["system", "metric", "whole text", "parallel part", "gap"], rows, ["l", "l", "r", "r", "r"])
        lines.append("")
        lines.append("Whole text: every body segment; parallel part: segments whose reference does not diverge "
                     "from the source. Brackets: 95% bootstrap confidence intervals. TER: lower is better.")
        lines.append("")
    else:
        lines.append("No system was scored.")
        lines.append("")

    for part, record in significance_tests(results.significance):
        baseline = record.get("baseline")
        test = str(record.get("test", "")).replace("_", " ")
        rows = []
        for system, metrics in (record.get("results") or {}).items():
            if system == baseline:
                continue
            for metric, entry in metrics.items():
                p = entry.get("p_value")
                rows.append([md_escape(system), metric_label(metric), f"{float(entry.get('difference') or 0):+.3g}",
                             "–" if p is None else f"{float(p):.4f}"])
        if rows:
            lines.append(f"**Significance** ({md_escape(part)} text, {md_escape(test)}, against "
                         f"{md_escape(baseline)})")
            lines.append("")
            lines += _table(["system", "metric", "difference", "p"], rows, ["l", "l", "r", "r"])
            lines.append("")

    counts = divergence_counts_by_kind(results)
    if counts:
        rows = [
            [md_escape(kind_label(kind)), *(str(counts[kind].get(s, 0)) for s in ("major", "minor", "info"))]
            for kind in counts
        ]
        lines.append("**Divergences** (source vs reference, and MT errors)")
        lines.append("")
        lines += _table(["kind", "major", "minor", "info"], rows)
        lines.append("")

    metric = main_metric(results)
    if results.documents:
        ranked = sorted(results.documents, key=lambda d: -len((d.get("audit") or {}).get("divergences", [])))
        headers = ["document", "divergences", "major"] + [f"{metric_label(metric)} {md_escape(s)}" for s in systems]
        rows = []
        for doc in ranked[:MAX_DOCUMENTS]:
            divergences = (doc.get("audit") or {}).get("divergences", [])
            scores = []
            for system in systems:
                entry = (((doc.get("systems") or {}).get(system) or {}).get("scores", {}).get("whole") or {}).get(metric)
                scores.append(format_score(None if entry is None else entry.get("score"), metric or ""))
            rows.append([md_escape(doc.get("doc_id", "")), str(len(divergences)),
                         str(sum(d.get("severity") == "major" for d in divergences)), *scores])
        title = "**Documents**" + (f" (the {MAX_DOCUMENTS} with the most divergences of {len(ranked)})"
                                   if len(ranked) > MAX_DOCUMENTS else "")
        lines.append(title)
        lines.append("")
        lines += _table(headers, rows)
        lines.append("")

    if results.skipped:
        lines.append("**Skipped**")
        lines.append("")
        for item in results.skipped:
            what = item.get("system") or item.get("metric")
            lines.append(f"- {md_escape(item.get('stage', ''))}" + (f" ({md_escape(what)})" if what else "")
                         + f": {md_escape(item.get('reason', ''))}")
        lines.append("")

    provenance = results.provenance or {}
    footer = [f"mteval {md_escape(provenance.get('mteval_version', ''))}"]
    if provenance.get("corpus_fingerprint"):
        footer.append(f"corpus {_code(str(provenance['corpus_fingerprint'])[:12])}")
    for name, signature in (provenance.get("metrics") or {}).items():
        footer.append(f"{metric_label(name)} {_code(signature)}")
    lines.append("<sub>" + " · ".join(footer) + "</sub>")
    return "\n".join(lines) + "\n"


def _with_ci(entry: dict[str, Any], metric: str, fmt) -> str:
    if entry.get("score") is None:
        return "–"
    text = fmt(entry["score"], metric)
    if entry.get("ci_low") is not None and entry.get("ci_high") is not None:
        text += f" [{fmt(entry['ci_low'], metric)}, {fmt(entry['ci_high'], metric)}]"
    return text
