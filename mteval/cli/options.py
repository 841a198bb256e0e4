"""Command-line options shared by several subcommands."""
from __future__ import annotations

import argparse
from pathlib import Path

from mteval.errors import InputError


def add_translation_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("translation")
    group.add_argument("--engine", default="auto", choices=["auto", "ctranslate2", "transformers"],
                       help="decoding engine (default: ctranslate2 when installed)")
    group.add_argument("--precision", default="default",
                       help="ctranslate2 compute type: int8 (default), int8_float32, float32 (int16 where the CPU has it)")
    group.add_argument("--shortlist", default=None, metavar="VMAP",
                       help="ctranslate2 vocabulary shortlist file (faster decoding; changes beam-search outputs)")
    group.add_argument("--inter-threads", type=int, default=None, help="ctranslate2 workers (default: one per core)")
    group.add_argument("--intra-threads", type=int, default=None, help="threads per ctranslate2 worker (default: 1)")
    group.add_argument("--beam-size", type=int, default=4)
    group.add_argument("--max-length", type=int, default=256)
    group.add_argument("--batch-size", type=int, default=16)
    group.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    group.add_argument("--seed", type=int, default=0, help="decoding seed")
    group.add_argument("--cache", type=Path, default=None,
                       help="translation cache file (default: the user cache directory; $MTEVAL_CACHE_DIR overrides)")
    group.add_argument("--no-cache", action="store_true", help="translate everything, store nothing")


def add_language_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--src-lang", default="id", help="source language code (id, en)")
    parser.add_argument("--ref-lang", default="en", help="reference language code (id, en)")


def translation_cache(args: argparse.Namespace):
    if args.no_cache:
        return False
    from mteval.caches.translations import TranslationCache

    return TranslationCache(args.cache) if args.cache else None


def decode_settings(args: argparse.Namespace):
    from mteval.systems.translate.translator import DecodeSettings

    for name in ("beam_size", "max_length", "batch_size"):
        if getattr(args, name) < 1:
            raise InputError(f"--{name.replace('_', '-')} must be at least 1.")
    return DecodeSettings(
        beam_size=args.beam_size, max_length=args.max_length, batch_size=args.batch_size,
        device=args.device, seed=args.seed, precision=args.precision, shortlist=args.shortlist,
        inter_threads=args.inter_threads, intra_threads=args.intra_threads,
    )


def named_paths(values: list[str] | None, option: str) -> dict[str, str]:
    """``NAME=PATH`` pairs (a bare PATH is named after its file)."""
    named: dict[str, str] = {}
    for value in values or []:
        name, sep, path = value.partition("=")
        if not sep:
            name, path = Path(value).stem or value, value
        if not name or not path:
            raise InputError(f"{option} expects NAME=PATH, got '{value}'.")
        if name in named:
            raise InputError(f"{option}: the name '{name}' is used twice.")
        named[name] = path
    return named
