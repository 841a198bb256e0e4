"""`mteval report`: the HTML report (or a Markdown summary) of a results file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.errors import InputError


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("results", type=Path, help="a results.json written by `mteval run --out DIR`, or that DIR")
    parser.add_argument("-o", "--out", type=Path, metavar="DIR",
                        help="write DIR/index.html (html; default: a 'report' folder beside RESULTS) or "
                             "DIR/summary.md (md; default: print the summary to stdout)")
    parser.add_argument("--format", choices=["html", "md"], default="html",
                        help="html: the self-contained report page (default); md: a Markdown summary for "
                             "pull-request comments")


def execute(args: argparse.Namespace, command: str) -> int:
    from mteval.cli.output import terminal_safe
    from mteval.output_files import cache_files, ensure_directory, refuse_inputs, write_text
    from mteval.results.records import Results
    from mteval.results.stream import results_files

    if args.results.is_dir() and (args.results / "results.json").is_file():  # the --out directory of a run
        args.results = args.results / "results.json"
    if not args.results.is_file():
        raise InputError(f"{args.results}: no such results file.")
    results = Results.from_json(args.results)
    if args.format == "md":
        from mteval.report.markdown import results_markdown

        text = results_markdown(results)
        if args.out is None:
            sys.stdout.write(text)
            return 0
        path = ensure_directory(args.out, what="the summary directory") / "summary.md"
        refuse_inputs([("-o/--out", path)], results_files(args.results, results) + cache_files())
        write_text(path, text, what="the summary")
        print(f"mteval report: summary written to {terminal_safe(path)}", file=sys.stderr)
        return 0
    from mteval.report.html import write_report

    directory = args.out if args.out is not None else args.results.parent / "report"
    refuse_inputs([("-o/--out", directory / "index.html")], results_files(args.results, results))
    path = write_report(results, directory)
    print(f"mteval report: report written to {terminal_safe(path)}", file=sys.stderr)
    return 0
