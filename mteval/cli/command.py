"""The ``mteval`` command: parses the subcommand and maps errors to exit statuses.

Each subcommand lives in its own module and is imported only when run."""
from __future__ import annotations

import argparse
import importlib
import sys

from mteval import __version__

# Subcommand -> (module, one-line help). Modules are imported on use only,
# so `mteval --help` loads neither torch nor transformers nor comet.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("mteval.cli.run_cmd", "translate, audit and score document pairs (the main job)"),
    "translate": ("mteval.cli.translate_cmd", "translate a source document with a Marian model, one sentence per line"),
    "score": ("mteval.cli.score_cmd", "score line-parallel hypothesis and reference files with sacrebleu metrics"),
    "audit": ("mteval.cli.audit_cmd", "align source and reference and flag where they diverge (no MT needed)"),
    "compare": ("mteval.cli.compare_cmd", "compare several systems with confidence intervals and significance tests"),
    "gate": ("mteval.cli.gate_cmd", "fail (exit 1) when a candidate result regresses from a baseline"),
    "baseline": ("mteval.cli.gate_cmd", "store a results file as the baseline for `mteval gate`"),
    "report": ("mteval.cli.report_cmd", "write the HTML report of a results file"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mteval",
        description="Evaluate machine translation of news articles against loose human references.",
    )
    parser.add_argument("--version", action="version", version=f"mteval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    from mteval.cli.pipes import tolerant_stdout

    with tolerant_stdout():  # a reader that closes the pipe early (| head) ends the output quietly
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    from mteval.errors import MtevalError
    from mteval.cli.options import HelpFormatter

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv or argv[0] not in COMMANDS:
        parser.parse_args(argv)  # answers --help and --version; exits 2 on an unknown command
        parser.print_help(sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[command][0])
    # no abbreviations: sacrebleu's -s (smoothing) would otherwise be taken for -sl and change the output silently
    sub = argparse.ArgumentParser(prog=f"mteval {command}", description=COMMANDS[command][1],
                                  formatter_class=HelpFormatter, allow_abbrev=False)
    module.add_arguments(sub, command)
    args = sub.parse_args(rest)
    from mteval.cli.output import terminal_safe

    try:
        return int(module.execute(args, command) or 0)
    except MtevalError as err:
        print(f"mteval {command}: {terminal_safe(' '.join(str(err).split()))}", file=sys.stderr)
        return err.exit_status
    except KeyboardInterrupt:
        print(f"mteval {command}: interrupted; finished batches are kept in the cache.", file=sys.stderr)
        return 130
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            raise
        # A file operation no more specific handler turned into a sentence: still one sentence, never a traceback.
        from mteval.errors import os_error_reason

        where = err.filename if err.filename is not None else "a file"
        print(f"mteval {command}: {terminal_safe(where)}: {terminal_safe(os_error_reason(err))}.", file=sys.stderr)
        return 2
