"""Human-readable summaries of results for the terminal."""
from __future__ import annotations

import sys
import textwrap

from mteval.results.records import Results
from mteval.cli.output import print_table, terminal_safe, use_colour

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
    for system, parts in results.corpus.items():
        metrics = list(parts.get("whole", {}))
        for metric in metrics:
            whole = parts.get("whole", {}).get(metric)
            parallel = parts.get("parallel", {}).get(metric)
            digits = 4 if metric == "comet" else 2
            rows.append(
                [
                    system,
                    metric,
                    _number(whole["score"] if whole else None, digits),
                    _interval(whole, digits),
                    _number(parallel["score"] if parallel else None, digits),
                    _interval(parallel, digits),
                    _number((parallel["score"] - whole["score"]) if whole and parallel else None, digits, sign=True),
                ]
            )
    if rows:
        print_table(
            "Scores (whole text vs parallel part; the gap is what the reference's divergences cost)",
            ["system", "metric", "whole", "95% CI", "parallel", "95% CI", "gap"],
            rows,
            stream=stream,
        )


def _number(value: float | None, digits: int, *, sign: bool = False) -> str | None:
    if value is None:
        return None
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def _interval(entry, digits: int = 2) -> str | None:
    if not entry or entry.get("ci_low") is None:
        return None
    return f"[{entry['ci_low']:.{digits}f}, {entry['ci_high']:.{digits}f}]"


def print_divergences(results: Results, *, stream=sys.stdout, width: int = 100) -> None:
    colour = use_colour(stream)
    for doc in results.documents:
        audit = doc.get("audit") or {}
        divergences = audit.get("divergences", [])
        header = (
            f"{doc['doc_id']}: {len(doc['source_sentences'])} source / {len(doc['reference_sentences'])} reference "
            f"sentences, {len(audit.get('beads', []))} beads, {len(divergences)} divergences"
        )
        if not audit.get("related", True):
            header += " (the two sides look UNRELATED: no sentence pairs were trusted)"
        _emit(header, "bold", colour, stream)
        for divergence in divergences:
            spans = "; ".join(
                f"{span['side'][:3]}[{span['sentence']}] \"{_short(span['text'], 70)}\"" for span in divergence.get("spans", [])
            )
            line = f"  {divergence['severity']:<5} {divergence['kind']:<16} {divergence.get('role', ''):<12} {spans}"
            _emit(textwrap.shorten(line, width=max(width, 60), placeholder=" …"), KIND_STYLE.get(divergence["kind"]), colour, stream)


def print_warnings(results: Results, *, stream=sys.stderr) -> None:
    """Input warnings (a side that looks like another language) of every document."""
    for doc in results.documents:
        for warning in doc.get("warnings", []):
            print(f"mteval: warning: {terminal_safe(warning)}", file=stream)


def print_skipped(results: Results, *, stream=sys.stderr) -> None:
    for entry in results.skipped:
        system = f" with {entry['system']}" if entry.get("system") else ""
        print(terminal_safe(f"mteval: skipped {entry['stage']}{system}: {entry['reason']}"), file=stream)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _emit(text: str, style: str | None, colour: bool, stream) -> None:
    text = terminal_safe(text)
    if colour and style:
        from rich.console import Console
        from rich.text import Text

        Console(file=stream, highlight=False).print(Text(text, style=style))
    else:
        print(text, file=stream)
