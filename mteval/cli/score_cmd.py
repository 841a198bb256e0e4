"""`mteval score`: sacrebleu metrics on line-parallel files."""
from __future__ import annotations

import argparse

from mteval.metrics.lexical import LEXICAL_METRICS
from mteval.metrics.streaming import score_files
from mteval.cli.output import print_json, print_table, warn


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("--hyp", required=True, help="hypothesis file, one segment per line")
    parser.add_argument("--ref", required=True, help="reference file, one segment per line")
    parser.add_argument("-m", "--metrics", nargs="+", default=list(LEXICAL_METRICS), choices=list(LEXICAL_METRICS))
    parser.add_argument("--confidence", type=int, default=0, metavar="N",
                        help="bootstrap N resamples for 95%% confidence intervals (sacrebleu uses 1000)")
    parser.add_argument("--seed", type=int, default=12345, help="bootstrap seed (sacrebleu's default is 12345)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")


def execute(args: argparse.Namespace, command: str) -> int:
    streamed = score_files(hypotheses=args.hyp, references=args.ref, metrics=args.metrics, n_bootstrap=args.confidence,
                           seed=args.seed)
    scores = streamed.scores
    for note in streamed.notes:
        warn(f"note: {note}")
    if args.json:
        print_json({"hypotheses": args.hyp, "references": args.ref, "scores": {k: v.to_dict() for k, v in scores.items()}})
        return 0
    rows = []
    for name, score in scores.items():
        interval = f"[{score.ci_low:.2f}, {score.ci_high:.2f}]" if score.ci_low is not None else None
        rows.append([name, score.score, interval, score.signature])
    print_table(f"{args.hyp} vs {args.ref} ({streamed.n_segments} segments)", ["metric", "score", "95% CI", "signature"], rows)
    return 0
