"""Editors' review of the pair audit: stable divergence ids, the decisions file, and applying it.

A reader of the report marks a flagged divergence *confirmed* or a *false
alarm*; the page exports the decisions as a small JSON file::

    {"schema": "mteval.review", "schema_version": 1,
     "decisions": [{"doc_id": "...", "divergence_id": "...", "decision": "false_alarm", "note": "..."}]}

``mteval run … --review FILE`` (``evaluate(review=FILE)``) applies it between
the pair audit and the per-system work: a false alarm no longer takes its
bead out of the parallel part, a confirmed divergence is kept and marked as
reviewed. Only the pair's major and minor divergences are reviewed (MT
errors are a system's annotations and do not decide the parallel part;
info notes flag nothing).

A divergence's id is a hash of what it is and where it stands: the
document, the kind, the system (MT errors only) and its spans (side,
sentence, offsets, text; the bead for one without spans). It does not depend
on the divergence's position in the list, so it survives a re-run of the
same documents and is the key of a reviewer's decision.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mteval.errors import InputError
from mteval.documents.text import is_text
from mteval.json_input import parse_json
from mteval.pair_audit.records import REVIEW_DECISIONS, Audit, Divergence

ID_LENGTH = 16  # hex digits of SHA-256: 64 bits, no collision among the divergences of any real corpus
SCHEMA = "mteval.review"
SCHEMA_VERSION = 1
MAX_NOTE = 2000  # characters of a reviewer's note kept; a note is a remark, not a document


def divergence_id(doc_id: str, divergence: Divergence) -> str:
    """The stable id of ``divergence`` in document ``doc_id``."""
    spans = sorted([s.side, s.sentence, s.start, s.end, s.text] for s in divergence.spans)
    # the spans place a divergence; only one without spans is placed by its bead. The note tells apart two
    # flags of one kind on the same span (two names missing from one sentence: each note names its name);
    # the evidence would too, but it holds floats that differ in their last digits between machines.
    payload = [doc_id, divergence.kind, divergence.system, spans if spans else divergence.bead, divergence.note]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Decision:
    doc_id: str
    divergence_id: str
    decision: str  # "confirmed" | "false_alarm"
    note: str = ""


@dataclass(frozen=True)
class Review:
    """A reviewer's decisions, keyed by (document id, divergence id), and the file they came from."""

    decisions: dict[tuple[str, str], Decision]
    source: str = "review"
    sha256: str = ""

    def for_document(self, doc_id: str) -> dict[str, Decision]:
        """``{divergence id: decision}`` of one document."""
        return {div: d for (doc, div), d in self.decisions.items() if doc == doc_id}

    def provenance(self, reviewed: dict[str, Audit]) -> dict[str, Any]:
        """What the review file was and what it changed, given the reviewed audits by document id."""
        return self.summary([entry for doc_id, audit in reviewed.items() for entry in self.applied(doc_id, audit)])

    @staticmethod
    def applied(doc_id: str, audit: Audit) -> list[list[str]]:
        """``[doc_id, divergence id, decision]`` of each decision applied to one reviewed audit."""
        return [[doc_id, divergence_id(doc_id, d), d.review] for d in audit.divergences if d.review is not None]

    def summary(self, applied: list[list[str]]) -> dict[str, Any]:
        """The provenance record from every applied decision of a corpus (see :meth:`applied`)."""
        applied = sorted(applied)
        found = {(doc, div) for doc, div, _ in applied}
        decisions = [decision for _, _, decision in applied]
        return {
            "file": self.source,
            "sha256": self.sha256,
            "decisions": len(self.decisions),
            "applied": len(applied),
            "false_alarms": decisions.count("false_alarm"),
            "confirmed": decisions.count("confirmed"),
            "unmatched": sorted(f"{doc}/{div}" for doc, div in self.decisions if (doc, div) not in found),
            # what changes the scores (notes excluded): the gate compares it
            "decisions_digest": hashlib.sha256(json.dumps(applied).encode("utf-8")).hexdigest() if applied else None,
        }


def load_review(review: Any) -> Review:
    """A :class:`Review` from a path, the parsed JSON of a review file, or a list of decision records."""
    if isinstance(review, Review):
        return review
    if isinstance(review, (str, Path)):
        from mteval.documents.loaders import read_text

        text = read_text(review)
        data = parse_json(text, str(review))
        return parse_review(data, source=str(review), sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    parsed = parse_review(review, source="in memory")  # first: a string that is not text is named, not hashed
    canonical = json.dumps(review, sort_keys=True, ensure_ascii=False, default=str)
    return replace(parsed, sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def parse_review(data: Any, *, source: str = "review", sha256: str = "") -> Review:
    """Validate a review file's content; a bad field is named in one sentence."""
    if isinstance(data, dict):
        if data.get("schema") != SCHEMA:
            raise InputError(f"{source}: not an mteval review file (no '\"schema\": \"{SCHEMA}\"').")
        version = data.get("schema_version")
        if type(version) is not int or version != SCHEMA_VERSION:  # not "1", not true
            raise InputError(f"{source}: review schema version {json.dumps(version)} is not supported "
                             f"(this mteval reads version {SCHEMA_VERSION}).")
        records = data.get("decisions")
    elif isinstance(data, list):
        records = data
    else:
        raise InputError(f"{source}: not an mteval review file (a JSON {type(data).__name__}, not an object with "
                         f"'decisions' or a list of decisions).")
    if not isinstance(records, list):
        raise InputError(f"{source}: 'decisions' should be a list of decisions.")
    decisions: dict[tuple[str, str], Decision] = {}
    for n, record in enumerate(records):
        where = f"{source}: decisions[{n}]"
        if not isinstance(record, dict):
            raise InputError(f"{where} should be an object.")
        for key in ("doc_id", "divergence_id", "decision"):
            if not isinstance(record.get(key), str) or not record[key]:
                raise InputError(f"{where}: '{key}' is missing or not a string.")
        if record["decision"] not in REVIEW_DECISIONS:
            raise InputError(f"{where}: decision '{record['decision']}' is not one of {', '.join(REVIEW_DECISIONS)}.")
        note = record.get("note") or ""
        if not isinstance(note, str):
            raise InputError(f"{where}: 'note' should be a string.")
        for key, text in (("doc_id", record["doc_id"]), ("divergence_id", record["divergence_id"]), ("note", note)):
            if not is_text(text):
                raise InputError(f"{where}: '{key}' holds a lone surrogate escape (such as \\ud800), which is not text.")
        key = (record["doc_id"], record["divergence_id"])
        if key in decisions and decisions[key].decision != record["decision"]:
            raise InputError(f"{where}: divergence {key[1]} of '{key[0]}' is decided twice, differently.")
        decisions[key] = Decision(key[0], key[1], record["decision"], note[:MAX_NOTE])
    return Review(decisions, source=source, sha256=sha256)


def apply_review(doc_id: str, audit: Audit, review: Review | None) -> Audit:
    """``audit`` with the reviewer's decisions on its divergences; a new Audit, the given one is left as it was."""
    mine = review.for_document(doc_id) if review is not None else {}
    if not mine:
        return audit
    divergences = []
    for divergence in audit.divergences:
        # MT errors belong to a system and info notes flag nothing: neither is reviewed (a decision on one
        # stays unmatched, and is warned about)
        reviewable = divergence.system is None and divergence.severity != "info"
        decision = mine.get(divergence_id(doc_id, divergence)) if reviewable else None
        if decision is None:
            divergences.append(divergence)
        else:
            divergences.append(replace(divergence, review=decision.decision, review_note=decision.note))
    return replace(audit, divergences=divergences)
