"""`mteval compare`: several systems, intervals, differences to the baseline, significance."""
from __future__ import annotations

import argparse

from mteval.errors import InputError
from mteval.cli import run_cmd
from mteval.cli.formats import print_results, print_tsv
from mteval.cli.options import decimals
from mteval.cli.output import print_table


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    run_cmd.add_arguments(parser, command)
    parser.add_argument("--baseline", help="system the others are compared with (default: the first --hyp, "
                                           "else the first --model)")
    parser.add_argument("--trials", "--paired-ar-n", "-parn", type=int, default=10000, metavar="N",
                        help="approximate randomization trials (--paired-ar-n is sacrebleu's spelling)")
    parser.add_argument("--part", choices=["whole", "parallel"], default="whole", help="which part the table shows")


def execute(args: argparse.Namespace, command: str) -> int:
    if len(args.hyp or []) + len(args.model or []) < 2:
        raise InputError("mteval compare needs at least two systems (--hyp NAME=FILE or --model NAME=PATH, repeated).")
    width = decimals(args)
    results = run_cmd.evaluate_from_args(args, command, baseline=args.baseline, n_trials=args.trials)
    if args.format == "tsv" and not (args.sentence_level or args.score_only):
        print_tsv(["metric", "system", "score", "ci_low", "ci_high", "difference", "p_bootstrap", "p_ar"],
                  comparison_rows(results, args.part), width=width)
    elif not print_results(results, fmt=args.format, sentence_level=args.sentence_level, score_only=args.score_only,
                           width=width):
        print_comparison(results, args.part, width)
    return run_cmd.finish(results, args, command)


def comparison_rows(results, part: str) -> list[list]:
    """One row per metric and system: score, interval, difference to the baseline and the two p-values
    (None for the baseline itself)."""
    tests = (results.significance or {}).get(part)
    if not tests:
        return []
    bootstrap, randomization = tests["paired_bootstrap"], tests["approximate_randomization"]
    rows = []
    for metric in bootstrap["metrics"]:
        for system in bootstrap["systems"]:
            entry = bootstrap["results"][system][metric]
            p_bs = entry["p_value"]
            rows.append([metric, system, entry["score"], entry["ci_low"], entry["ci_high"],
                         None if p_bs is None else entry["difference"], p_bs,
                         randomization["results"][system][metric]["p_value"]])
    return rows


def print_comparison(results, part: str, width: int) -> None:
    rows = comparison_rows(results, part)
    if not rows:
        print(f"No significance results for the {part} part (fewer than two shared segments or one system).")
        return
    tests = results.significance[part]
    bootstrap, randomization = tests["paired_bootstrap"], tests["approximate_randomization"]
    cells = []
    for metric, system, score, low, high, difference, p_bs, p_ar in rows:
        mark = "" if p_bs is None else ("*" if max(p_bs, p_ar) < 0.05 else "")
        cells.append([
            metric, system + (" (baseline)" if system == bootstrap["baseline"] else ""), f"{score:.{width}f}",
            f"[{low:.{width}f}, {high:.{width}f}]", None if difference is None else f"{difference:+.{width}f}",
            None if p_bs is None else f"{p_bs:.4f}", None if p_ar is None else f"{p_ar:.4f}", mark,
        ])
    print_table(
        f"{part} text: {bootstrap['n_segments']} segments; paired bootstrap ({bootstrap['n_resamples']}) and "
        f"approximate randomization ({randomization['n_resamples']}); * = p < 0.05 in both",
        ["metric", "system", "score", "95% CI", "Δ baseline", "p (bootstrap)", "p (AR)", ""],
        cells,
    )
