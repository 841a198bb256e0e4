"""Human-readable summaries of results for the terminal."""
from __future__ import annotations

import sys
from dataclasses import replace

from mteval.metrics.base import metric_info
from mteval.results.records import Results
from mteval.cli.output import print_table, terminal_safe, use_colour

SEVERITY_ORDER = {"major": 0, "minor": 1, "info": 2}
#: how the list marks a reviewer's decision
REVIEW_MARKS = {"false_alarm": "false alarm", "confirmed": "confirmed"}
KIND_STYLE = {
    "source_only": "magenta",
    "reference_only": "cyan",
    "entity_mismatch": "yellow",
    "number_mismatch": "yellow",
    "mt_omission": "red",
    "mt_number_error": "red",
    "mt_entity_error": "red",
}


def print_scores(results: Results, *, stream=None, decimals: int | None = None) -> None:
    """The score table; ``decimals`` (``-w``) overrides each metric's own."""
    stream = stream or sys.stdout
    rows = []
    for system, scores in results.corpus.items():
        for metric, whole in scores.parts.get("whole", {}).items():
            info = metric_info(metric)
            if decimals is not None:
                info = replace(info, decimals=decimals)
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


#: divergence lines the default summary lists, major ones first: the worst fit on one screen above the prompt
#: (--verbose lists them all)
DIVERGENCE_LINES = 12


def print_divergences(results: Results, *, stream=None, width: int = 100, limit: int | None = None) -> None:
    """Each document's counts and its divergences and MT errors; ``limit`` caps the listed lines, counting the rest."""
    stream = stream or sys.stdout
    colour = use_colour(stream)
    listed = 0
    # Chosen by position, not by object: a streamed run's documents are read anew on every pass.
    ranked = sorted(((_rank(d), n, k)
                     for n, doc in enumerate(results.documents) for k, d in enumerate(doc.divergences())))
    shown = {(n, k) for _, n, k in (ranked if limit is None else ranked[:limit])}
    for n, doc in enumerate(results.documents):
        audit = doc.audit
        errors = sum(len(work.mt_errors) for work in doc.systems.values())
        mine = [d for k, d in sorted(enumerate(doc.divergences()), key=lambda item: (_rank(item[1]), item[0]))
                if (n, k) in shown]
        if limit is not None and not mine:
            continue
        header = (
            f"{doc.doc_id}: {len(doc.source_sentences)} source / {len(doc.reference_sentences)} reference "
            f"sentences, {len(audit.beads)} beads, {len(audit.divergences)} divergences"
            + (f", {errors} MT errors" if doc.systems else "")
        )
        if not audit.related:
            header += " (the two sides look UNRELATED: no sentence pairs were trusted)"
        _emit(header, "bold", colour, stream)
        for divergence in mine:
            spans = "; ".join(f"{span.side[:3]}[{span.sentence}] \"{_short(span.text, 70)}\"" for span in divergence.spans)
            who = f"{divergence.system}: " if divergence.system else ""
            reviewed = f"[{REVIEW_MARKS[divergence.review]}] " if divergence.review in REVIEW_MARKS else ""
            line = f"  {divergence.severity:<5} {divergence.kind:<16} {divergence.role:<12} {who}{reviewed}{spans}"
            _emit(_short(line, max(width, 60)), KIND_STYLE.get(divergence.kind), colour, stream)
            listed += 1
    hidden = len(ranked) - listed
    if hidden > 0:
        print(f"… and {hidden} more divergences and MT errors (--verbose lists them all; the report shows them "
              "side by side).", file=stream)


def _rank(divergence) -> int:
    return SEVERITY_ORDER.get(divergence.severity, len(SEVERITY_ORDER))


def print_overview(results: Results, *, stream=None) -> None:
    """One line: documents, divergences and MT errors per system."""
    stream = stream or sys.stdout
    pair = [d for doc in results.documents for d in doc.audit.divergences]
    errors = {name: sum(len(doc.systems[name].mt_errors) for doc in results.documents if name in doc.systems)
              for name in results.systems}
    dismissed = sum(d.severity == "major" and d.review == "false_alarm" for d in pair)
    line = (f"{len(results.documents)} document(s), {len(pair)} divergences of the reference "
            f"({sum(d.severity == 'major' for d in pair)} major"
            + (f", {dismissed} of them dismissed by the review as false alarms)" if dismissed else ")"))
    if errors:
        line += "; MT errors: " + ", ".join(f"{name} {count}" for name, count in errors.items())
    print(line + ".", file=stream)


def print_timing(results: Results, *, stream=None) -> None:
    """Seconds per stage, from the provenance."""
    stream = stream or sys.stderr
    timing = dict((results.provenance or {}).get("timing") or {})
    total = timing.pop("total", None)
    if not timing:
        return
    parts = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in timing.items())
    print(f"mteval: time per stage: {parts}" + (f" (total {total:.1f} s)" if total is not None else ""), file=stream)


def print_warnings(results: Results, *, stream=None) -> None:
    """Input warnings (a side that looks like another language) of every document."""
    stream = stream or sys.stderr
    for doc in results.documents:
        for warning in doc.warnings:
            print(f"mteval: warning: {terminal_safe(warning)}", file=stream)


def print_review(results: Results, *, stream=None) -> None:
    """What an editor's review changed, and decisions that matched nothing (a review of other documents?)."""
    stream = stream or sys.stderr
    review = (results.provenance or {}).get("review")
    if not review:
        return
    print(terminal_safe(f"mteval: review {review['file']}: {review['false_alarms']} false alarm(s) and "
                        f"{review['confirmed']} confirmed divergence(s) applied"), file=stream)
    if review["unmatched"]:
        # the ids come from the review file, which may hold anything: printed escaped like any input
        print(terminal_safe(f"mteval: warning: {len(review['unmatched'])} review decision(s) match no divergence of "
                            f"these documents (first: {review['unmatched'][0]})."), file=stream)


def print_skipped(results: Results, *, stream=None) -> None:
    stream = stream or sys.stderr
    for entry in results.skipped:
        system = f" with {entry.system}" if entry.system else ""
        print(terminal_safe(f"mteval: skipped {entry.stage}{system}: {entry.reason}"), file=stream)


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
