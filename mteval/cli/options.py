"""Command-line options shared by several subcommands.

One name per idea in every command: ``--bootstrap N`` (bootstrap samples),
``--bootstrap-seed`` (the seed of resampling and randomization),
``--decode-seed`` (the seed of translation). sacrebleu's own spellings
(``-tok``, ``-l``, ``-lc``, ``-f``, ``-sl``, ``-b``, ``-w``, ``-ci``, ``-cin``) mean
what they mean in sacrebleu.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from mteval.errors import InputError

#: sacrebleu's default seed for bootstrap resampling and paired tests
SACREBLEU_SEED = 12345
OUTPUT_FORMATS = ("text", "json", "tsv")


class HelpFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless the text already names it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        unset = action.default in (None, [], ()) or action.default is False or action.default is argparse.SUPPRESS
        if "(default" in text or unset or not action.option_strings:
            return text
        if isinstance(action.default, (list, tuple)):
            shown = " ".join(str(v) for v in action.default)
        else:
            shown = str(action.default)
        return f"{text} (default: {shown})"


class _RefusedOption(argparse.Action):
    """An option refused with one sentence, ``reason`` with ``{option}`` for the spelling used: an old spelling
    that meant different things in different commands, or a sacrebleu flag mteval does not take. Registered by
    name, it also keeps argparse from reading it as the start of another option (``-s`` would be taken for ``-sl``)."""

    def __init__(self, option_strings, dest, reason: str = "", **kwargs):
        self.reason = reason
        super().__init__(option_strings, dest, nargs="?", help=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error(self.reason.format(option=option_string))


#: sacrebleu flags that are not supported, and what to do instead
_UNSUPPORTED = {
    ("-s", "--smooth-method"): "BLEU uses sacrebleu's default smoothing (exp)",
    ("-sv", "--smooth-value"): "BLEU uses sacrebleu's default smoothing (exp)",
    ("-t", "--test-set"): "give the files (mteval reads no sacrebleu test sets)",
    ("-cw", "--chrf-word-order"): "use -m chrf++ for word order 2",
    ("-nr", "--num-refs"): "give each reference as its own file",
}


def add_bootstrap_options(parser: argparse.ArgumentParser, *, default_samples: int) -> None:
    """``--bootstrap N`` (sacrebleu's ``-cin``, ``-ci``, ``--confidence``) and ``--bootstrap-seed``, the same in
    every command; ``default_samples`` applies when none of the sample options is given."""
    group = parser.add_argument_group("confidence intervals and significance")
    default_text = "0, or 1000 with -ci" if not default_samples else str(default_samples)
    group.add_argument("--bootstrap", "--confidence-n", "-cin", type=int, default=None, metavar="N",
                       help=f"bootstrap samples for 95%% confidence intervals and the paired bootstrap; 0: no "
                            f"intervals, and the paired bootstrap takes sacrebleu's 1000 "
                            f"(default: {default_text}; -cin is sacrebleu's spelling)")
    group.add_argument("-ci", "--confidence", action="store_const", const=1000, default=None,
                       help="sacrebleu's switch for confidence intervals: --bootstrap 1000 unless -cin says otherwise")
    group.add_argument("--bootstrap-seed", type=int, default=SACREBLEU_SEED, metavar="SEED",
                       help="seed of the bootstrap resamples and randomization trials, sacrebleu's by default")
    group.add_argument("--seed", action=_RefusedOption, reason="{option} is gone because it meant two things; use "
                       "--bootstrap-seed (resampling) or --decode-seed (translation).")
    parser.set_defaults(default_bootstrap=default_samples)


def bootstrap_samples(args: argparse.Namespace) -> int:
    """The number of bootstrap samples the options ask for (a positive count or 0)."""
    samples = args.bootstrap
    if samples is None:
        samples = args.confidence
    if samples is None:
        samples = args.default_bootstrap
    if samples < 0:
        raise InputError(f"--bootstrap must be 0 (no intervals) or a positive number of samples, not {samples}.")
    return samples


def decimals(args: argparse.Namespace, default: int | None = 4) -> int | None:
    """The decimals ``-w`` asks for, else ``default`` (None: each metric's own, in the text tables)."""
    if args.width is None:
        return default
    if args.width < 0:
        raise InputError(f"-w/--width is a number of decimals, 0 or more, not {args.width}.")
    return args.width


def add_sacrebleu_options(parser: argparse.ArgumentParser, *, language_pair_sets_languages: bool = False) -> None:
    """sacrebleu's scoring and reporting flags, spelled and meaning as in sacrebleu."""
    from sacrebleu.metrics.bleu import BLEU

    group = parser.add_argument_group("sacrebleu's options (-tok, -l and -lc change BLEU only, as in sacrebleu)")
    group.add_argument("-tok", "--tokenize", choices=list(BLEU.TOKENIZERS), default=None,
                       help="BLEU tokenizer (default: sacrebleu's choice for the target language of -l: zh, "
                            "ja-mecab, ko-mecab, otherwise 13a)")
    sets = ("; also sets --src-lang and --ref-lang when they are not given" if language_pair_sets_languages else "")
    group.add_argument("-l", "--language-pair", metavar="SRC-TGT", default=None,
                       help=f"source and target language, e.g. en-zh: picks BLEU's tokenizer as sacrebleu does{sets}")
    group.add_argument("-lc", "--lowercase", action="store_true", help="lowercase before BLEU (case-insensitive BLEU)")
    group.add_argument("-f", "--format", choices=OUTPUT_FORMATS, default="text",
                       help="text (tables), json or tsv (tab-separated, with a header row)")
    group.add_argument("--json", dest="format", action="store_const", const="json", help="the same as -f json")
    group.add_argument("-sl", "--sentence-level", action="store_true", help="one line of scores per segment")
    group.add_argument("-b", "--score-only", action="store_true", help="print the scores only, one number per line")
    group.add_argument("-w", "--width", type=int, default=None, metavar="N",
                       help="decimals of the printed scores (default: 4; in run's score table, "
                            "each metric's own)")
    for flags, instead in _UNSUPPORTED.items():
        group.add_argument(*flags, action=_RefusedOption, dest=f"unsupported_{flags[1][2:]}",
                           reason=f"sacrebleu's {{option}} is not supported here; {instead}.")


def split_language_pair(value: str) -> tuple[str, str]:
    """``en-zh`` -> (en, zh); BCP-47 halves work too (``pt-BR-en``, ``en-zh-Hant``)."""
    from mteval.documents.languages import standard_language

    parts = value.split("-")
    first_error = None
    for cut in range(1, len(parts)):
        source, target = "-".join(parts[:cut]), "-".join(parts[cut:])
        try:
            standard_language(source), standard_language(target)
        except InputError as err:
            first_error = first_error or err
            continue
        return source, target
    if len(parts) == 2 and all(parts):  # the form is right: the code is what is wrong, and says so
        raise InputError(f"-l {value}: {first_error}")
    raise InputError(f"-l expects SOURCE-TARGET language codes such as en-zh or id-en, got '{value}'.")


def lexical_options(args: argparse.Namespace):
    """LexicalOptions from -tok, -lc and the target language of -l (or --ref-lang)."""
    from mteval.documents.languages import base_language
    from mteval.metrics.lexical import LexicalOptions

    target = ""
    if args.language_pair:
        target = base_language(split_language_pair(args.language_pair)[1])
    elif getattr(args, "ref_lang", None):
        target = base_language(args.ref_lang)
    return LexicalOptions(tokenize=args.tokenize, lowercase=args.lowercase, target_lang=target)


def add_translation_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("translation")
    group.add_argument("--engine", default="auto", choices=["auto", "ctranslate2", "transformers"],
                       help="decoding engine (default: ctranslate2 when installed)")
    group.add_argument("--precision", default="default",
                       help="ctranslate2 compute type: int8 (default; float32 on CPUs whose int8 kernels saturate), "
                            "int8_float32, float32 (int16 where the CPU has it)")
    group.add_argument("--shortlist", default=None, metavar="VMAP",
                       help="ctranslate2 vocabulary shortlist file (faster decoding; changes beam-search outputs)")
    group.add_argument("--inter-threads", type=int, default=None, help="ctranslate2 workers (default: one per core)")
    group.add_argument("--intra-threads", type=int, default=None, help="threads per ctranslate2 worker (default: 1)")
    group.add_argument("--beam-size", type=int, default=4, help="beam width of the search")
    group.add_argument("--max-length", type=int, default=256, help="longest translation, in tokens")
    group.add_argument("--batch-size", type=int, default=16, help="sentences translated together")
    group.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    group.add_argument("--decode-seed", type=int, default=0, metavar="SEED", help="seed of translation (decoding)")
    group.add_argument("--cache", type=Path, default=None,
                       help="translation cache file (default: the user cache directory; $MTEVAL_CACHE_DIR overrides)")
    group.add_argument("--no-cache", action="store_true", help="translate everything, store nothing")


def add_language_options(parser: argparse.ArgumentParser, *, with_pair: bool = True) -> None:
    first, second = (", or the first half of -l", ", or the second half of -l") if with_pair else ("", "")
    parser.add_argument("--src-lang", default=None, metavar="CODE",
                        help=f"source language: any ISO 639-1/-3 or BCP-47 code (default: id{first})")
    parser.add_argument("--ref-lang", default=None, metavar="CODE",
                        help=f"reference language, coded likewise (default: en{second})")


def resolve_languages(args: argparse.Namespace) -> None:
    """Fill --src-lang/--ref-lang from -l when not given, else from the defaults (id, en); check both."""
    from mteval.documents.languages import standard_language

    pair = split_language_pair(args.language_pair) if getattr(args, "language_pair", None) else ("id", "en")
    args.src_lang = args.src_lang or pair[0]
    args.ref_lang = args.ref_lang or pair[1]
    standard_language(args.src_lang)
    standard_language(args.ref_lang)


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
        device=args.device, seed=args.decode_seed, precision=args.precision, shortlist=args.shortlist,
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
