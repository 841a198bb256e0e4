"""The JSON boundary of :class:`~mteval.results.records.Results`: schema ``mteval.results`` version 2.

Top-level keys:

- ``schema``: ``"mteval.results"``; ``schema_version``: ``2``
- ``provenance``: mteval version, inputs and their SHA-256, ``corpus_fingerprint``,
  segmentation, the pair audit (embedder, aligner code digest, signal
  settings, ``align_with``, ``alignment_fingerprint``), per-system translation
  settings, metric signatures, COMET model and version, bootstrap samples and seed
- ``corpus``: ``{system: {"whole"|"parallel": {metric: MetricScore}}}``; the
  ``mt_errors`` entry is the system's MT errors per 100 source sentences
- ``documents``: per document ``doc_id``, languages, ``origin``, ``warnings``,
  ``source_sentences`` and ``reference_sentences`` (text, role, offsets),
  ``audit`` (beads, the pair's divergences, ``related``), ``segments`` (one
  per bead, the same for every system: texts, role, ``parallel``,
  ``hypotheses`` and segment ``scores`` per system) and ``systems`` (per
  system ``translations`` per source sentence, ``mt_errors`` and per-document
  ``scores``)
  (a streamed run, ``mteval run --out DIR``, writes them to ``DIR/results.jsonl``
  instead, one document record per line, and ``documents_file`` names that
  file, relative to ``results.json``; ``n_documents`` counts its lines and
  ``documents_sha256`` is the file's digest; the reader then reads the
  documents lazily, one line at a time, and refuses a file that has changed)
- ``skipped``: stages that did not run (``stage``, ``reason``, ``system``/``metric``)
- ``significance``: paired tests between systems, when more than one was scored

Version 1 files (MT errors mixed into the pair's divergences, the parallel
part chosen with the first system's output) are refused: re-run them.
Reading validates every field it uses and names the first bad one.
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from mteval.documents.segment import Sentence
from mteval.errors import InputError
from mteval.json_input import parse_json
from mteval.metrics.lexical import MetricScore
from mteval.pair_audit.records import Audit, Divergence
from mteval.results.records import (PARTS, DocumentResult, Results, Segment, Skipped, SystemDocument,
                                    SystemScores)

SCHEMA = "mteval.results"
SCHEMA_VERSION = 2


# -- writing --------------------------------------------------------------------


def _scores_dict(parts: dict[str, dict[str, MetricScore]]) -> dict[str, Any]:
    return {part: {metric: score.to_dict() for metric, score in metrics.items()} for part, metrics in parts.items()}


def _document_dict(doc: DocumentResult) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "source_lang": doc.source_lang,
        "reference_lang": doc.reference_lang,
        "origin": doc.origin,
        "warnings": list(doc.warnings),
        "source_sentences": [asdict(s) for s in doc.source_sentences],
        "reference_sentences": [asdict(s) for s in doc.reference_sentences],
        "audit": doc.audit.to_dict(),
        "segments": [
            dict(asdict(s), source_ids=list(s.source_ids), reference_ids=list(s.reference_ids)) for s in doc.segments
        ],
        "systems": {
            name: {
                "translations": list(work.translations),
                "mt_errors": [e.to_dict() for e in work.mt_errors],
                "scores": _scores_dict(work.scores),
            }
            for name, work in doc.systems.items()
        },
    }


def document_to_dict(doc: DocumentResult) -> dict[str, Any]:
    """One document record, as in ``documents`` (and as one line of a streamed run's ``results.jsonl``)."""
    return _document_dict(doc)


def results_to_dict(results: Results, *, documents_file: str | None = None) -> dict[str, Any]:
    """The whole results; with ``documents_file``, the summary of a streamed run whose documents lie in that file."""
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "provenance": results.provenance,
        "corpus": {name: _scores_dict(scores.parts) for name, scores in results.corpus.items()},
    }
    if documents_file is None:
        record["documents"] = [_document_dict(doc) for doc in results.documents]
    else:
        record["documents_file"] = documents_file
        record["n_documents"] = len(results.documents)
        digest = getattr(results.documents, "sha256", None)
        if digest is not None:
            record["documents_sha256"] = digest
    record["skipped"] = [{k: v for k, v in asdict(s).items() if v is not None} for s in results.skipped]
    record["significance"] = results.significance
    return record


def write_json(results: Results, path: str | Path | None = None, *, indent: int | None = 1) -> str:
    """The results as one self-contained JSON text; written to ``path`` when given.

    Documents read lazily from a streamed run are written one at a time, so
    the file is never held in memory whole (the text returned is then empty).
    """
    if path is not None and not isinstance(results.documents, list):
        from mteval.output_files import write_chunks

        write_chunks(path, _json_pieces(results, indent), what="the results")
        return ""
    text = json.dumps(results_to_dict(results), ensure_ascii=False, indent=indent)
    if path is not None:
        from mteval.output_files import write_text

        write_text(path, text + "\n", what="the results")
    return text


def _json_pieces(results: Results, indent: int | None):
    """The results' JSON text in pieces: everything but the documents, then one document at a time."""
    head = results_to_dict(results, documents_file="")
    del head["documents_file"], head["n_documents"]
    head.pop("documents_sha256", None)
    head["documents"] = []
    text = json.dumps(head, ensure_ascii=False, indent=indent)
    before, after = text.split('"documents": []', 1)
    yield (before + '"documents": [\n').encode("utf-8")
    for n, doc in enumerate(results.documents):
        yield ((",\n" if n else "") + json.dumps(_document_dict(doc), ensure_ascii=False)).encode("utf-8")
    yield ("\n]" + after + "\n").encode("utf-8")


# -- reading ----------------------------------------------------------------------


class _Reader:
    """Typed access to a parsed JSON value that names the path of the first bad field."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, what: str) -> InputError:
        return InputError(f"{self.source}: malformed mteval results: '{where}' {what}.")

    def get(self, data: dict, key: str, kind: type | tuple, where: str, *, optional: bool = False, default=None):
        if key not in data or data[key] is None:
            if optional:
                return default
            raise self.fail(f"{where}.{key}", "is missing")
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(f"{where}.{key}", f"should be {_kind_name(kinds)}, not a boolean")
        if not isinstance(value, kinds):
            raise self.fail(f"{where}.{key}", f"should be {_kind_name(kinds)}, not {type(value).__name__}")
        if float in kinds and isinstance(value, int) and abs(value) > sys.float_info.max:  # JSON has no size limit
            raise self.fail(f"{where}.{key}", "is too large a number")
        return value

    def each(self, data: dict, key: str, kind: type, where: str) -> list:
        values = self.get(data, key, list, where, optional=True, default=[])
        for n, value in enumerate(values):
            if not isinstance(value, kind):
                raise self.fail(f"{where}.{key}[{n}]", f"should be {_kind_name((kind,))}")
        return values

    def mapping(self, data: dict, key: str, where: str, *, optional: bool = True) -> dict:
        return self.get(data, key, dict, where, optional=optional, default={})

    def record(self, build: Callable, value: Any, where: str):
        if not isinstance(value, dict):
            raise self.fail(where, "should be an object")
        try:
            return build(value)
        except InputError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
            raise self.fail(where, f"cannot be read ({type(err).__name__}: {err})") from None


def _kind_name(kinds: tuple) -> str:
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
             bool: "a boolean"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _metric_score(reader: _Reader, data: dict, where: str) -> MetricScore:
    value = reader.get(data, "score", (int, float), where)
    if not math.isfinite(value):
        raise reader.fail(f"{where}.score", f"is {value}, not a finite number")
    reader.get(data, "n_segments", int, where)
    for key in ("ci_low", "ci_high", "ci_level"):  # the report and the tables print them
        bound = reader.get(data, key, (int, float), where, optional=True)
        if bound is not None and not math.isfinite(bound):
            raise reader.fail(f"{where}.{key}", f"is {bound}, not a finite number")
    for key in ("n_bootstrap", "seed"):
        reader.get(data, key, int, where, optional=True)
    return reader.record(MetricScore.from_dict, data, where)


def _score_parts(reader: _Reader, data: dict, where: str) -> dict[str, dict[str, MetricScore]]:
    parts: dict[str, dict[str, MetricScore]] = {}
    for part, metrics in data.items():
        if part not in PARTS:
            raise reader.fail(f"{where}.{part}", f"is not a part (parts: {', '.join(PARTS)})")
        if not isinstance(metrics, dict):
            raise reader.fail(f"{where}.{part}", "should be an object")
        parts[part] = {}
        for metric, entry in metrics.items():
            if not isinstance(entry, dict):
                raise reader.fail(f"{where}.{part}.{metric}", "should be an object")
            parts[part][metric] = _metric_score(reader, entry, f"{where}.{part}.{metric}")
    return parts


def _segment(reader: _Reader, data: dict, where: str) -> Segment:
    return Segment(
        bead=reader.get(data, "bead", int, where),
        source_ids=tuple(reader.each(data, "source_ids", int, where)),
        reference_ids=tuple(reader.each(data, "reference_ids", int, where)),
        role=reader.get(data, "role", str, where),
        parallel=reader.get(data, "parallel", bool, where),
        source=reader.get(data, "source", str, where),
        reference=reader.get(data, "reference", str, where),
        hypotheses=_strings(reader, reader.mapping(data, "hypotheses", where), f"{where}.hypotheses"),
        scores={name: dict(values) for name, values in reader.mapping(data, "scores", where).items()},
        extra_references=[str(r) for r in reader.each(data, "extra_references", str, where)],
    )


def _strings(reader: _Reader, data: dict, where: str) -> dict[str, str]:
    for key, value in data.items():
        if not isinstance(value, str):
            raise reader.fail(f"{where}.{key}", f"should be a string, not {type(value).__name__}")
    return dict(data)


def _check_ids(reader: _Reader, doc: DocumentResult, where: str) -> None:
    """Every bead names sentences the document has."""
    sides = (("source_ids", len(doc.source_sentences)), ("reference_ids", len(doc.reference_sentences)))
    for n, bead in enumerate(doc.audit.beads):
        for field_name, ids, count in (("source", bead.source, sides[0][1]), ("reference", bead.reference, sides[1][1])):
            if any(not 0 <= i < count for i in ids):
                raise reader.fail(f"{where}.audit.beads[{n}].{field_name}",
                                  f"names sentence {max(ids)}, but the document has {count}")
    for n, segment in enumerate(doc.segments):
        for field_name, count in sides:
            for i in getattr(segment, field_name):
                if not 0 <= i < count:
                    raise reader.fail(f"{where}.segments[{n}].{field_name}",
                                      f"names sentence {i}, but the document has {count}")


def _skipped(reader: _Reader, data: dict, where: str) -> Skipped:
    return Skipped(stage=reader.get(data, "stage", str, where), reason=reader.get(data, "reason", str, where),
                   system=reader.get(data, "system", str, where, optional=True),
                   metric=reader.get(data, "metric", str, where, optional=True))


def _system_document(reader: _Reader, data: dict, where: str) -> SystemDocument:
    return SystemDocument(
        translations=list(reader.get(data, "translations", list, where)),
        mt_errors=[reader.record(Divergence.from_dict, e, f"{where}.mt_errors[{n}]")
                   for n, e in enumerate(reader.each(data, "mt_errors", dict, where))],
        scores=_score_parts(reader, reader.mapping(data, "scores", where), f"{where}.scores"),
    )


def _document(reader: _Reader, data: dict, where: str) -> DocumentResult:
    sentences = {
        side: [reader.record(lambda s: Sentence(**s), s, f"{where}.{side}[{n}]")
               for n, s in enumerate(reader.each(data, side, dict, where))]
        for side in ("source_sentences", "reference_sentences")
    }
    doc = DocumentResult(
        doc_id=reader.get(data, "doc_id", str, where),
        source_lang=reader.get(data, "source_lang", str, where),
        reference_lang=reader.get(data, "reference_lang", str, where),
        origin=dict(reader.mapping(data, "origin", where)),
        warnings=[str(w) for w in reader.each(data, "warnings", str, where)],
        source_sentences=sentences["source_sentences"],
        reference_sentences=sentences["reference_sentences"],
        audit=reader.record(Audit.from_dict, reader.mapping(data, "audit", where, optional=False), f"{where}.audit"),
        segments=[_segment(reader, s, f"{where}.segments[{n}]")
                  for n, s in enumerate(reader.each(data, "segments", dict, where))],
        systems={name: _system_document(reader, work, f"{where}.systems.{name}")
                 for name, work in _objects(reader, reader.mapping(data, "systems", where), f"{where}.systems")},
    )
    _check_ids(reader, doc, where)
    return doc


def _objects(reader: _Reader, data: dict, where: str):
    for key, value in data.items():
        if not isinstance(value, dict):
            raise reader.fail(f"{where}.{key}", "should be an object")
        yield key, value


def document_from_dict(data: Any, *, source: str = "results", where: str = "documents[0]") -> DocumentResult:
    """One validated document record (a line of ``results.jsonl``)."""
    reader = _Reader(source)
    if not isinstance(data, dict):
        raise reader.fail(where, "should be an object")
    return _document(reader, data, where)


def _documents(reader: _Reader, data: dict, base: Path | None):
    """The documents: inline, or (a streamed run's summary) read lazily from the file it names."""
    name = reader.get(data, "documents_file", str, "results", optional=True)
    if name is None:
        return [_document(reader, d, f"documents[{n}]") for n, d in enumerate(reader.each(data, "documents", dict, "results"))]
    from mteval.results.stream import StreamedDocuments

    count = reader.get(data, "n_documents", int, "results")
    digest = reader.get(data, "documents_sha256", str, "results", optional=True)
    path = Path(name) if base is None else base / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise reader.fail("results.documents_file", "must name a file beside the results, not a path elsewhere")
    return StreamedDocuments(path, count, sha256=digest)


def results_from_dict(data: Any, *, source: str = "results", base: Path | None = None) -> Results:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"{source}: not an mteval results file (no '\"schema\": \"{SCHEMA}\"').")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{source}: results schema version {version} is not supported by this mteval "
            f"(it reads version {SCHEMA_VERSION}); re-run the evaluation with this version."
        )
    reader = _Reader(source)
    corpus = {name: SystemScores(_score_parts(reader, parts, f"corpus.{name}"))
              for name, parts in _objects(reader, reader.mapping(data, "corpus", "results"), "corpus")}
    skipped = [_skipped(reader, s, f"skipped[{n}]") for n, s in enumerate(reader.each(data, "skipped", dict, "results"))]
    significance = reader.get(data, "significance", dict, "results", optional=True)
    for part, tests in (significance or {}).items():
        if not isinstance(tests, dict):
            raise reader.fail(f"significance.{part}", "should be an object")
    return Results(
        provenance=dict(reader.mapping(data, "provenance", "results", optional=False)),
        corpus=corpus,
        documents=_documents(reader, data, base),
        skipped=skipped,
        significance=significance,
    )


def read_json(path: str | Path) -> Results:
    from mteval.documents.loaders import read_text

    data = parse_json(read_text(path), str(path))
    return results_from_dict(data, source=str(path), base=Path(path).parent)
