"""`mteval gate` (exit 0 pass, 1 regression, 2 misuse) and `mteval baseline`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.gate import check_gate_options, check_regression, parse_max_drops, signed_drop
from mteval.output_files import cache_files, refuse_collisions, refuse_inputs, write_text
from mteval.results.stream import results_files
from mteval.results.records import Results
from mteval.cli.output import print_json, print_table, terminal_safe


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "baseline":
        parser.add_argument("results", type=Path, help="results.json from `mteval run` or `mteval compare`")
        parser.add_argument("-o", "--output", type=Path, required=True, help="baseline file to write")
        return
    parser.add_argument("candidate", type=Path, help="candidate results.json (from `mteval run` or `compare`)")
    parser.add_argument("--baseline", type=Path, required=True, help="stored baseline results")
    parser.add_argument("--max-drop", action="append", metavar="METRIC=AMOUNT",
                        help="allowed drop per metric, e.g. bleu=0.5 comet=0.01 (default: every metric of the "
                             "baseline, 0)")
    parser.add_argument("--part", choices=["whole", "parallel"], default="whole",
                        help="gate on the whole text or on the parallel part only")
    parser.add_argument("--significant", action="store_true",
                        help="fail only when the drop is also significant (paired bootstrap on stored segments)")
    parser.add_argument("--alpha", type=float, default=0.05, help="significance level, between 0 and 1 (default 0.05)")
    parser.add_argument("--system", help="candidate system (needed when the candidate results hold several)")
    parser.add_argument("--baseline-system", help="baseline system (needed when the baseline results hold several)")
    parser.add_argument("--markdown", type=Path, help="write a Markdown summary (for a pull-request comment)")
    parser.add_argument("--junit", type=Path, help="write JUnit XML (for CI dashboards)")
    parser.add_argument("--json", action="store_true", help="print the verdicts as JSON")


def execute(args: argparse.Namespace, command: str) -> int:
    if command == "baseline":
        results = Results.from_json(args.results)
        refuse_inputs([("-o/--output", args.output)], results_files(args.results, results) + cache_files())
        write_text(args.output, results.to_json() + "\n", what="the baseline")
        print(f"mteval baseline: {terminal_safe(args.output)} now holds the baseline "
              f"({terminal_safe(', '.join(results.systems) or 'no system')}).", file=sys.stderr)
        return 0
    check_gate_options(alpha=args.alpha, n_samples=1000)
    max_drops = parse_max_drops(args.max_drop)
    baseline, candidate = Results.from_json(args.baseline), Results.from_json(args.candidate)
    outputs = [("--markdown", args.markdown), ("--junit", args.junit)]
    refuse_inputs(outputs, results_files(args.baseline, baseline) + results_files(args.candidate, candidate)
                  + cache_files())
    refuse_collisions(outputs)
    report = check_regression(
        baseline,
        candidate,
        max_drops=max_drops,
        part=args.part,
        significant=args.significant,
        alpha=args.alpha,
        baseline_system=args.baseline_system,
        candidate_system=args.system,
    )
    if args.markdown:
        write_text(args.markdown, report.to_markdown(), what="the Markdown summary")
    if args.junit:
        write_text(args.junit, report.to_junit(), what="the JUnit report")
    if args.json:
        print_json(report.to_dict())
    else:
        rows = [[v.metric, f"{v.baseline:.4f}", f"{v.candidate:.4f}", signed_drop(v.drop),
                 f"{v.allowed:.4f}", None if v.p_value is None else f"{v.p_value:.4f}",
                 "REGRESSION" if v.regression else "ok"]
                for v in report.verdicts]
        print_table(f"gate: {report.candidate_system} vs baseline {report.baseline_system} ({report.part} text)",
                    ["metric", "baseline", "candidate", "drop", "allowed", "p", "verdict"], rows)
    print(f"mteval gate: {'passed' if report.passed else 'REGRESSION'}", file=sys.stderr)
    return report.exit_status
