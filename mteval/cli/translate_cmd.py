"""`mteval translate`: one translation per source sentence, one per line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.documents.loaders import read_text
from mteval.documents.segment import check_language, split_document, split_lines
from mteval.documents.text import normalise
from mteval.systems.translate.translator import DEFAULT_MODEL, Translator
from mteval.cli.options import add_translation_options, decode_settings, translation_cache
from mteval.cli.output import StageProgress, warn
from mteval.documents.overlong import overlong_warning, split_overlong
from mteval.output_files import cache_files, refuse_inputs, write_text


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("source", type=Path, help="source document (plain text)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"hub name or local Marian directory (default {DEFAULT_MODEL})")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    parser.add_argument("--src-lang", default="id", help="source language: any ISO 639-1/-3 or BCP-47 code")
    parser.add_argument("--presplit", action="store_true", help="the source has one sentence per line")
    add_translation_options(parser)


def execute(args: argparse.Namespace, command: str) -> int:
    check_language(args.src_lang)
    if args.output is not None:
        refuse_inputs([("-o/--output", args.output)], [args.source, args.cache, *cache_files()])
    text = normalise(read_text(args.source))
    sentences = split_lines(text) if args.presplit else split_document(text, args.src_lang)
    warning = overlong_warning(sentences, what=str(args.source))
    if warning:
        warn(f"warning: {warning}")
        sentences = split_overlong(sentences)
    translator = Translator(args.model, engine=args.engine, settings=decode_settings(args), cache=translation_cache(args))
    body = [s.text for s in sentences if s.role == "body"]
    progress = StageProgress()
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        progress("translate", done, len(body))

    translated = iter(translator.translate(body, progress=advance))
    progress.close()
    # Links, bylines and copyright lines are kept verbatim as their own lines.
    lines = [next(translated) if s.role == "body" else s.text for s in sentences]
    output = "\n".join(lines) + "\n"
    if args.output:
        write_text(args.output, output, what="the translation")
    else:
        sys.stdout.write(output)
    print(
        f"mteval translate: {len(body)} sentences, {translator.sentences_translated} translated by the model, "
        f"{len(body) - translator.sentences_translated} from the cache ({translator.engine_name}, {translator.precision}).",
        file=sys.stderr,
    )
    return 0
