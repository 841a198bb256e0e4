"""A Markdown summary of a results file, short enough for a pull-request comment.

``results_markdown(results)`` is shared by ``mteval report --format md`` and
the gate's summary. Text from the results (system names, document ids,
reasons) is escaped so that it cannot open links, tables or HTML.
"""
from __future__ import annotations

import re
from typing import Any

from mteval.metrics.base import metric_info

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
    from mteval.report.html import significance_tables
    from mteval.report.plots import divergence_counts_by_kind
    from mteval.report.views import kind_label, main_metric

    lines: list[str] = []
    n_docs = len(results.documents)
    systems = results.systems
    lines.append(f"### mteval: {n_docs} document{'s' if n_docs != 1 else ''}, "
                 f"{len(systems)} system{'s' if len(systems) != 1 else ''}")
    lines.append("")

    if results.corpus:
        rows, bracketed = [], False
        for system, scores in results.corpus.items():
            for metric in dict.fromkeys([*scores.parts.get("whole", {}), *scores.parts.get("parallel", {})]):
                info = metric_info(metric)
                w, p = scores.get(metric, "whole"), scores.get(metric, "parallel")
                gap = info.format_delta(None if w is None or p is None else p.score - w.score)
                rows.append([md_escape(system), info.label, _with_ci(w, info), _with_ci(p, info), gap])
                bracketed = bracketed or any(e is not None and e.ci_low is not None for e in (w, p))
        lines += _table(["system", "metric", "whole text", "parallel part", "gap"], rows, ["l", "l", "r", "r", "r"])
        lines.append("")
        lower = [info.label for info in _metrics(results) if not info.higher_is_better]
        lines.append("Whole text: every body segment; parallel part: segments whose reference does not diverge "
                     "from the source."
                     + (" Brackets: 95% bootstrap confidence intervals." if bracketed else "")
                     + (f" For {' and '.join(lower)} lower is better." if lower else ""))
        lines.append("")
    else:
        lines.append("No system was scored.")
        lines.append("")

    for table in significance_tables(results):
        rows = [[md_escape(row["system"]), row["metric"],
                 row["difference"] + (f" ({row['verdict']})" if row["verdict"] else ""), *row["p"]]
                for row in table["rows"]]
        if rows:
            tests = [test["name"] for test in table["tests"]]
            lines.append(f"**Significance** ({md_escape(table['part'])} text, against {md_escape(table['baseline'])})")
            lines.append("")
            lines += _table(["system", "metric", "difference", *(f"p ({md_escape(t)})" for t in tests)], rows,
                            ["l", "l", "r", *("r" for _ in tests)])
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
        ranked = sorted(results.documents, key=lambda d: -len(d.audit.divergences))
        info = metric_info(metric) if metric else None
        headers = ["document", "divergences", "major"] + [f"{info.label} {md_escape(s)}" for s in systems if info]
        rows = []
        for doc in ranked[:MAX_DOCUMENTS]:
            divergences = doc.audit.divergences
            scores = []
            for system in systems if info else []:
                entry = doc.systems[system].scores.get("whole", {}).get(metric) if system in doc.systems else None
                scores.append(info.format(None if entry is None else entry.score))
            rows.append([md_escape(doc.doc_id), str(len(divergences)),
                         str(sum(d.severity == "major" for d in divergences)), *scores])
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
            what = item.system or item.metric
            lines.append(f"- {md_escape(item.stage)}" + (f" ({md_escape(what)})" if what else "")
                         + f": {md_escape(item.reason)}")
        lines.append("")

    provenance = results.provenance or {}
    footer = [f"mteval {md_escape(provenance.get('mteval_version', ''))}"]
    if provenance.get("corpus_fingerprint"):
        footer.append(f"corpus {_code(str(provenance['corpus_fingerprint'])[:12])}")
    for name, signature in (provenance.get("metrics") or {}).items():
        footer.append(f"{metric_info(name).label} {_code(signature)}")
    lines.append("<sub>" + " · ".join(footer) + "</sub>")
    return "\n".join(lines) + "\n"


def _metrics(results):
    names = dict.fromkeys(m for s in results.corpus.values() for part in s.parts.values() for m in part)
    return [metric_info(m) for m in names]


def _with_ci(entry, info) -> str:
    if entry is None:
        return "–"
    text = info.format(entry.score)
    if entry.ci_low is not None and entry.ci_high is not None:
        text += f" [{info.format(entry.ci_low)}, {info.format(entry.ci_high)}]"
    return text
