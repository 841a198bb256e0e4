"""Editors' review of the pair audit: stable divergence ids, the decisions file, and applying it.

A divergence's id is a hash of what it is and where it stands: the
document, the kind, the system (MT errors only) and its spans (side,
sentence, offsets, text; the bead for one without spans). It does not depend on the divergence's position
in the list, so it survives a re-run of the same documents and is the key
of a reviewer's decision.
"""
from __future__ import annotations

import hashlib
import json

from mteval.pair_audit.records import Divergence

ID_LENGTH = 16  # hex digits of SHA-256: 64 bits, no collision among the divergences of any real corpus


def divergence_id(doc_id: str, divergence: Divergence) -> str:
    """The stable id of ``divergence`` in document ``doc_id``."""
    spans = sorted([s.side, s.sentence, s.start, s.end, s.text] for s in divergence.spans)
    # the spans place a divergence; only one without spans is placed by its bead
    payload = [doc_id, divergence.kind, divergence.system, spans if spans else divergence.bead]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()[:ID_LENGTH]
