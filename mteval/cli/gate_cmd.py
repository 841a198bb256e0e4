"""`mteval gate` (exit 0 pass, 1 regression, 2 misuse) and `mteval baseline`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.gate import check_regression, parse_max_drops
from mteval.results.records import Results
from mteval.cli.output import print_json, print_table


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "baseline":
        parser.add_argument("results", type=Path, help="results.json from `mteval run` or `mteval compare`")
        parser.add_argument("-o", "--output", type=Path, required=True, help="baseline file to write")
        return
    parser.add_argument("candidate", type=Path, help="candidate results.json (from `mteval run` or `compare`)")
    parser.add_argument("--baseline", type=Path, required=True, help="stored baseline results")
    parser.add_argument("--max-drop", action="append", metavar="METRIC=AMOUNT",
                        help="allowed drop per metric, e.g. bleu=0.5 comet=0.01 (default: every shared metric, 0)")
    parser.add_argument("--part", choices=["whole", "parallel"], default="whole",
                        help="gate on the whole text or on the parallel part only")
    parser.add_argument("--significant", action="store_true",
                        help="fail only when the drop is also significant (paired bootstrap on stored segments)")
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--system", help="candidate system (default: the first)")
    parser.add_argument("--baseline-system", help="baseline system (default: the first)")
    parser.add_argument("--markdown", type=Path, help="write a Markdown summary (for a pull-request comment)")
    parser.add_argument("--junit", type=Path, help="write JUnit XML (for CI dashboards)")
    parser.add_argument("--json", action="store_true", help="print the verdicts as JSON")


def execute(args: argparse.Namespace, command: str) -> int:
    if command == "baseline":
        results = Results.from_json(args.results)
        results.to_json(args.output)
        print(f"mteval baseline: {args.output} now holds the baseline ({', '.join(results.systems) or 'no system'}).",
              file=sys.stderr)
        return 0
    report = check_regression(
        Results.from_json(args.baseline),
        Results.from_json(args.candidate),
        max_drops=parse_max_drops(args.max_drop),
        part=args.part,
        significant=args.significant,
        alpha=args.alpha,
        baseline_system=args.baseline_system,
        candidate_system=args.system,
    )
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(report.to_markdown(), encoding="utf-8")
    if args.junit:
        args.junit.parent.mkdir(parents=True, exist_ok=True)
        args.junit.write_text(report.to_junit(), encoding="utf-8")
    if args.json:
        print_json(report.to_dict())
    else:
        rows = [[v.metric, v.baseline, v.candidate, f"{v.drop:+.4f}", v.allowed,
                 None if v.p_value is None else f"{v.p_value:.4f}", "REGRESSION" if v.regression else "ok"]
                for v in report.verdicts]
        print_table(f"gate: {report.candidate_system} vs baseline {report.baseline_system} ({report.part} text)",
                    ["metric", "baseline", "candidate", "drop", "allowed", "p", "verdict"], rows)
    print(f"mteval gate: {'passed' if report.passed else 'REGRESSION'}", file=sys.stderr)
    return report.exit_status
