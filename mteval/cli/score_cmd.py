"""`mteval score`: sacrebleu metrics on line-parallel files, with sacrebleu's flags.

``mteval score REF [REF ...] -i HYP`` and ``mteval score --ref REF --ref REF2 --hyp HYP``
both work; several references give multi-reference scores, and a missing
``--hyp`` (or ``-``) reads the hypotheses from standard input, as sacrebleu does.
"""
from __future__ import annotations

import argparse

from mteval.errors import InputError
from mteval.documents.loaders import STDIN, read_lines
from mteval.metrics.lexical import LEXICAL_METRICS, LexicalScorer, signatures
from mteval.cli.formats import print_corpus_scores, print_segment_scores
from mteval.cli.options import (add_bootstrap_options, add_sacrebleu_options, bootstrap_samples, decimals,
                                lexical_options)
from mteval.metrics.streaming import score_files
from mteval.cli.output import warn


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("refs", nargs="*", metavar="REF", help="reference file(s), one segment per line (as in sacrebleu)")
    parser.add_argument("--ref", "-r", action="append", default=[], metavar="REF",
                        help="a reference file; repeat it for several references per segment")
    parser.add_argument("--hyp", "-i", "--input", default=STDIN, metavar="HYP",
                        help="hypothesis file, one segment per line; '-' is standard input (default: -)")
    parser.add_argument("-m", "--metrics", nargs="+", default=list(LEXICAL_METRICS), choices=list(LEXICAL_METRICS),
                        help="metrics to compute")
    add_sacrebleu_options(parser)
    add_bootstrap_options(parser, default_samples=0)


def execute(args: argparse.Namespace, command: str) -> int:
    reference_paths = [*args.refs, *args.ref]
    if not reference_paths:
        raise InputError("Give at least one reference file (mteval score REF -i HYP, or --ref REF).")
    if reference_paths.count(STDIN) + (args.hyp == STDIN) > 1:
        raise InputError("Only one of the hypothesis and the references can be read from standard input ('-').")
    n_bootstrap = bootstrap_samples(args)
    width = decimals(args)
    for path in (args.hyp, *reference_paths):
        if path != STDIN and _starts_with_bom(path):
            warn(f"note: {path} starts with a byte-order mark, which mteval removes; sacrebleu reads it as part of "
                 "the first word, so its scores of this file can differ slightly.")
    if args.sentence_level and n_bootstrap:
        raise InputError("Confidence intervals are for corpus scores; drop --bootstrap/-ci with -sl.")
    hyp_name = "standard input" if args.hyp == STDIN else args.hyp
    meta = {"hypotheses": args.hyp, "references": reference_paths}
    refs = f"{len(reference_paths)} references" if len(reference_paths) > 1 else reference_paths[0]
    if not args.sentence_level and STDIN not in (args.hyp, *reference_paths):
        # Corpus scores of files: read a chunk at a time, statistics summed, so memory stays bounded.
        streamed = score_files(hypotheses=args.hyp, references=reference_paths, metrics=args.metrics,
                               n_bootstrap=n_bootstrap, seed=args.bootstrap_seed, options=lexical_options(args))
        for note in streamed.notes:
            warn(f"note: {note}")
        print_corpus_scores(streamed.scores, title=f"{hyp_name} vs {refs} ({streamed.n_segments} segments)",
                            fmt=args.format, score_only=args.score_only, width=width, meta=meta,
                            json_decimals=args.width)
        return 0
    hypotheses = read_lines(args.hyp)
    if args.hyp == STDIN:
        _refuse_several_systems(hypotheses)
    streams = [read_lines(path) for path in reference_paths]
    for path, stream in zip(reference_paths, streams):
        if len(stream) != len(hypotheses):
            raise InputError(
                f"{hyp_name} has {len(hypotheses)} lines but {path} has {len(stream)}; they must pair up line by line."
            )
    options = lexical_options(args)
    scorer = LexicalScorer(hypotheses=hypotheses, references=streams, metrics=args.metrics, options=options)
    if args.sentence_level:
        signed = signatures(args.metrics, options=options, n_references=len(streams), segment=True)
        print_segment_scores(scorer.segment_scores(), fmt=args.format, score_only=args.score_only, width=width,
                             meta={**meta, "signatures": signed}, json_decimals=args.width)
        return 0
    if not hypotheses:
        raise InputError(f"{hyp_name} has no lines to score.")
    scores = scorer.corpus(n_bootstrap=n_bootstrap, seed=args.bootstrap_seed)
    print_corpus_scores(scores, title=f"{hyp_name} vs {refs} ({len(hypotheses)} segments)", fmt=args.format,
                        score_only=args.score_only, width=width, meta=meta, json_decimals=args.width)
    return 0


def _refuse_several_systems(lines: list[str]) -> None:
    """sacrebleu reads tab-separated columns on standard input as one system each; scoring them as one line
    would give another figure without a word, so such input is refused."""
    columns = {line.count("\t") + 1 for line in lines}
    if len(columns) == 1 and (n := columns.pop()) > 1:
        raise InputError(f"Standard input has {n} tab-separated columns on every line, which sacrebleu reads as {n} "
                         "systems; mteval score scores one: give each system as a file, and compare them with "
                         "`mteval compare SRC REF --line-parallel --hyp A=FILE --hyp B=FILE`.")


def _starts_with_bom(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False  # the reader says what is wrong with the file
