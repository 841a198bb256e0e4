"""The records a pair audit produces: beads, divergences and their spans.

A pair audit depends on the source and the reference only (plus, when asked
with ``--align-with``, one named system's output used identically for every
system), so these records belong to the document pair, not to a system.
MT errors found later, per system, reuse :class:`Divergence` with
``system`` set.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

KINDS = ("source_only", "reference_only", "entity_mismatch", "number_mismatch")
MT_ERROR_KINDS = ("mt_omission", "mt_number_error", "mt_entity_error")
SEVERITIES = ("major", "minor", "info")
#: a reviewer's decisions on a divergence (see :mod:`mteval.pair_audit.review`)
REVIEW_DECISIONS = ("confirmed", "false_alarm")


@dataclass(frozen=True)
class Bead:
    source: tuple[int, ...]
    reference: tuple[int, ...]
    confidence: float

    def to_dict(self) -> dict:
        return {"source": list(self.source), "reference": list(self.reference), "confidence": self.confidence}

    @classmethod
    def from_dict(cls, d: dict) -> "Bead":
        return cls(tuple(d["source"]), tuple(d["reference"]), float(d.get("confidence", 1.0)))


@dataclass(frozen=True)
class Span:
    side: str  # "source" | "reference" | "mt"
    sentence: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Divergence:
    kind: str
    role: str
    severity: str
    bead: int | None
    spans: list[Span]
    evidence: dict = field(default_factory=dict)
    note: str = ""
    #: the system whose output this is an error of (MT errors only); None for the pair's divergences
    system: str | None = None
    #: a reviewer's decision ("confirmed" or "false_alarm") and note; None when not reviewed
    review: str | None = None
    review_note: str = ""

    @property
    def excludes_bead(self) -> bool:
        """Whether it takes its bead out of the parallel part: a major divergence not dismissed by a reviewer."""
        return self.severity == "major" and self.review != "false_alarm"

    def to_dict(self) -> dict:
        record = {"kind": self.kind, "role": self.role, "severity": self.severity, "bead": self.bead,
                  "spans": [s.to_dict() for s in self.spans], "evidence": self.evidence, "note": self.note}
        if self.system is not None:
            record["system"] = self.system
        if self.review is not None:
            record["review"] = {"decision": self.review, "note": self.review_note}
        return record

    @classmethod
    def from_dict(cls, d: dict) -> "Divergence":
        return cls(kind=d["kind"], role=d.get("role", "body"), severity=d.get("severity", "minor"),
                   bead=d.get("bead"), spans=[Span(**s) for s in d.get("spans", [])],
                   evidence=dict(d.get("evidence", {})), note=d.get("note", ""), system=d.get("system"),
                   review=(d.get("review") or {}).get("decision"), review_note=(d.get("review") or {}).get("note", ""))


@dataclass
class Audit:
    beads: list[Bead]
    divergences: list[Divergence]
    related: bool
    provenance: dict = field(default_factory=dict)

    def parallel_beads(self) -> list[int]:
        """Indices of beads with both sides and no ``major`` divergence (a reviewer's false alarm does not count)."""
        bad = {d.bead for d in self.divergences if d.excludes_bead and d.bead is not None}
        return [k for k, b in enumerate(self.beads) if b.source and b.reference and k not in bad]

    def beads_digest(self) -> str:
        """SHA-256 of the beads (which sentences pair up), the part of an audit that decides what is scored."""
        payload = [[list(b.source), list(b.reference)] for b in self.beads]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()

    def to_dict(self) -> dict:
        return {"related": self.related, "beads": [b.to_dict() for b in self.beads],
                "divergences": [d.to_dict() for d in self.divergences], "provenance": self.provenance}

    @classmethod
    def from_dict(cls, d: dict) -> "Audit":
        return cls(beads=[Bead.from_dict(b) for b in d["beads"]],
                   divergences=[Divergence.from_dict(x) for x in d.get("divergences", [])],
                   related=bool(d.get("related", True)), provenance=dict(d.get("provenance", {})))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
