"""Human-readable summaries of results for the terminal."""
from __future__ import annotations

import sys
import textwrap

from mteval.metrics.base import metric_info
from mteval.results.records import Results
from mteval.cli.output import print_table, use_colour

KIND_STYLE = {
    "source_only": "magenta",
    "reference_only": "cyan",
    "entity_mismatch": "yellow",
    "number_mismatch": "yellow",
    "mt_omission": "red",
    "mt_number_error": "red",
    "mt_entity_error": "red",
}


def print_scores(results: Results, *, stream=sys.stdout) -> None:
    rows = []
    for system, scores in results.corpus.items():
        for metric, whole in scores.parts.get("whole", {}).items():
            info = metric_info(metric)
            parallel = scores.get(metric, "parallel")
            gap = info.format_delta(parallel.score - whole.score) if parallel else None
            rows.append([system, info.label, info.format(whole.score), _interval(whole, info),
                         info.format(parallel.score) if parallel else None, _interval(parallel, info), gap])
    if rows:
        print_table(
            "Scores (whole text vs parallel part; the gap is what the reference's divergences cost)",
            ["system", "metric", "whole", "95% CI", "parallel", "95% CI", "gap"],
            rows,
            stream=stream,
        )


def _interval(entry, info) -> str | None:
    if entry is None or entry.ci_low is None:
        return None
    return f"[{info.format(entry.ci_low)}, {info.format(entry.ci_high)}]"


def print_divergences(results: Results, *, stream=sys.stdout, width: int = 100) -> None:
    colour = use_colour(stream)
    for doc in results.documents:
        audit = doc.audit
        errors = sum(len(work.mt_errors) for work in doc.systems.values())
        header = (
            f"{doc.doc_id}: {len(doc.source_sentences)} source / {len(doc.reference_sentences)} reference "
            f"sentences, {len(audit.beads)} beads, {len(audit.divergences)} divergences"
            + (f", {errors} MT errors" if doc.systems else "")
        )
        if not audit.related:
            header += " (the two sides look UNRELATED: no sentence pairs were trusted)"
        _emit(header, "bold", colour, stream)
        for divergence in doc.divergences():
            spans = "; ".join(f"{span.side[:3]}[{span.sentence}] \"{_short(span.text, 70)}\"" for span in divergence.spans)
            who = f"{divergence.system}: " if divergence.system else ""
            line = f"  {divergence.severity:<5} {divergence.kind:<16} {divergence.role:<12} {who}{spans}"
            _emit(textwrap.shorten(line, width=max(width, 60), placeholder=" …"), KIND_STYLE.get(divergence.kind), colour, stream)


def print_warnings(results: Results, *, stream=sys.stderr) -> None:
    """Input warnings (a side that looks like another language) of every document."""
    for doc in results.documents:
        for warning in doc.warnings:
            print(f"mteval: warning: {warning}", file=stream)


def print_skipped(results: Results, *, stream=sys.stderr) -> None:
    for entry in results.skipped:
        system = f" with {entry.system}" if entry.system else ""
        print(f"mteval: skipped {entry.stage}{system}: {entry.reason}", file=stream)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _emit(text: str, style: str | None, colour: bool, stream) -> None:
    if colour and style:
        from rich.console import Console
        from rich.text import Text

        Console(file=stream, highlight=False).print(Text(text, style=style))
    else:
        print(text, file=stream)
