"""The shape check of a results file, run on load by ``report``, ``gate`` and ``baseline`` alike.

:func:`validate_results_dict` walks a decoded ``results.json`` (schema
version 1, see :mod:`mteval.results.records`) against a declarative
description of its fields and raises :class:`~mteval.errors.InputError`
with one sentence naming the file and the first field that is missing or of
the wrong kind, and the bead or segment whose sentence ids point outside its
document. Fields the readers do not rely on are not checked, so a later
mteval may add fields without breaking older readers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from mteval.errors import InputError

_MAX_KEY_SHOWN = 60  # a field name from the file is cut to this many characters in the message


@dataclass(frozen=True)
class _Kind:
    """What one value must be: a scalar kind, a list of items, or an object with fields."""

    name: str  # "object", "list", "string", "number", "whole number", "boolean", "anything"
    nullable: bool = False
    item: "_Kind | None" = None  # list items
    fields: Mapping[str, "_Kind"] = field(default_factory=dict)  # object fields with their own kinds
    required: frozenset[str] = frozenset()
    values: "_Kind | None" = None  # every other value of an object (its keys are names, e.g. systems)


ANY = _Kind("anything", nullable=True)
STR = _Kind("string")
NUM = _Kind("number")
INT = _Kind("whole number")
BOOL = _Kind("boolean")


def _opt(kind: _Kind) -> _Kind:
    return _Kind(kind.name, True, kind.item, kind.fields, kind.required, kind.values)


def _list(item: _Kind) -> _Kind:
    return _Kind("list", item=item)


def _obj(fields: Mapping[str, _Kind] | None = None, *, required: tuple[str, ...] = (), values: _Kind | None = None) -> _Kind:
    return _Kind("object", fields=dict(fields or {}), required=frozenset(required), values=values)


_SCORE = _obj(
    {"score": NUM, "ci_low": _opt(NUM), "ci_high": _opt(NUM), "ci_level": _opt(NUM), "n_segments": _opt(INT),
     "signature": _opt(STR), "metric": _opt(STR), "n_bootstrap": _opt(INT), "seed": _opt(INT),
     "details": _opt(_obj(values=ANY))},
    required=("score",),
)
_PARTS = _obj(values=_obj(values=_SCORE))  # {part: {metric: score}}
_SENTENCE = _obj({"text": STR, "role": _opt(STR), "start": _opt(INT), "end": _opt(INT), "paragraph": _opt(INT)},
                 required=("text",))
_SPAN = _obj({"side": _opt(STR), "sentence": _opt(INT), "start": _opt(INT), "end": _opt(INT), "text": STR},
             required=("text",))
_DIVERGENCE = _obj(
    {"kind": STR, "severity": _opt(STR), "role": _opt(STR), "bead": _opt(INT), "spans": _list(_SPAN),
     "evidence": _opt(_obj(values=ANY)), "note": _opt(STR), "system": _opt(STR)},
    required=("kind",),
)
_BEAD = _obj({"source": _list(INT), "reference": _list(INT), "confidence": _opt(NUM)}, required=("source", "reference"))
_AUDIT = _obj({"beads": _list(_BEAD), "divergences": _list(_DIVERGENCE), "related": _opt(BOOL),
               "provenance": _opt(_obj(values=ANY))})
_SEGMENT = _obj(
    {"bead": INT, "source_ids": _list(INT), "reference_ids": _list(INT), "role": _opt(STR), "parallel": _opt(BOOL),
     "source": STR, "reference": STR, "hypotheses": _obj(values=STR), "scores": _obj(values=_obj(values=_opt(NUM)))},
    required=("bead", "source_ids", "reference_ids", "source", "reference"),
)
_SYSTEM_OUTPUT = _obj({"translations": _list(_opt(STR)), "scores": _PARTS})
_DOCUMENT = _obj(
    {"doc_id": STR, "source_lang": _opt(STR), "reference_lang": _opt(STR), "warnings": _list(STR),
     "origin": _opt(_obj(values=ANY)), "source_sentences": _list(_SENTENCE), "reference_sentences": _list(_SENTENCE),
     "audit": _opt(_AUDIT), "systems": _obj(values=_SYSTEM_OUTPUT), "segments": _list(_SEGMENT)},
    required=("doc_id", "source_sentences", "reference_sentences"),
)
_TEST_SCORE = _obj({"score": NUM, "mean": _opt(NUM), "ci_low": _opt(NUM), "ci_high": _opt(NUM),
                    "difference": _opt(NUM), "p_value": _opt(NUM)}, required=("score",))
_TEST = _obj(
    {"test": _opt(STR), "baseline": _opt(STR), "systems": _list(STR), "metrics": _list(STR),
     "n_resamples": _opt(INT), "n_bootstrap": _opt(INT), "n_segments": _opt(INT), "p_value_method": _opt(STR),
     "results": _obj(values=_obj(values=_TEST_SCORE))},
)
_PROVENANCE = _obj(
    {"corpus_fingerprint": _opt(STR), "inputs": _opt(_list(ANY)), "systems": _opt(_obj(values=_opt(_obj(values=ANY)))),
     "metrics": _opt(_obj(values=ANY)), "comet": _opt(_obj(values=ANY)), "audit": _opt(_obj(values=ANY)),
     "bootstrap": _opt(_obj(values=ANY))},
)
RESULTS = _obj(
    {"provenance": _PROVENANCE, "corpus": _obj(values=_PARTS), "documents": _list(_DOCUMENT),
     "skipped": _list(_obj({"stage": STR, "reason": STR, "system": _opt(STR), "metric": _opt(STR)},
                           required=("stage", "reason"))),
     "significance": _opt(_obj(values=_obj(values=_TEST)))},
)


def validate_results_dict(data: Any, source: str) -> None:
    """Raise :class:`InputError` (one sentence naming ``source`` and the field) unless ``data`` has the results' shape."""
    _check(data, RESULTS, "", source)
    for number, doc in enumerate(data.get("documents") or []):
        _check_sentence_ids(doc, f"documents[{number}]", source)


def _check(value: Any, kind: _Kind, where: str, source: str) -> None:
    if value is None:
        if kind.nullable:
            return
        _fail(source, where, f"must be {_article(kind.name)}, not null")
    if not _is(value, kind.name):
        _fail(source, where, f"must be {_article(kind.name)}, not {_describe(value)}")
    if kind.name == "list" and kind.item is not None:
        for index, item in enumerate(value):
            _check(item, kind.item, f"{where}[{index}]", source)
    elif kind.name == "object":
        for name in sorted(kind.required):
            if name not in value:
                _fail(source, _join(where, name), "is missing")
        for key, item in value.items():
            if not isinstance(key, str):  # JSON keys are strings; a dict built in Python may differ
                _fail(source, where, "has a key that is not a string")
            own = kind.fields.get(key, kind.values)
            if own is not None:
                _check(item, own, _join(where, key), source)


def _check_sentence_ids(doc: Mapping[str, Any], where: str, source: str) -> None:
    """Every bead and segment names sentences that exist in its document."""
    sizes = {"source": len(doc["source_sentences"]), "reference": len(doc["reference_sentences"])}
    for index, bead in enumerate((doc.get("audit") or {}).get("beads") or []):
        for side in ("source", "reference"):
            _check_ids(bead[side], sizes[side], f"{where}.audit.beads[{index}].{side}", source)
    for index, segment in enumerate(doc.get("segments") or []):
        for side in ("source", "reference"):
            _check_ids(segment[f"{side}_ids"], sizes[side], f"{where}.segments[{index}].{side}_ids", source)


def _check_ids(ids: list[int], size: int, where: str, source: str) -> None:
    for value in ids:
        if not 0 <= value < size:
            _fail(source, where, f"names sentence {value}, but the document has {size} on that side")


def _is(value: Any, name: str) -> bool:
    if name == "anything":
        return True
    if name == "object":
        return isinstance(value, dict)
    if name == "list":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if name == "whole number":
        return isinstance(value, int)
    return isinstance(value, (int, float))  # number


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def _join(where: str, key: str) -> str:
    shown = key if len(key) <= _MAX_KEY_SHOWN else key[: _MAX_KEY_SHOWN - 1] + "…"
    return f"{where}.{shown}" if where else shown


def _fail(source: str, where: str, problem: str) -> None:
    if not where:
        raise InputError(f"{source}: the results {problem}.")
    raise InputError(f"{source}: field '{where}' {problem}.")
